import { test } from 'node:test';
import assert from 'node:assert/strict';
import { webCryptoProvider } from '../cose/webcrypto-provider.js';
import { publicCoseKey } from '../cose/key.js';
import type { EatClaims } from './claims.js';
import { issueAttestationResult, TEEP_EVIDENCE_MEDIA_TYPE, verifyAttestationResult } from './attestation-result.js';
import { isTeepEatMediaType, suitReferenceManifest, TEEP_EAT_MEDIA_TYPE } from './teep-profile.js';
import { coseKeyThumbprint } from '../cose/thumbprint.js';

const NONCE = new Uint8Array(16).fill(3);

/** The claims a Verifier vouches for in these tests (TEEP EAT profile), cnf naming `kid`. */
const claimsWith = (kid: Uint8Array): EatClaims => ({
  nonce: NONCE,
  ueid: new Uint8Array([1, ...new Uint8Array(16).fill(5)]),
  oemid: 32473,
  hwmodel: new Uint8Array([1]),
  hwversion: { version: '1' },
  manifests: [suitReferenceManifest({ uri: 'x', digest: { algorithmId: -16, bytes: new Uint8Array(32) } })],
  cnf: { kid },
});

test('Attestation Result: trusted Verifier, nonce and cnf checked in order', async () => {
  const verifier = await webCryptoProvider.generateKeyPair('P-256');
  const other = await webCryptoProvider.generateKeyPair('P-256');
  const teepKey = publicCoseKey(await webCryptoProvider.generateKeyPair('P-256'));
  const claims = claimsWith(await coseKeyThumbprint(teepKey));
  const ar = await issueAttestationResult({ claims, verifierKey: verifier });
  const ok = await verifyAttestationResult(ar, { verifierKeys: [publicCoseKey(verifier)], nonce: NONCE, teepKey });
  assert.deepEqual(ok.claims.hwmodel, new Uint8Array([1]));
  const code = (p: Promise<unknown>, c: string) => assert.rejects(p, (e: { code?: string }) => e.code === c);
  await code(verifyAttestationResult(ar, { verifierKeys: [publicCoseKey(other)], nonce: NONCE, teepKey }), 'ERR_EAT_UNTRUSTED_SIGNER');
  await code(verifyAttestationResult(ar, { verifierKeys: [publicCoseKey(verifier)], nonce: new Uint8Array(16), teepKey }), 'ERR_EAT_NONCE_MISMATCH');
  await code(verifyAttestationResult(ar, { verifierKeys: [publicCoseKey(verifier)], nonce: NONCE, teepKey: publicCoseKey(other) }), 'ERR_EAT_CNF_MISMATCH');
});

test('the TEEP EAT media type is recognised however it is spelled (RFC 9110 §8.3.1), and nothing else is', () => {
  for (const same of [
    TEEP_EAT_MEDIA_TYPE,
    'application/eat+cwt;eat_profile=urn:ietf:rfc:rfcXXXX',
    'application/eat+cwt; eat_profile="urn:ietf:rfc:rfcXXXX"',
    'Application/EAT+CWT ;\tEAT_PROFILE=urn:ietf:rfc:rfcXXXX ',
    'application/eat+cwt; eat_profile="urn:ietf:rfc:\\rfcXXXX"',
  ]) assert.equal(isTeepEatMediaType(same), true, same);
  for (const other of [
    TEEP_EVIDENCE_MEDIA_TYPE,
    'application/eat+cwt; eat_profile=urn:ietf:rfc:rfc9999',
    'application/eat+cwt; eat_profile=urn:ietf:rfc:rfcXXXX; charset=x',
    'application/eat+cwt; eat_profile = urn:ietf:rfc:rfcXXXX',
    'application/eat+cwt; eat_profile="urn:ietf:rfc:rfcXXXX',
    'application/eat-ucs+cbor; eat_profile=urn:ietf:rfc:rfcXXXX',
    'application/eat+cwt; eat_profile=URN:IETF:RFC:RFCXXXX',
    '',
  ]) assert.equal(isTeepEatMediaType(other), false, other);
});

test('Attestation Result: given the receiver clock, exp and nbf bound it (ERR_EAT_EXPIRED); without them it is not limited', async () => {
  const verifier = await webCryptoProvider.generateKeyPair('P-256');
  const base = claimsWith(new Uint8Array(32).fill(1));
  const T = 1_800_000_000; // seconds
  const ar = await issueAttestationResult({ claims: { ...base, nbf: T, exp: T + 60 }, verifierKey: verifier });
  const check = (nowMs: number | undefined) => verifyAttestationResult(ar, { verifierKeys: [publicCoseKey(verifier)], nonce: NONCE, ...(nowMs !== undefined && { now: nowMs }) });
  assert.equal((await check(T * 1000)).claims.exp, T + 60, 'at nbf');
  assert.ok(await check((T + 59) * 1000 + 999), 'just before exp');
  await assert.rejects(check((T + 60) * 1000), { code: 'ERR_EAT_EXPIRED' }, 'at exp (RFC 8392: "on or after")');
  await assert.rejects(check(T * 1000 - 1), { code: 'ERR_EAT_EXPIRED' }, 'before nbf');
  assert.ok(await check(undefined), 'no clock given: no window check (the caller decides)');
  const open = await issueAttestationResult({ claims: base, verifierKey: verifier });
  assert.ok(await verifyAttestationResult(open, { verifierKeys: [publicCoseKey(verifier)], nonce: NONCE, now: (T + 1e6) * 1000 }), 'no exp, no nbf');
});
