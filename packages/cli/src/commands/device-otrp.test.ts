// `otrp device run --protocol otrp` and `otrp device list` from the built CLI (npm run build first),
// against a real TAM (startTamServer in this process, `POST /otrp`) whose store holds an OTrP TA
// (`otrp-ta` component) with a `required` policy: exit codes, the --verbose transcript, the listing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodePem } from '@otrp/core';
import { encodeOtrpTaPackage, startTamServer, taComponentId, type RunningTamServer } from '@otrp/tam';
import { CLI_BIN, runCli } from '../test-support/run-cli.js';

const code = (stderr: string) => /^error: ([A-Z0-9_]+):/.exec(stderr)?.[1];
const TA = { spid: 'bank.example', sdname: 'sd.bank.example', taid: 'wallet.bank.example' } as const;

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function requireTa(tam: RunningTamServer, pki: string): Promise<void> {
  const spcert = decodePem(await readFile(join(pki, 'signer', 'cert.pem'), 'utf8'), 'CERTIFICATE')[0]!;
  const manifest = encodeOtrpTaPackage({ ...TA, taname: 'wallet', spcert, binary: new TextEncoder().encode('wallet TA v1'), pdata: new TextEncoder().encode('perso') });
  const tc = await tam.store.trustedComponents.add({
    componentId: taComponentId(TA.taid), name: 'wallet', format: 'otrp-ta', manifest,
    signerSubject: 'CN=bank.example', signerThumbprint: new Uint8Array(createHash('sha256').update(spcert).digest()), sequenceNumber: 1,
  });
  await tam.store.policies.set({ tcId: tc.id, action: 'required', scope: { kind: 'all' } });
}

test('device run --protocol otrp: a whole session (exit 0, --verbose transcript), then device list shows the TA', { timeout: 180_000 }, async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'otrp-device-otrp-cli-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const pki = join(root, 'pki');
  const dev = join(root, 'dev');
  const init = await runCli(['pki', 'init', pki]);
  assert.equal(init.code, 0, init.stderr);
  const tam = await startTamServer({ pkiDir: pki, dataDir: join(root, 'tam'), host: '127.0.0.1', port: 0, adminToken: 'device-otrp-cli-test-token-0123456' });
  t.after(() => tam.close());
  await requireTa(tam, pki);
  const devInit = await runCli(['device', 'init', dev, '--pki', pki, '--name', 'otrp-cli']);
  assert.equal(devInit.code, 0, devInit.stderr);

  const run = await runCli(['device', 'run', dev, '--tam', `${tam.url}/otrp`, '--protocol', 'otrp', '--once', '--verbose']);
  assert.equal(run.code, 0, `${run.stderr}\n${run.stdout}`);
  assert.equal(run.stderr, '');
  const lines = run.stdout.split('\n');
  const names = lines.map((l) => /^(device -> TAM|TAM -> device) {2}(\S+)/.exec(l)?.slice(1).join(' ')).filter(Boolean);
  assert.deepEqual(names, [
    'device -> TAM (empty', 'TAM -> device GetDeviceStateRequest', 'device -> TAM GetDeviceStateResponse', 'TAM -> device CreateSDRequest',
    'device -> TAM CreateSDResponse', 'TAM -> device InstallTARequest', 'device -> TAM InstallTAResponse', 'TAM -> device (204',
  ]);
  assert.match(run.stdout, /^TAM -> device {2}CreateSDRequest {2}\d+ bytes {2}rid=\S+ {2}tid=\S+ {2}tee="otrp-cli"/m);
  assert.match(run.stdout, /^device -> TAM {2}CreateSDResponse {2}\d+ bytes {2}rid=\S+ {2}tid=\S+ {2}status=pass {2}\[TEE: created SD sd\.bank\.example \(SP bank\.example\)\]$/m);
  assert.match(run.stdout, /^device -> TAM {2}InstallTAResponse .*\[TEE: installed TA wallet\.bank\.example in SD sd\.bank\.example\]$/m);
  assert.match(run.stdout, /^OTrP TAs now: wallet\.bank\.example \(SD sd\.bank\.example, SP bank\.example\)$/m);

  const list = await runCli(['device', 'list', dev]);
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /^PROTOCOL +ID +SEQ +SIGNER \/ SP, SD +INSTALLED AT/m);
  assert.match(list.stdout, /^otrp +wallet\.bank\.example +- +SP bank\.example, SD sd\.bank\.example +\d{4}-\d\d-\d\dT/m);
  const json = await runCli(['device', 'list', dev, '--json']);
  assert.equal(json.code, 0, json.stderr);
  const listed = JSON.parse(json.stdout);
  assert.deepEqual(listed.teep, []);
  assert.deepEqual(listed.otrp.sds, [{ tamid: 'https://tam.example/tam', spid: TA.spid, name: TA.sdname, tas: 1 }]);
  assert.deepEqual(listed.otrp.tas.map((x: any) => [x.protocol, x.spid, x.sdname, x.taid, x.size]), [['otrp', TA.spid, TA.sdname, TA.taid, 12]]);

  // Nothing left to do: GetDeviceState only, exit 0.
  const again = await runCli(['device', 'run', dev, '--tam', `${tam.url}/otrp`, '--protocol', 'otrp']);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /^OTrP session with .*: 2 HTTP round trips\nGetDeviceStateRequest: answered\n/);

  // A device from another PKI does not trust this TAM: its TEE answers ERR_TAM_NOT_TRUSTED, exit 1.
  const pki2 = join(root, 'pki2');
  assert.equal((await runCli(['pki', 'init', pki2])).code, 0);
  const dev2 = join(root, 'dev2');
  assert.equal((await runCli(['device', 'init', dev2, '--pki', pki2])).code, 0);
  const refused = await runCli(['device', 'run', dev2, '--tam', `${tam.url}/otrp`, '--protocol', 'otrp', '--verbose']);
  assert.equal(refused.code, 1);
  assert.equal(refused.stderr, 'error: ERR_OTRP_ERROR_SENT: the TEE answered GetDeviceStateRequest with ERR_TAM_NOT_TRUSTED (ERR_OTRP_TAM_NOT_TRUSTED)\n');
  assert.match(refused.stdout, /^device -> TAM {2}GetDeviceStateResponse .*status=fail {2}reason=ERR_TAM_NOT_TRUSTED {2}\[TEE: ERR_TAM_NOT_TRUSTED/m);

  // An Ed25519 device has no OTrP key.
  const dev3 = join(root, 'dev3');
  assert.equal((await runCli(['device', 'init', dev3, '--pki', pki, '--alg', 'Ed25519'])).code, 0);
  const ed = await runCli(['device', 'run', dev3, '--tam', `${tam.url}/otrp`, '--protocol', 'otrp']);
  assert.equal(ed.code, 1);
  assert.match(ed.stderr, /^error: ERR_TEE_COMMAND_FAILED: ERR_OTRP_UNAVAILABLE: /);

  // --otrp-alg RS256: a dedicated RSA key, also on an Ed25519 device.
  const dev4 = join(root, 'dev4');
  const init4 = await runCli(['device', 'init', dev4, '--pki', pki, '--alg', 'Ed25519', '--otrp-alg', 'RS256']);
  assert.equal(init4.code, 0, init4.stderr);
  assert.match(init4.stdout, /^OTrP key: RS256 \(dedicated\)$/m);
  const show4 = await runCli(['device', 'show', dev4]);
  assert.match(show4.stdout, /^ {2}otrp {10}RS256 \(a dedicated key\); certificate CN=dev4 otrp, until /m);
  const rsa = await runCli(['device', 'run', dev4, '--tam', `${tam.url}/otrp`, '--protocol', 'otrp', '--verbose']);
  assert.equal(rsa.code, 0, `${rsa.stderr}\n${rsa.stdout}`);
  assert.match(rsa.stdout, /^OTrP TAs now: wallet\.bank\.example /m);
  for (const bad of [['--otrp-alg', 'PS256'], ['--otrp-rsa1_5'], ['--alg', 'Ed25519', '--otrp-alg', 'ES256']]) {
    const r = await runCli(['device', 'init', join(root, 'never'), '--pki', pki, ...bad]);
    assert.equal(code(r.stderr), 'ERR_USAGE', bad.join(' '));
  }

  // TAM not reachable, HTTP errors: the Broker's code.
  const down = await runCli(['device', 'run', dev, '--tam', `http://127.0.0.1:${await closedPort()}/otrp`, '--protocol', 'otrp']);
  assert.equal(code(down.stderr), 'ERR_BROKER_TRANSPORT');
  const wrongPath = await runCli(['device', 'run', dev, '--tam', `${tam.url}/no-such-route`, '--protocol', 'otrp']);
  assert.equal(code(wrongPath.stderr), 'ERR_BROKER_HTTP_STATUS');

  // --poll: every round is a session; a failed round is reported and the loop goes on; SIGTERM ends it with 0.
  const port = await closedPort();
  for (const url of [`${tam.url}/otrp`, `http://127.0.0.1:${port}/otrp`]) {
    const poll = spawn(process.execPath, [CLI_BIN, 'device', 'run', dev, '--tam', url, '--protocol', 'otrp', '--poll', '0.2'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let polled = '';
    poll.stdout.on('data', (c: Buffer) => {
      polled += c.toString('utf8');
      if (/^round 2 /m.test(polled)) poll.kill('SIGTERM');
    });
    assert.equal(await new Promise<number | null>((r) => poll.on('exit', (c) => r(c))), 0, polled);
    if (url.includes(String(port))) assert.match(polled, /^round 1 at .*\nerror: ERR_BROKER_TRANSPORT: /m);
    else assert.match(polled, /^round 1 at .*\nOTrP session with .*: 2 HTTP round trips\nGetDeviceStateRequest: answered\n/m);
  }
});

test('device run --protocol otrp: TEEP-only options and a bad protocol are usage errors', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'otrp-device-otrp-usage-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  for (const extra of [['--request', '8d82573a-926d-4754-9353-32dc29997f74'], ['--unrequest', '8d82573a-926d-4754-9353-32dc29997f74'], ['--profile', 'pre-26']]) {
    const r = await runCli(['device', 'run', root, '--tam', 'http://127.0.0.1:1/otrp', '--protocol', 'otrp', ...extra]);
    assert.equal(r.code, 1);
    assert.equal(code(r.stderr), 'ERR_USAGE', r.stderr);
    assert.match(r.stderr, /TEEP only/);
  }
  const bad = await runCli(['device', 'run', root, '--tam', 'http://127.0.0.1:1/otrp', '--protocol', 'otrp2']);
  assert.equal(code(bad.stderr), 'ERR_USAGE');
  const both = await runCli(['device', 'run', root, '--tam', 'http://127.0.0.1:1/otrp', '--protocol', 'otrp', '--once', '--poll', '1']);
  assert.equal(code(both.stderr), 'ERR_USAGE');
});
