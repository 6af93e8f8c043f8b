import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CRASH_STEPS } from './crash-points.js';
import { removeStaleTemporaries, writeFileAtomic, TEMP_PREFIX } from './atomic-file.js';
import { runCrashChild } from '../test-support/run-crash-child.js';

const OLD = 'old content '.repeat(2000);
const NEW = 'NEW CONTENT '.repeat(3000);

test('writeFileAtomic replaces the content and leaves no temporary file', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'otrp-atomic-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const f = join(dir, 'f');
  await writeFileAtomic(f, new TextEncoder().encode('one'));
  await writeFileAtomic(f, new TextEncoder().encode('two'));
  assert.equal(await readFile(f, 'utf8'), 'two');
  assert.deepEqual(await readdir(dir), ['f']);
  await assert.rejects(writeFileAtomic(join(dir, 'missing-dir', 'f'), new Uint8Array(1)), { code: 'ERR_TEE_STORAGE' });
});

// A child process writes NEW over OLD and is SIGKILLed at each step; the file is OLD or NEW, never torn.
for (const step of CRASH_STEPS) {
  test(`killed at ${step}: the file holds the old or the new content`, async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'otrp-atomic-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const f = join(dir, 'f');
    await writeFile(f, OLD);
    const outcome = await runCrashChild(['atomic', f, NEW], step);
    assert.equal(outcome.signal, 'SIGKILL', `child was not killed at ${step}: ${outcome.stderr}`);
    const content = await readFile(f, 'utf8');
    const renamed = CRASH_STEPS.indexOf(step) >= CRASH_STEPS.indexOf('after-rename');
    assert.equal(content, renamed ? NEW : OLD);
    // What a crash leaves behind is only a temporary, which the next open removes.
    const left = (await readdir(dir)).filter((n) => n !== 'f');
    assert.ok(left.every((n) => n.startsWith(TEMP_PREFIX)), `unexpected files ${left.join(', ')}`);
    assert.equal(await removeStaleTemporaries(dir), left.length);
    assert.deepEqual(await readdir(dir), ['f']);
  });
}

test('without a crash point armed the child completes', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'otrp-atomic-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const f = join(dir, 'f');
  await writeFile(f, OLD);
  const outcome = await runCrashChild(['atomic', f, NEW], undefined);
  assert.equal(outcome.code, 0, outcome.stderr);
  assert.equal(await readFile(f, 'utf8'), NEW);
});
