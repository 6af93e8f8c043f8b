import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeReport, suitResultCode } from '../suit/report.js';
import { SUIT_REPORT_REASON } from '../suit/errors.js';
import { createSuitProcessorPort } from './suit-processor-port.js';
import { MemoryTcStore } from './tc-store.js';

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
