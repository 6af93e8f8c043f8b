import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CliError } from '../cli-error.js';
import { tamOperations, type TamLink } from './tam-link.js';

/** A TamLink whose admin API answers GET /crypto-operations with `answer` (or fails with it). */
function linkAnswering(answer: unknown): TamLink {
  return {
    url: 'http://127.0.0.1:1',
    admin: {
      request: async <T>(method: string, path: string): Promise<T> => {
        assert.equal(`${method} ${path}`, 'GET /crypto-operations');
        if (answer instanceof Error) throw answer;
        return answer as T;
      },
    },
    stop: async () => {},
  };
}

test('tamOperations: counts with their times; a TAM that serves counts only is untimed; one that does not count is ERR_BENCH_TAM', async () => {
  const counts = { 'sign ESP256': 4 };
  assert.deepEqual(await tamOperations(linkAnswering({ counts, micros: { 'sign ESP256': 120.5 } })), { counts, micros: { 'sign ESP256': 120.5 } });
  assert.deepEqual(await tamOperations(linkAnswering({ counts })), { counts, micros: {} });
  await assert.rejects(tamOperations(linkAnswering(new CliError('ERR_HTTP_NOT_FOUND', 'not found'))), { code: 'ERR_BENCH_TAM' });
  await assert.rejects(tamOperations(linkAnswering(new CliError('ERR_HTTP_UNAUTHORIZED', 'no'))), { code: 'ERR_HTTP_UNAUTHORIZED' });
});
