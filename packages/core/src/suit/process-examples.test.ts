/**
 * Processing every example with the outcome it really has (see docs/suit.md "Examples"):
 * - suit-manifest-37 Examples 0-5 carry placeholder image digests: Abort at the first image-match.
 * - TEEP suit_uri / suit_integrated, trust-domains Example 0 and the firmware-encryption manifests
 *   process fully.
 * - trust-domains Example 1 and TEEP suit_personalization run process-dependency on a dependency that
 *   never passed condition-dependency-integrity (trust-domains-12 §5.6.2 MUST abort).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readVectorHex } from '../test-support/vectors.js';
import { processEnvelope } from './processor.js';
import type { SuitProcessOptions } from './processor-types.js';
import {
  keys, MemoryStorage, MemorySequenceStore, text, id, M37_SYSTEM, TEEP_SYSTEM, TC_ID, TC_MANIFEST_ID,
} from './test-support/fixtures.js';

const TC_BINARY = () => readVectorHex('teep', 'tc_binary_8d82573a-926d-4754-9353-32dc29997f74.ta.hex');
const PLAINTEXT = 'This is a real firmware image.';

function setup(extra: Partial<SuitProcessOptions> = {}) {
  const storage = new MemoryStorage();
  const sequenceStore = new MemorySequenceStore();
  const fetched: string[] = [];
  const opts: SuitProcessOptions = {
    trust: { keys: [keys.signer()] },
    storage,
    sequenceStore,
    fetch: (uri) => {
      fetched.push(uri);
      if (uri === 'http://example.com/dependent.suit') return readVectorHex('suit', 'trust-domains', 'example0_dependent.hex');
      if (uri === 'https://example.org/8d82573a-926d-4754-9353-32dc29997f74.suit') return readVectorHex('teep', 'suit_uri.hex');
      if (uri === 'https://example.org/8d82573a-926d-4754-9353-32dc29997f74.ta') return TC_BINARY();
      if (uri === 'coaps://example.com/encrypted-firmware') return readVectorHex('suit', 'firmware-encryption', 'encrypted-payload-aes-kw-aes-gcm.hex');
      return text('a firmware image that matches no placeholder digest');
    },
    ...extra,
  };
  return { storage, sequenceStore, fetched, opts };
}

const M37 = [
  ['example0.signed.hex', 7],
  ['example1.signed.hex', 20],
  ['example2.signed.hex', 20],
  ['example3.signed.hex', 20],
  ['example4.signed.hex', 16],
  ['example5.signed.hex', 20],
  ['example0.unsigned.hex', 7],
  ['example5.unsigned.hex', 20],
] as const;
for (const [file, section] of M37) {
  test(`suit-manifest-37 ${file}: Aborts at the first condition-image-match, nothing written`, async () => {
    const { storage, sequenceStore, opts } = setup({ system: M37_SYSTEM, trust: { keys: [keys.signer()], allowUnsigned: true } });
    const r = await processEnvelope(readVectorHex('suit', 'manifest', file), opts);
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.error.code, 'ERR_SUIT_IMAGE_MISMATCH');
    assert.notEqual(r.report.result, true);
    if (r.report.result !== true) {
      assert.equal(r.report.result.reason, 10); // condition-failed
      assert.equal(r.report.result.record.section, section);
      assert.ok(r.report.result.record.properties.has(3)); // the image-digest it compared against
    }
    assert.equal(storage.writes, 0);
    assert.equal(sequenceStore.sets, 0);
  });
}

test('suit-manifest-37 example2 severed: install is severed and absent, so the update cannot run', async () => {
  const { storage, opts } = setup({ system: M37_SYSTEM });
  const r = await processEnvelope(readVectorHex('suit', 'manifest', 'example2.severed-signed.hex'), opts);
  assert.equal(!r.ok && r.error.code, 'ERR_SUIT_SEVERED_MISSING');
  assert.equal(r.report.result !== true && r.report.result.record.section, 20);
  assert.equal(r.report.result !== true && r.report.result.reason, 9);
  assert.equal(storage.writes, 0);
});

test('suit-manifest-37 example3: try-each picks the slot the system designates (slot 1 -> file2.bin)', async () => {
  const { fetched, opts } = setup({ system: { ...M37_SYSTEM, componentSlot: 1 } });
  const r = await processEnvelope(readVectorHex('suit', 'manifest', 'example3.signed.hex'), opts);
  assert.equal(!r.ok && r.error.code, 'ERR_SUIT_IMAGE_MISMATCH');
  assert.deepEqual(fetched, ['http://example.com/file2.bin']);
});

test('TEEP suit_uri: fetches the TC binary and installs it; sequence number stored under the manifest-component-id', async () => {
  const { storage, sequenceStore, opts } = setup({ system: TEEP_SYSTEM, nonce: text('token') });
  const r = await processEnvelope(readVectorHex('teep', 'suit_uri.hex'), opts);
  assert.equal(r.ok, true, !r.ok ? r.error.code : '');
  assert.deepEqual(storage.read(TC_ID), TC_BINARY());
  assert.equal(sequenceStore.get(TC_MANIFEST_ID), 3n);
  assert.equal(r.report.result, true);
  assert.deepEqual(r.report.nonce, text('token'));
});

test('TEEP suit_integrated: installs the integrated "#tc" payload without fetching', async () => {
  const { storage, fetched, opts } = setup({ system: TEEP_SYSTEM });
  const r = await processEnvelope(readVectorHex('teep', 'suit_integrated.hex'), opts);
  assert.equal(r.ok, true);
  assert.deepEqual(storage.read(TC_ID), text('Hello, Secure World!'));
  assert.deepEqual(fetched, []);
});

test('trust-domains Example 0: dependency fetched, verified, processed; both payloads land', async () => {
  const { storage, sequenceStore, opts } = setup();
  const r = await processEnvelope(readVectorHex('suit', 'trust-domains', 'example1_process.hex'), opts);
  assert.equal(r.ok, true, !r.ok ? r.error.code : '');
  assert.deepEqual(storage.get('00'), text('hello world'));
  assert.deepEqual(storage.get('10'), text(' in multiple trust domains'));
  assert.equal(sequenceStore.get(id('depending.suit')), 0n);
  assert.equal(sequenceStore.get(id('dependent.suit')), 0n);
});

test('trust-domains Example 0: another envelope served as the dependency fails dependency-resolution image-match', async () => {
  const { storage, opts } = setup();
  const r = await processEnvelope(readVectorHex('suit', 'trust-domains', 'example1_process.hex'), {
    ...opts,
    fetch: () => readVectorHex('suit', 'trust-domains', 'example1_process.hex'),
  });
  assert.equal(!r.ok && r.error.code, 'ERR_SUIT_IMAGE_MISMATCH');
  assert.equal(storage.writes, 0);
});

for (const [file, system] of [
  ['suit/trust-domains/example2_integrated.hex', {}],
  ['teep/suit_personalization.hex', TEEP_SYSTEM],
] as const) {
  test(`${file}: process-dependency without dependency-integrity Aborts, nothing written`, async () => {
    const { storage, sequenceStore, opts } = setup({ system, decryptionKeys: { privateKeys: [keys.esdhReceiverPriv()] } });
    const r = await processEnvelope(readVectorHex(...(file.split('/') as [string, ...string[]])), opts);
    assert.equal(!r.ok && r.error.code, 'ERR_SUIT_DEPENDENCY_NOT_VERIFIED');
    if (r.report.result !== true) {
      assert.equal(r.report.result.reason, 11);
      assert.equal(r.report.result.record.section, 20);
      assert.equal(r.report.result.record.componentIndex, 1);
    }
    assert.equal(storage.writes, 0);
    assert.equal(sequenceStore.sets, 0);
  });
}

const FWENC = [
  ['suit-manifest-aes-kw-content.hex', ['plaintext-firmware'], {}],
  ['suit-manifest-aes-kw.hex', ['plaintext-firmware'], {}],
  ['suit-manifest-aes-kw-slot.hex', [new Uint8Array([0])], { componentSlot: 1 }],
  ['suit-manifest-es-ecdh-content.hex', ['decrypted-firmware'], {}],
  ['suit-manifest-es-ecdh-dependency.hex', ['decrypted-firmware'], {}],
] as const;
for (const [file, target, system] of FWENC) {
  test(`firmware-encryption ${file}: processes fully, the payload decrypts to the printed plaintext`, async () => {
    const { storage, opts } = setup({
      system,
      trust: { keys: [keys.signer(), keys.hmac(), keys.fwencDependencySigner()] },
      decryptionKeys: { keks: [keys.aeskwKek()], privateKeys: [keys.esdhReceiverPriv()] },
    });
    const r = await processEnvelope(readVectorHex('suit', 'firmware-encryption', file), opts);
    assert.equal(r.ok, true, !r.ok ? `${r.error.code} ${r.error.message}` : '');
    assert.equal(new TextDecoder().decode(storage.get(...target)), PLAINTEXT);
  });
}

test('firmware-encryption aes-kw: a wrong KEK fails the copy; the staged fetch is not committed', async () => {
  const { storage, opts } = setup({
    trust: { keys: [keys.hmac()] },
    decryptionKeys: { keks: [{ kty: 'Symmetric', k: text('bbbbbbbbbbbbbbbb'), kid: text('kid-1') }] },
  });
  const r = await processEnvelope(readVectorHex('suit', 'firmware-encryption', 'suit-manifest-aes-kw.hex'), opts);
  assert.equal(!r.ok && r.error.code, 'ERR_SUIT_DECRYPTION_FAILED');
  assert.equal(storage.writes, 0);
});
