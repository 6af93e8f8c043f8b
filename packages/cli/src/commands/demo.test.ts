// `otrp demo` from the built CLI (npm run build first): exit 0, and a transcript that shows the four
// messages of an attested install in order, and both inventories.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../test-support/run-cli.js';

test('otrp demo exits 0; its transcript shows QueryRequest, QueryResponse, Update, Success and both inventories', { timeout: 180_000 }, async () => {
  const keep = await mkdtemp(join(tmpdir(), 'otrp-demo-test-'));
  try {
    const r = await runCli(['demo', '--keep', keep]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    const at = (re: RegExp) => lines.findIndex((l) => re.test(l));
    const order = [
      at(/TAM -> device {2}QueryRequest {2}\d+ bytes/),
      at(/device -> TAM {2}QueryResponse {2}\d+ bytes .*evidence=/),
      at(/TAM -> device {2}Update {2}\d+ bytes .*manifests=\[.* seq 1\]/),
      at(/device -> TAM {2}Success {2}\d+ bytes/),
    ];
    assert.ok(order.every((i) => i >= 0), r.stdout);
    assert.deepEqual([...order].sort((a, b) => a - b), order);
    // The TAM's listing: the device attested (affirming) with the TC at sequence 1; the device's own list.
    assert.match(r.stdout, /CN=demo-device teep\s+active\s+otrp simulated TEE\s+affirming\s+\S+\s+[0-9a-f-]{36}@1/);
    assert.match(r.stdout, /SEQ\s+SIGNER\s+INSTALLED AT\n\s+[0-9a-f]+\s+1\s+CN=otrp TC Signer/);
    assert.match(r.stdout, /demo complete\n$/);
    // --keep kept the files; without it the temporary directory is removed (not checked here: it is random).
    assert.ok((await readdir(keep)).includes('tam-data'));
  } finally {
    await rm(keep, { recursive: true, force: true });
  }
});

test('otrp demo --keep refuses a non-empty directory', async () => {
  const keep = await mkdtemp(join(tmpdir(), 'otrp-demo-test-'));
  try {
    await runCli(['pki', 'init', join(keep, 'x')]);
    const r = await runCli(['demo', '--keep', keep]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: ERR_USAGE: /);
  } finally {
    await rm(keep, { recursive: true, force: true });
  }
});
