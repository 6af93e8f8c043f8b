/**
 * evidence-verifier.ts: Evidence is checked against the one enrolled key its kid names. Evidence
 * without a kid, or naming a key nobody enrolled, is refused without trying (or validating) the
 * rest of the fleet's keys.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import {
  buildEvidence, coseKeyThumbprint, createSign1, encodeEatClaims, parseCertificate, publicCoseKey, suitReferenceManifest, validateChain, webCryptoProvider,
} from '@otrp/core';
import type { CoseKey, EatClaims, ValidateChainOptions } from '@otrp/core';
import { enrolledKeyVerifier } from './evidence-verifier.js';
import { makePkiDir } from './test-support/pki-dir.js';
import { loadPkiTrust } from './trust.js';

const HWMODEL = new TextEncoder().encode('simulated TEE');
const NONCE = new Uint8Array(16).fill(0x22);

async function claims(teepKey: CoseKey, hwmodel = HWMODEL): Promise<EatClaims> {
  return {
    nonce: NONCE,
    ueid: new Uint8Array([1, ...new Uint8Array(16).fill(5)]),
    oemid: 32473,
    hwmodel,
    hwversion: { version: '1.0' },
    manifests: [suitReferenceManifest({ uri: 'https://oem.example/tee-fw.suit', digest: { algorithmId: -16, bytes: new Uint8Array(32).fill(0x11) } })],
    cnf: { kid: await coseKeyThumbprint(publicCoseKey(teepKey)) },
  };
}

test('Evidence is checked against the enrolled key its kid names, and no other', async () => {
  const pki = await makePkiDir();
  try {
    const fleet = await Promise.all(['dev-a', 'dev-b', 'dev-c'].map((d) => pki.enrol(`${d}/attestation`)));
    const [a, b, c] = fleet as [typeof fleet[0], typeof fleet[0], typeof fleet[0]];
    let validated: string[] = [];
    const counting = (o: ValidateChainOptions) => {
      validated.push(parseCertificate(o.chain[0]!).subject);
      return validateChain(o);
    };
    const trust = await loadPkiTrust(pki.dir, { recheckMs: 0, fullRecheckMs: 0, validateChain: counting });
    const verifier = enrolledKeyVerifier({ trust, referenceValues: { hwmodels: [HWMODEL] } });
    const teepKey = await webCryptoProvider.generateKeyPair('P-256');
    const context = { nonce: NONCE, teepKey: publicCoseKey(teepKey) };
    const body = await claims(teepKey);

    const ok = await verifier.verify(await buildEvidence({ claims: body, key: b.key }), context);
    assert.equal(ok.status, 'affirming');
    assert.deepEqual(ok.endorsementKey, publicCoseKey(b.key));
    assert.deepEqual(validated, ['CN=dev-b/attestation attestation'], 'only the named key was validated');

    validated = [];
    const stranger = await webCryptoProvider.generateKeyPair('P-256');
    await assert.rejects(verifier.verify(await buildEvidence({ claims: body, key: stranger }), context), { code: 'ERR_EAT_UNTRUSTED_SIGNER' });
    const noKid = await createSign1({ payload: encodeEatClaims(body), key: a.key, alg: -9, includeKid: false });
    await assert.rejects(verifier.verify(noKid, context), { code: 'ERR_EAT_UNTRUSTED_SIGNER' }, 'the TEEP EAT profile identifies the key by kid');
    const wrongKid = await createSign1({ payload: encodeEatClaims(body), key: a.key, alg: -9, unprotectedHeaders: new Map([[4, Buffer.from(c.kid, 'hex')]]) });
    await assert.rejects(verifier.verify(wrongKid, context), { code: 'ERR_EAT_UNTRUSTED_SIGNER' }, 'signed by an enrolled key, but not the one named');
    assert.deepEqual(validated, ['CN=dev-c/attestation attestation'], 'the fleet was not tried: only the named, enrolled key');

    await assert.rejects(verifier.verify(await buildEvidence({ claims: await claims(teepKey, new Uint8Array([1])), key: a.key }), context), { code: 'ERR_EAT_REFERENCE_VALUE_MISMATCH' });
    await assert.rejects(verifier.verify(new Uint8Array([0xd2, 0x84, 0x40]), context), (e: { code?: string }) => /^ERR_(CBOR|COSE)_/.test(e.code ?? ''));

    await pki.revoke(b.leaf);
    await assert.rejects(verifier.verify(await buildEvidence({ claims: body, key: b.key }), context), { code: 'ERR_EAT_UNTRUSTED_SIGNER' }, 'revoked');
  } finally {
    await rm(pki.dir, { recursive: true, force: true });
  }
});
