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
