// `otrp demo` from the built CLI (npm run build first): exit 0, and a transcript that shows the four
// messages of an attested install in order, and both inventories; `--protocol otrp`: every OTrP
// message of GetDeviceState, CreateSD, InstallTA, UpdateTA, DeleteTA and DeleteSD.
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
    assert.match(r.stdout, /SEQ\s+SIGNER \/ SP, SD\s+INSTALLED AT\n\s+teep\s+[0-9a-f]+\s+1\s+CN=otrp TC Signer/);
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

/** Every message `otrp demo --protocol otrp` exchanges, per session, in order. */
const OTRP_SESSIONS = [
  ['GetDeviceStateRequest', 'GetDeviceStateResponse', 'CreateSDRequest', 'CreateSDResponse', 'InstallTARequest', 'InstallTAResponse'],
  ['GetDeviceStateRequest', 'GetDeviceStateResponse', 'UpdateTARequest', 'UpdateTAResponse'],
  ['GetDeviceStateRequest', 'GetDeviceStateResponse', 'DeleteTARequest', 'DeleteTAResponse', 'DeleteSDRequest', 'DeleteSDResponse'],
];

test('otrp demo --protocol otrp exits 0; its transcript shows every OTrP message type of the three sessions, in order', { timeout: 240_000 }, async () => {
  const keep = await mkdtemp(join(tmpdir(), 'otrp-demo-otrp-test-'));
  try {
    const r = await runCli(['demo', '--protocol', 'otrp', '--keep', keep]);
    assert.equal(r.code, 0, `${r.stderr}\n${r.stdout}`);
    // The three `device run` steps, each with its messages in order.
    const runs = r.stdout.split(/^== /m).filter((part) => /\$ otrp device run device --tam \S+\/otrp --protocol otrp --once --verbose/.test(part));
    assert.equal(runs.length, 3, r.stdout);
    runs.forEach((text, i) => {
      // The relayed messages, one `TAM -> device  NAME  N bytes ...` / `device -> TAM  NAME ...` line each.
      const relayed = [...text.matchAll(/^\s*(?:TAM -> device|device -> TAM)\s+([A-Za-z]+(?:Request|Response))\s+\d+ bytes/gm)].map((m) => m[1]);
      assert.deepEqual(relayed, OTRP_SESSIONS[i], `session ${i + 1}:\n${text}`);
    });
    for (const name of OTRP_SESSIONS.flat()) assert.match(r.stdout, new RegExp(`\\b${name}\\b`));
    // The package build, the uploads (version 1 new, version 2 replacing it) and the policy steps.
    assert.match(r.stdout, /wrote wallet-v1\.ta\.json: TA wallet\.bank\.example version 1 for SP bank\.example, SD sd\.bank\.example/);
    assert.match(r.stdout, /stored \S+ OTrP TA wallet\.bank\.example version 2 \(signer CN=otrp TC Signer/);
    // Both inventories after the update: the TAM lists the TC at version 2, the device the TA in its SD.
    assert.match(r.stdout, /CN=demo-device teep\s+active\s.*\s[0-9a-f-]{36}@2\n/);
    assert.match(r.stdout, /otrp\s+wallet\.bank\.example\s+-\s+SP bank\.example, SD sd\.bank\.example\s/);
    assert.match(r.stdout, /demo complete\n$/);
    assert.ok((await readdir(keep)).includes('wallet-v2.ta.json'));
  } finally {
    await rm(keep, { recursive: true, force: true });
  }
});

test('otrp demo --protocol refuses anything but teep and otrp', async () => {
  const r = await runCli(['demo', '--protocol', 'gp']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^error: ERR_USAGE: --protocol must be teep or otrp/);
});
