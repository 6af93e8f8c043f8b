/**
 * `otrp bench` from the built binary (npm run build first): a tiny install benchmark against its own
 * TAM process, checking the report's last line and that no exchange failed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnTamServe } from '../tam-process.js';
import { runCli } from '../test-support/run-cli.js';

const LAST_LINE = /^ceiling (\d+(?:\.\d+)?)\/s; achieved (\d+(?:\.\d+)?)\/s \((\d+(?:\.\d+)?)% of ceiling\); errors: (\d+)$/;

test('otrp bench: install on 4 devices, concurrency 2, one run of 2 s', { timeout: 180_000 }, async () => {
  const r = await runCli(['bench', '--devices', '4', '--concurrency', '2', '--duration', '2', '--runs', '1']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  const m = LAST_LINE.exec(lines.at(-1)!);
  assert.ok(m, `last line: ${lines.at(-1)}`);
  assert.equal(m[4], '0');
  assert.ok(Number(m[1]) > 0 && Number(m[2]) > 0, 'ceiling and achieved rate are positive');
  // The counted operations were listed, for both parties.
  assert.match(r.stdout, /^ {2}tam {5}verify ESP256 /m);
  assert.match(r.stdout, /^ {2}devices sign ESP256 /m);
  // Both processes timed their operations (the TAM serves its times with the counts).
  const inProcess = /^in the processes the same operations took [0-9.]+ µs per exchange \(TAM ([0-9.]+), devices ([0-9.]+)\), /m.exec(r.stdout);
  assert.ok(inProcess, r.stdout);
  assert.ok(Number(inProcess[1]) > 0 && Number(inProcess[2]) > 0, inProcess[0]);
});

test('otrp bench refuses fewer devices than the concurrency', async () => {
  const r = await runCli(['bench', '--devices', '2', '--concurrency', '4']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^error: ERR_USAGE: /);
});

test('otrp bench --tam against a TAM that does not count its operations: ERR_BENCH_TAM, saying how to start it', { timeout: 120_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'otrp-bench-ext-'));
  try {
    assert.equal((await runCli(['pki', 'init', join(dir, 'pki')])).code, 0);
    const env = { ...process.env };
    delete env['OTRP_COUNT_CRYPTO'];
    const tam = await spawnTamServe(['--pki', join(dir, 'pki'), '--data', join(dir, 'data'), '--listen', '127.0.0.1:0'], { errorCode: 'ERR_TEST_TAM', env });
    try {
      const r = await runCli(['bench', '--tam', tam.url, '--pki', join(dir, 'pki'), '--data', join(dir, 'data'), '--devices', '2', '--concurrency', '1', '--duration', '1', '--runs', '1']);
      assert.equal(r.code, 1, r.stdout);
      assert.match(r.stderr, /^error: ERR_BENCH_TAM: the TAM does not count its operations: start it with OTRP_COUNT_CRYPTO=1\n$/);
    } finally {
      await tam.stop();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
