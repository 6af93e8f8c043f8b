import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeReport, suitResultCode } from '../suit/report.js';
import { SUIT_REPORT_REASON } from '../suit/errors.js';
import * as nodeCrypto from 'node:crypto';
import { createSuitProcessorPort } from './suit-processor-port.js';
import { MemoryTcStore } from './tc-store.js';
import { countingCryptoProvider } from '../cose/counting-crypto-provider.js';
import { createNodeCryptoProvider } from '../cose/node-crypto-provider.js';
import { webCryptoProvider } from '../cose/webcrypto-provider.js';
import { publicCoseKey } from '../cose/key.js';
import type { CryptoProvider } from '../cose/crypto-provider.js';
import { MemorySequenceStore, MemoryStorage, makeRelease } from './test-support/world.js';
import { indexOf } from '../suit/test-support/fixtures.js';

test('unlinking a manifest that is not installed fails with a SUIT report (component unsupported), nonce kept', async () => {
  const writes: unknown[] = [];
  const port = createSuitProcessorPort({
    trust: { keys: [] },
    storage: { read: () => undefined, write: (id) => void writes.push(id), remove: (id) => void writes.push(id) },
    sequenceStore: { get: () => undefined, set: () => undefined },
    tcStore: new MemoryTcStore(),
  });
  const nonce = new Uint8Array(16).fill(7);
  const r = await port.unlink([new TextEncoder().encode('nothing-here')], { nonce });
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.error, 'ERR_SUIT_COMPONENT_UNSUPPORTED');
  const report = decodeReport(r.report);
  assert.deepEqual(report.nonce, nonce);
  assert.notEqual(report.result, true);
  assert.equal(report.result !== true && report.result.code, suitResultCode('ERR_SUIT_COMPONENT_UNSUPPORTED'));
  assert.equal(report.result !== true && report.result.reason, SUIT_REPORT_REASON.componentUnsupported);
  assert.deepEqual(writes, []);
});

/** Counts the calls `crypto.subtle` gets while `fn` runs. */
async function subtleCalls<T>(fn: () => Promise<T> | T): Promise<{ result: T; calls: number }> {
  const subtle = globalThis.crypto.subtle as unknown as Record<string, unknown>;
  const names = ['digest', 'verify', 'sign', 'importKey'] as const;
  const saved = names.map((n) => subtle[n]);
  let calls = 0;
  for (const [i, n] of names.entries()) {
    subtle[n] = (...args: unknown[]) => (calls++, (saved[i] as (...a: unknown[]) => unknown).apply(globalThis.crypto.subtle, args));
  }
  try {
    return { result: await fn(), calls };
  } finally {
    for (const [i, n] of names.entries()) subtle[n] = saved[i];
  }
}

test('with a provider, the SUIT port hashes and verifies through it (no WebCrypto call); tampering and rollback are still refused', async () => {
  const signer = await webCryptoProvider.generateKeyPair('P-256');
  const v2 = await makeRelease('app', 2, signer);
  const v1 = await makeRelease('app', 1, signer);
  let digests = 0;
  const node = createNodeCryptoProvider(nodeCrypto);
  const spy: CryptoProvider = { ...node, digest: (h, d) => (digests++, node.digest(h, d)) };
  const provider = countingCryptoProvider(spy);
  const storage = new MemoryStorage();
  const tcStore = new MemoryTcStore();
  const port = createSuitProcessorPort({ trust: { keys: [publicCoseKey(signer)] }, storage, sequenceStore: new MemorySequenceStore(), tcStore, provider });

  const { result: ok, calls } = await subtleCalls(() => port.update(v2.envelope, {}));
  assert.equal(ok.ok, true);
  assert.equal(calls, 0);
  assert.deepEqual(provider.counts(), { 'verify ESP256': 1 });
  // at least the manifest digest, image-match, and the installed image's digest for tc-list
  assert.ok(digests >= 3, `${digests} digests`);
  assert.deepEqual(tcStore.list()[0]!.imageDigests, [v2.imageDigest]);

  // A flipped byte in the integrated payload (signature fine, image digest not): refused.
  const v3 = await makeRelease('app', 3, signer);
  const tampered = new Uint8Array(v3.envelope);
  tampered[indexOf(tampered, v3.payload)] ^= 1;
  const bad = await port.update(tampered, {});
  assert.equal(!bad.ok && bad.error, 'ERR_SUIT_IMAGE_MISMATCH');
  // A lower sequence number: refused as a rollback, v2 stays installed.
  const rollback = await port.update(v1.envelope, {});
  assert.equal(!rollback.ok && rollback.error, 'ERR_SUIT_ROLLBACK');
  assert.equal(tcStore.list()[0]!.sequenceNumber, 2n);
  assert.equal(provider.counts()['verify ESP256'], 3);
});
