import { test } from 'node:test';
import assert from 'node:assert/strict';
import { webCryptoProvider } from '../cose/webcrypto-provider.js';
import { publicCoseKey } from '../cose/key.js';
import type { EatClaims } from './claims.js';
import { buildEvidence, verifyEvidence } from './evidence.js';
import { ReferenceValueVerifier } from './verifier.js';
import { suitReferenceManifest } from './teep-profile.js';
import { coseKeyThumbprint } from '../cose/thumbprint.js';

const FW = new Uint8Array(32).fill(0x11);
const NONCE = new Uint8Array(16).fill(0x22);

async function setup() {
  const attester = await webCryptoProvider.generateKeyPair('P-256');
  const teepKey = await webCryptoProvider.generateKeyPair('Ed25519');
  const claims: EatClaims = {
    nonce: NONCE,
    ueid: new Uint8Array([1, ...new Uint8Array(16).fill(5)]),
    oemid: 32473,
    hwmodel: new Uint8Array([0xaa, 0xbb]),
    hwversion: { version: '2.0.1', scheme: 1 },
    manifests: [suitReferenceManifest({ uri: 'https://example.com/tee-fw.suit', digest: { algorithmId: -16, bytes: FW } })],
    cnf: { kid: await coseKeyThumbprint(publicCoseKey(teepKey)) },
  };
  const evidence = await buildEvidence({ claims, key: attester });
  return { attester, teepKey, claims, evidence };
}

test('RFC 9679 §6 example: thumbprint of the EC2 P-256 key', async () => {
  const hex = (h: string) => new Uint8Array(Buffer.from(h, 'hex'));
  const key = {
    kty: 'EC2' as const,
    crv: 'P-256' as const,
    x: hex('65eda5a12577c2bae829437fe338701a10aaa375e1bb5b5de108de439c08551d'),
    y: hex('1e52ed75701163f7f9e40ddf9f341b3dc9ba860af7e0ca7ca7e9eecd0084d19c'),
  };
  const t = await coseKeyThumbprint(key);
  assert.deepEqual(t, hex('496bd8afadf307e5b08c64b0421bf9dc01528a344a43bda88fadd1669da253ec'));
  assert.deepEqual(await coseKeyThumbprint({ ...key, kid: new Uint8Array([1]), d: new Uint8Array(32) }), t, 'only the required members count');
});

test('Evidence built and verified with the endorsement key, nonce and cnf', async () => {
  const { attester, teepKey, evidence, claims } = await setup();
  const r = await verifyEvidence(evidence, { endorsementKeys: [publicCoseKey(attester)], nonce: NONCE, teepKey: publicCoseKey(teepKey) });
  assert.deepEqual(r.claims.hwmodel, claims.hwmodel);
  assert.equal(evidence[0], 0xd2, 'tagged COSE_Sign1');
  const { decodeSign1 } = await import('../cose/sign1.js');
  assert.equal(decodeSign1(evidence).headers.protected.get(1), -9, 'ESP256 by default for P-256');
});

test('Evidence failures', async () => {
  const { attester, teepKey, evidence } = await setup();
  const other = await webCryptoProvider.generateKeyPair('P-256');
  const pub = publicCoseKey(attester);
  await assert.rejects(verifyEvidence(evidence, { endorsementKeys: [publicCoseKey(other)] }), { code: 'ERR_EAT_UNTRUSTED_SIGNER' });
  await assert.rejects(verifyEvidence(evidence, { endorsementKeys: [pub], nonce: new Uint8Array(16) }), { code: 'ERR_EAT_NONCE_MISMATCH' });
  await assert.rejects(verifyEvidence(evidence, { endorsementKeys: [pub], teepKey: publicCoseKey(other) }), { code: 'ERR_EAT_CNF_MISMATCH' });
  const tampered = evidence.slice();
  tampered[tampered.length - 1] ^= 1;
  await assert.rejects(verifyEvidence(tampered, { endorsementKeys: [pub] }), { code: 'ERR_EAT_UNTRUSTED_SIGNER' });
  void teepKey;
});

test('endorsement keys: a list falls back to every key, a kid resolver names the only key tried', async () => {
  const { attester, teepKey, evidence, claims } = await setup();
  const pub = publicCoseKey(attester);
  const other = publicCoseKey(await webCryptoProvider.generateKeyPair('P-256'));
  const printOf = async (k: typeof pub) => Buffer.from(await coseKeyThumbprint(k)).toString('hex');
  const ctx = { nonce: NONCE, teepKey: publicCoseKey(teepKey) };

  const asked: string[] = [];
  const resolver = (keys: Record<string, typeof pub>) => async (kid: Uint8Array) => {
    const hex = Buffer.from(kid).toString('hex');
    asked.push(hex);
    return keys[hex];
  };
  const r = await verifyEvidence(evidence, { endorsementKeys: resolver({ [await printOf(pub)]: pub }), ...ctx });
  assert.deepEqual(r.endorsementKey, pub);
  assert.deepEqual(asked, [await printOf(pub)], 'asked for the kid of the Evidence (the thumbprint of its key)');

  // The resolver names the wrong key for that kid: refused, and no other key is tried.
  await assert.rejects(verifyEvidence(evidence, { endorsementKeys: resolver({ [await printOf(pub)]: other }), ...ctx }), { code: 'ERR_EAT_UNTRUSTED_SIGNER' });
  await assert.rejects(verifyEvidence(evidence, { endorsementKeys: resolver({}), ...ctx }), { code: 'ERR_EAT_UNTRUSTED_SIGNER' });

  // Evidence without a kid: a list tries each key; a resolver has nothing to look up and refuses.
  const { createSign1 } = await import('../cose/sign1.js');
  const { encodeEatClaims } = await import('./claims-encode.js');
  const noKid = await createSign1({ payload: encodeEatClaims(claims), key: attester, alg: -9, includeKid: false });
  assert.deepEqual((await verifyEvidence(noKid, { endorsementKeys: [other, pub], ...ctx })).endorsementKey, pub);
  asked.length = 0;
  await assert.rejects(verifyEvidence(noKid, { endorsementKeys: resolver({ [await printOf(pub)]: pub }), ...ctx }), { code: 'ERR_EAT_UNTRUSTED_SIGNER' });
  assert.deepEqual(asked, [], 'no kid, nothing asked');

  // A kid that names no key of a list: each key in turn (the list rule); a resolver refuses.
  const strangeKid = await createSign1({ payload: encodeEatClaims(claims), key: attester, alg: -9, includeKid: false, unprotectedHeaders: new Map([[4, new Uint8Array([7])]]) });
  assert.deepEqual((await verifyEvidence(strangeKid, { endorsementKeys: [other, pub], ...ctx })).endorsementKey, pub);
  await assert.rejects(verifyEvidence(strangeKid, { endorsementKeys: resolver({ [await printOf(pub)]: pub }), ...ctx }), { code: 'ERR_EAT_UNTRUSTED_SIGNER' });
  assert.deepEqual(asked, ['07']);

  const verifier = new ReferenceValueVerifier({ endorsementKeys: resolver({ [await printOf(pub)]: pub }), referenceValues: { hwversions: ['2.0.1'] } });
  assert.equal((await verifier.verify(evidence, ctx)).status, 'affirming');
});

test('ReferenceValueVerifier checks hwmodel, hwversion and firmware digests', async () => {
  const { attester, teepKey, evidence } = await setup();
  const endorsementKeys = [publicCoseKey(attester)];
  const ctx = { nonce: NONCE, teepKey: publicCoseKey(teepKey) };
  const ok = new ReferenceValueVerifier({ endorsementKeys, referenceValues: { hwmodels: [new Uint8Array([0xaa, 0xbb])], hwversions: ['2.0.1'], firmwareDigests: [FW] } });
  assert.equal((await ok.verify(evidence, ctx)).status, 'affirming');
  for (const referenceValues of [{ hwmodels: [new Uint8Array([1])] }, { hwversions: ['1.0'] }, { firmwareDigests: [new Uint8Array(32)] }]) {
    const v = new ReferenceValueVerifier({ endorsementKeys, referenceValues });
    await assert.rejects(v.verify(evidence, ctx), { code: 'ERR_EAT_REFERENCE_VALUE_MISMATCH' });
  }
});
