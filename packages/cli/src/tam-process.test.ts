import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnTamServe } from './tam-process.js';

test('a TAM that exits during start rejects with the caller\'s code and the TAM\'s own error line', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'otrp-tam-process-'));
  try {
    await assert.rejects(spawnTamServe(['--pki', join(dir, 'missing'), '--data', join(dir, 'data'), '--listen', '127.0.0.1:0'], { errorCode: 'ERR_X_TAM' }), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'ERR_X_TAM');
      assert.match(e.message, /exited with 1 during start: error: ERR_TAM_PKI/);
      return true;
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
