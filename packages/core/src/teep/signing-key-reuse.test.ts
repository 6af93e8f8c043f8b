/**
 * Signing with the caller's key object (not a `{ ...key, kid }` copy), so the node:crypto provider
 * imports each private key once; the kid header is still the key's RFC 9679 thumbprint.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nodeCrypto from 'node:crypto';
import { createNodeCryptoProvider, type NodeCryptoLike } from '../cose/node-crypto-provider.js';
import { COSE_HEADER, headerValue } from '../cose/headers.js';
import { publicCoseKey, type CoseKey } from '../cose/key.js';
import { decodeSign1, verifySign1 } from '../cose/sign1.js';
import { decodeSign, verifySign } from '../cose/sign.js';
import { coseKeyThumbprint } from '../cose/thumbprint.js';
import { buildEvidence, verifyEvidence } from '../eat/evidence.js';
import { suitReferenceManifest } from '../eat/teep-profile.js';
import { signTeepPayload } from './cipher-suites.js';
import { TEEP_CIPHER_SUITE } from './profiles.js';
import { protectReport } from './suit-reports.js';

/** The node:crypto provider over a node:crypto that counts private-key imports. */
function countingImports() {
  const counter = { imports: 0 };
  const wrapped = {
    ...nodeCrypto,
    createPrivateKey: (k: Parameters<typeof nodeCrypto.createPrivateKey>[0]) => {
      counter.imports++;
      return nodeCrypto.createPrivateKey(k);
    },
  } as unknown as NodeCryptoLike<nodeCrypto.KeyObject>;
  return { provider: createNodeCryptoProvider(wrapped), counter };
}

const payload = new Uint8Array([0x83, 1, 2, 3]);
/** Generates the keys: a provider of their own, so the counted provider meets them as plain COSE keys. */
const keygen = createNodeCryptoProvider(nodeCrypto as unknown as NodeCryptoLike<nodeCrypto.KeyObject>);

test('signTeepPayload: each key imported once over many signatures, kid = thumbprint (COSE_Sign and COSE_Sign1)', async () => {
  const { provider, counter } = countingImports();
  const p256 = await keygen.generateKeyPair('P-256');
  const ed = await keygen.generateKeyPair('Ed25519');
  for (let i = 0; i < 3; i++) {
    const both = await signTeepPayload(payload, [p256, ed], [TEEP_CIPHER_SUITE.sign1Esp256, TEEP_CIPHER_SUITE.sign1Ed25519], provider);
    const r = await verifySign(both, (h) => (headerValue(h, COSE_HEADER.alg) === -9 ? publicCoseKey(p256) : publicCoseKey(ed)), { provider, requireAll: true });
    assert.deepEqual(r.signers.map((s) => s.kid), [await coseKeyThumbprint(p256), await coseKeyThumbprint(ed)]);
    const one = await signTeepPayload(payload, [p256, ed], [TEEP_CIPHER_SUITE.sign1Ed25519], provider);
    assert.deepEqual((await verifySign1(one, publicCoseKey(ed), { provider })).kid, await coseKeyThumbprint(ed));
    // kid is the only unprotected header, as before.
    assert.deepEqual([...decodeSign1(one).headers.unprotected.keys()], [COSE_HEADER.kid]);
    assert.equal(decodeSign(both).signatures.length, 2);
  }
  assert.equal(counter.imports, 2);
});

test('protectReport and buildEvidence: the key is imported once, kid = thumbprint', async () => {
  const { provider, counter } = countingImports();
  const reportKey = await keygen.generateKeyPair('P-256');
  const attester = await keygen.generateKeyPair('P-256');
  const teepKey: CoseKey = await keygen.generateKeyPair('Ed25519');
  for (let i = 0; i < 3; i++) {
    const report = await protectReport(payload, reportKey, undefined, provider);
    assert.deepEqual((await verifySign1(report, publicCoseKey(reportKey), { provider })).kid, await coseKeyThumbprint(reportKey));
    const nonce = new Uint8Array(16).fill(i);
    const evidence = await buildEvidence({
      key: attester,
      provider,
      claims: {
        nonce,
        ueid: new Uint8Array([1, ...new Uint8Array(16).fill(5)]),
        oemid: 32473,
        hwmodel: new Uint8Array([0xaa]),
        hwversion: { version: '1.0', scheme: 1 },
        manifests: [suitReferenceManifest({ uri: 'https://example.com/fw.suit', digest: { algorithmId: -16, bytes: new Uint8Array(32) } })],
        cnf: { kid: await coseKeyThumbprint(teepKey) },
      },
    });
    assert.deepEqual(headerValue(decodeSign1(evidence).headers, COSE_HEADER.kid), await coseKeyThumbprint(attester));
    const v = await verifyEvidence(evidence, { endorsementKeys: [publicCoseKey(attester)], nonce, teepKey: publicCoseKey(teepKey), provider });
    assert.deepEqual(v.endorsementKey, publicCoseKey(attester));
  }
  assert.equal(counter.imports, 2);
});
