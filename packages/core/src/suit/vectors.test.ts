/**
 * Every example envelope of suit-manifest-37 App. B, trust-domains-12 App. B, firmware-encryption §9
 * and TEEP -26 App. E decodes and verifies with the keys printed in those drafts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readVectorHex } from '../test-support/vectors.js';
import { verifyEnvelope } from './verify.js';
import { decodeEnvelope } from './envelope.js';
import { keys } from './test-support/fixtures.js';

const M37 = ['example0', 'example1', 'example2', 'example3', 'example4', 'example5'];

for (const name of M37) {
  test(`suit-manifest-37 App. B ${name}: signed envelope verifies (ES256)`, async () => {
    const r = await verifyEnvelope(readVectorHex('suit', 'manifest', `${name}.signed.hex`), { keys: [keys.signer()] });
    assert.equal(r.verifiedBy?.alg, -7);
    assert.equal(r.envelope.tagged, true);
  });
  const unsigned = name === 'example2' ? 'example2.severed-unsigned.hex' : `${name}.unsigned.hex`;
  test(`suit-manifest-37 App. B ${name}: unsigned envelope verifies its digest only with allowUnsigned`, async () => {
    const bytes = readVectorHex('suit', 'manifest', unsigned);
    const r = await verifyEnvelope(bytes, { allowUnsigned: true });
    assert.equal(r.verifiedBy, undefined);
    await assert.rejects(verifyEnvelope(bytes, { keys: [keys.signer()] }), { code: 'ERR_SUIT_AUTHENTICATION_FAILED' });
  });
}

test('suit-manifest-37 example2: severed+signed verifies; the severed install/text are digests in the manifest', async () => {
  const r = await verifyEnvelope(readVectorHex('suit', 'manifest', 'example2.severed-signed.hex'), { keys: [keys.signer()] });
  assert.equal(r.manifest.members.get(20)?.kind, 'severed');
  assert.equal(r.manifest.members.get(23)?.kind, 'severed');
  const full = await verifyEnvelope(readVectorHex('suit', 'manifest', 'example2.signed.hex'), { keys: [keys.signer()] });
  assert.equal(full.envelope.severed.size, 2);
});

const ESP256 = [
  ['suit', 'trust-domains', 'example0_dependent.hex'],
  ['suit', 'trust-domains', 'example1_process.hex'],
  ['suit', 'trust-domains', 'example2_integrated.hex'],
  ['suit', 'firmware-encryption', 'suit-manifest-es-ecdh-content.hex'],
  ['teep', 'suit_uri.hex'],
  ['teep', 'suit_integrated.hex'],
  ['teep', 'suit_personalization.hex'],
];
for (const path of ESP256) {
  test(`${path.slice(1).join('/')}: verifies with the SUIT example signer (ESP256)`, async () => {
    const r = await verifyEnvelope(readVectorHex(...path), { keys: [keys.signer()] });
    assert.equal(r.verifiedBy?.alg, -9);
  });
}

test('trust-domains example2_integrated: the integrated dependency verifies too', async () => {
  const env = decodeEnvelope(readVectorHex('suit', 'trust-domains', 'example2_integrated.hex'));
  const dep = env.integrated.get('#dependent.suit');
  assert.ok(dep);
  const r = await verifyEnvelope(dep, { keys: [keys.signer()] });
  assert.deepEqual([...r.manifest.manifestComponentId![0]!], [...new TextEncoder().encode('dependent.suit')]);
});

for (const name of ['suit-manifest-aes-kw-content', 'suit-manifest-aes-kw', 'suit-manifest-aes-kw-slot']) {
  test(`firmware-encryption ${name}: COSE_Mac0 (HMAC 256/256) verifies`, async () => {
    const r = await verifyEnvelope(readVectorHex('suit', 'firmware-encryption', `${name}.hex`), { keys: [keys.hmac()] });
    assert.equal(r.verifiedBy?.type, 'COSE_Mac0');
    await assert.rejects(
      verifyEnvelope(readVectorHex('suit', 'firmware-encryption', `${name}.hex`), { keys: [{ kty: 'Symmetric', k: new Uint8Array(32) }] }),
      { code: 'ERR_SUIT_AUTHENTICATION_FAILED' },
    );
  });
}

test('firmware-encryption es-ecdh-dependency: outer signed by the dependency signer, inner by the SUIT signer', async () => {
  const bytes = readVectorHex('suit', 'firmware-encryption', 'suit-manifest-es-ecdh-dependency.hex');
  await verifyEnvelope(bytes, { keys: [keys.fwencDependencySigner()] });
  await assert.rejects(verifyEnvelope(bytes, { keys: [keys.signer()] }), { code: 'ERR_SUIT_AUTHENTICATION_FAILED' });
  const inner = decodeEnvelope(bytes).integrated.get('#dependency-manifest');
  assert.ok(inner);
  await verifyEnvelope(inner, { keys: [keys.signer()] });
});

test('suit-manifest-37 example2: the severed text member decodes (language "en-US", per-component texts)', async () => {
  const { decodeText } = await import('./text.js');
  const env = decodeEnvelope(readVectorHex('suit', 'manifest', 'example2.signed.hex'));
  const text = decodeText(env.severed.get(23)!.content);
  const en = text.get('en-US');
  assert.ok(en);
  assert.match(en.texts.get(1)!, /^## Example 2: Simultaneous Download/);
  assert.deepEqual([...en.components[0]!.componentId[0]!], [0]);
  assert.equal(en.components[0]!.texts.get(3), 'arm.com');
  assert.throws(() => decodeText(new Uint8Array([0xa1, 0x01, 0x02])), { code: 'ERR_SUIT_MALFORMED' });
});
