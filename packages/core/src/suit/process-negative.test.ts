/**
 * Negative cases (issue 3 "Must show"): each asserts its error code, and that nothing was written:
 * storage keeps its previous content, no sequence number is stored, no invocation happens.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readVectorHex } from '../test-support/vectors.js';
import { processEnvelope } from './processor.js';
import { decodeEnvelope } from './envelope.js';
import type { SuitProcessOptions } from './processor-types.js';
import {
  keys, MemoryStorage, MemorySequenceStore, text, hex, TEEP_SYSTEM, TC_ID, TC_MANIFEST_ID, indexOf, flipBit,
} from './test-support/fixtures.js';

const TC_BINARY = () => readVectorHex('teep', 'tc_binary_8d82573a-926d-4754-9353-32dc29997f74.ta.hex');
const SUIT_URI = () => readVectorHex('teep', 'suit_uri.hex');
const OLD = text('old TC version');

async function expectFailure(bytes: Uint8Array, code: string, extra: Partial<SuitProcessOptions> = {}, stored?: bigint): Promise<void> {
  const storage = new MemoryStorage();
  storage.write(TC_ID, OLD);
  storage.writes = 0;
  const sequenceStore = new MemorySequenceStore();
  if (stored !== undefined) {
    sequenceStore.set(TC_MANIFEST_ID, stored);
    sequenceStore.sets = 0;
  }
  const invoked: unknown[] = [];
  const r = await processEnvelope(bytes, {
    trust: { keys: [keys.signer()] },
    storage,
    sequenceStore,
    system: TEEP_SYSTEM,
    fetch: () => TC_BINARY(),
    invoke: (cid) => void invoked.push(cid),
    ...extra,
  });
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.error.code, code);
  assert.notEqual(r.report.result, true);
  assert.equal(storage.writes, 0);
  assert.deepEqual(storage.read(TC_ID), OLD);
  assert.equal(sequenceStore.sets, 0);
  assert.deepEqual(invoked, []);
}

test('baseline: suit_uri processes with these options (so each negative below fails for its own reason)', async () => {
  const storage = new MemoryStorage();
  const r = await processEnvelope(SUIT_URI(), { trust: { keys: [keys.signer()] }, storage, system: TEEP_SYSTEM, fetch: () => TC_BINARY() });
  assert.equal(r.ok, true);
  assert.deepEqual(storage.read(TC_ID), TC_BINARY());
});

test('a flipped bit in the manifest: ERR_SUIT_DIGEST_MISMATCH', async () => {
  const bytes = SUIT_URI();
  await expectFailure(flipBit(bytes, indexOf(bytes, hex('C0DDD5F15243566087DB4F5B0AA26C2F')) + 3), 'ERR_SUIT_DIGEST_MISMATCH');
});

test('a flipped bit in the signature: ERR_SUIT_AUTHENTICATION_FAILED', async () => {
  const bytes = SUIT_URI();
  const block = decodeEnvelope(bytes).authenticationBlocks[0]!;
  await expectFailure(flipBit(bytes, indexOf(bytes, block.subarray(block.length - 8)) + 4), 'ERR_SUIT_AUTHENTICATION_FAILED');
});

test('a flipped bit in the authentication-wrapper digest: ERR_SUIT_DIGEST_MISMATCH', async () => {
  const bytes = SUIT_URI();
  const d = decodeEnvelope(bytes).digest.bytes;
  await expectFailure(flipBit(bytes, indexOf(bytes, d) + 10), 'ERR_SUIT_DIGEST_MISMATCH');
});

test('a wrong key: ERR_SUIT_AUTHENTICATION_FAILED', async () => {
  await expectFailure(SUIT_URI(), 'ERR_SUIT_AUTHENTICATION_FAILED', { trust: { keys: [keys.esdhReceiver(), keys.fwencDependencySigner()] } });
});

test('no trusted key at all (resolver refuses): ERR_SUIT_AUTHENTICATION_FAILED', async () => {
  await expectFailure(SUIT_URI(), 'ERR_SUIT_AUTHENTICATION_FAILED', { trust: { resolveKey: () => undefined } });
});

test('a severed member whose digest mismatches: ERR_SUIT_SEVERED_DIGEST_MISMATCH', async () => {
  const bytes = readVectorHex('suit', 'manifest', 'example2.signed.hex');
  const text23 = decodeEnvelope(bytes).severed.get(23)!.content;
  // flip a bit inside the text member's last text string (stays well-formed CBOR)
  const bad = flipBit(bytes, indexOf(bytes, text23) + text23.length - 2);
  await expectFailure(bad, 'ERR_SUIT_SEVERED_DIGEST_MISMATCH');
  const install = decodeEnvelope(bytes).severed.get(20)!.content;
  const uri = indexOf(install, text('http://example.com/very/long/path/to/file/file.bin'));
  await expectFailure(flipBit(bytes, indexOf(bytes, install) + uri + 7), 'ERR_SUIT_SEVERED_DIGEST_MISMATCH');
});

test('a sequence number lower than the stored one: ERR_SUIT_ROLLBACK (equal is accepted)', async () => {
  await expectFailure(SUIT_URI(), 'ERR_SUIT_ROLLBACK', {}, 4n);
  const storage = new MemoryStorage();
  const seq = new MemorySequenceStore();
  seq.set(TC_MANIFEST_ID, 3n);
  const r = await processEnvelope(SUIT_URI(), { trust: { keys: [keys.signer()] }, storage, sequenceStore: seq, system: TEEP_SYSTEM, fetch: () => TC_BINARY() });
  assert.equal(r.ok, true);
});

test('a failed vendor condition: ERR_SUIT_VENDOR_MISMATCH', async () => {
  await expectFailure(SUIT_URI(), 'ERR_SUIT_VENDOR_MISMATCH', { system: { ...TEEP_SYSTEM, vendorId: new Uint8Array(16) } });
});

test('a failed class condition: ERR_SUIT_CLASS_MISMATCH', async () => {
  await expectFailure(SUIT_URI(), 'ERR_SUIT_CLASS_MISMATCH', { system: { ...TEEP_SYSTEM, classId: new Uint8Array(16) } });
});

test('a payload whose digest mismatches: ERR_SUIT_IMAGE_MISMATCH (same size, one bit off)', async () => {
  await expectFailure(SUIT_URI(), 'ERR_SUIT_IMAGE_MISMATCH', { fetch: () => flipBit(TC_BINARY(), 5) });
});

test('a fetch that fails: ERR_SUIT_FETCH_FAILED', async () => {
  await expectFailure(SUIT_URI(), 'ERR_SUIT_FETCH_FAILED', { fetch: () => { throw new Error('network down'); } });
});

test('a truncated envelope: ERR_SUIT_MALFORMED, at every length', async () => {
  const bytes = SUIT_URI();
  for (const n of [0, 1, 2, 10, 50, bytes.length >> 1, bytes.length - 1]) await expectFailure(bytes.subarray(0, n), 'ERR_SUIT_MALFORMED');
});
