import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildEnvelope } from './builder.js';
import { verifyEnvelope } from './verify.js';
import { processEnvelope } from './processor.js';
import { decodeSign1 } from '../cose/sign1.js';
import { webCryptoProvider } from '../cose/webcrypto-provider.js';
import { publicCoseKey } from '../cose/key.js';
import { keys, MemoryStorage, MemorySequenceStore, text, id } from './test-support/fixtures.js';

const VENDOR = 'fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe';
const CLASS = '1492af14-2569-5e48-bf42-9b2d51f2ab45';
const SYSTEM = { vendorId: new Uint8Array(Buffer.from(VENDOR.replace(/-/g, ''), 'hex')), classId: new Uint8Array(Buffer.from(CLASS.replace(/-/g, ''), 'hex')) };
const spec = (extra: object = {}) => ({
  sequenceNumber: 7,
  manifestComponentId: ['app', 'suit'],
  description: 'test TA',
  components: [{ id: ['app', 'ta'], vendorId: VENDOR, classId: CLASS, invoke: true, ...extra }],
});

test('integrated payload: build (ESP256) -> verify -> process -> installed; the sequence number is stored', async () => {
  const payload = text('trusted application v7');
  const env = await buildEnvelope(spec(), { payloads: [payload], key: keys.signerPriv() });
  const v = await verifyEnvelope(env, { keys: [keys.signer()] });
  assert.equal(v.verifiedBy?.alg, -9);
  assert.equal(v.manifest.sequenceNumber, 7n);
  const storage = new MemoryStorage();
  const seq = new MemorySequenceStore();
  const r = await processEnvelope(env, { trust: { keys: [keys.signer()] }, storage, sequenceStore: seq, system: SYSTEM });
  assert.equal(r.ok, true, !r.ok ? r.error.code : '');
  assert.deepEqual(storage.get('app', 'ta'), payload);
  assert.equal(seq.get(id('app', 'suit')), 7n);
  const inv = await processEnvelope(env, { trust: { keys: [keys.signer()] }, storage, system: SYSTEM, procedure: 'invoke' });
  assert.equal(inv.ok && inv.invoked.length, 1);
});

test('uri payload: the device fetches it', async () => {
  const payload = text('fetched payload');
  const env = await buildEnvelope(spec({ uri: 'https://example.org/app.ta' }), { payloads: [payload], key: keys.signerPriv() });
  const storage = new MemoryStorage();
  const r = await processEnvelope(env, { trust: { keys: [keys.signer()] }, storage, system: SYSTEM, fetch: (u) => (u === 'https://example.org/app.ta' ? payload : new Uint8Array()) });
  assert.equal(r.ok, true);
  assert.deepEqual(storage.get('app', 'ta'), payload);
});

for (const [name, recipient, decryptionKeys] of [
  ['ECDH-ES+A128KW', keys.esdhReceiver(), { privateKeys: [keys.esdhReceiverPriv()] }],
  ['A128KW', keys.aeskwKek(), { keks: [keys.aeskwKek()] }],
] as const) {
  for (const contentAlg of [1, -65534]) {
    test(`encrypted payload (${name}, content alg ${contentAlg}): decrypts on the device; a wrong key fails with nothing written`, async () => {
      const payload = text('secret personalization data');
      const env = await buildEnvelope(spec(), { payloads: [payload], key: keys.signerPriv(), encryptTo: recipient, contentAlg });
      const storage = new MemoryStorage();
      const r = await processEnvelope(env, { trust: { keys: [keys.signer()] }, storage, system: SYSTEM, decryptionKeys });
      assert.equal(r.ok, true, !r.ok ? r.error.code : '');
      assert.deepEqual(storage.get('app', 'ta'), payload);
      const empty = new MemoryStorage();
      const bad = await processEnvelope(env, { trust: { keys: [keys.signer()] }, storage: empty, system: SYSTEM, decryptionKeys: {} });
      assert.equal(!bad.ok && bad.error.code, 'ERR_SUIT_DECRYPTION_FAILED');
      assert.equal(empty.writes, 0);
    });
  }
}

test('Ed25519 signer with an x5chain header', async () => {
  const kp = await webCryptoProvider.generateKeyPair('Ed25519');
  const cert = text('not really a certificate, only carried');
  const env = await buildEnvelope(spec(), { payloads: [text('x')], key: kp, x5chain: [cert] });
  const v = await verifyEnvelope(env, { resolveKey: () => publicCoseKey(kp) });
  assert.equal(v.verifiedBy?.alg, -19);
  assert.deepEqual(v.verifiedBy?.x5chain?.[0], cert);
  assert.ok(decodeSign1(v.envelope.authenticationBlocks[0]!).headers.protected.has(33));
  await assert.rejects(verifyEnvelope(env, { keys: [keys.signer()] }), { code: 'ERR_SUIT_AUTHENTICATION_FAILED' });
});

test('invalid specs are refused with ERR_SUIT_INVALID_SPEC', async () => {
  for (const s of [null, {}, { sequenceNumber: -1, components: [{ id: ['a'] }] }, { sequenceNumber: 1, components: [] }, { sequenceNumber: 1, components: [{ id: 'a' }] }, spec({ vendorId: 'zz' }), spec({ integratedKey: 'tc' })]) {
    await assert.rejects(buildEnvelope(s, { payloads: [text('x')], key: keys.signerPriv() }), { code: 'ERR_SUIT_INVALID_SPEC' }, JSON.stringify(s));
  }
  await assert.rejects(buildEnvelope(spec(), { key: keys.signerPriv() }), { code: 'ERR_SUIT_INVALID_SPEC' });
});
