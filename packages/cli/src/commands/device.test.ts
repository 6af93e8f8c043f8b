// `otrp device ...` from the built CLI (npm run build first): provisioning against a PKI directory,
// show / list, and the exit codes of `device run` that need no TAM (the end-to-end suite in tests/e2e
// runs it against a real one).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rename, rm } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeCaState, parseCertificate, validateChain, decodeCertificateChainPem } from '@otrp/core';
import { CLI_BIN, runCli } from '../test-support/run-cli.js';

const code = (stderr: string) => /^error: ([A-Z0-9_]+):/.exec(stderr)?.[1];

/** A loopback port with nothing listening. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

test('device init enrols the TEE keys at the Device CA, show and list read the TEE', { timeout: 120_000 }, async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'otrp-device-cli-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const pki = join(root, 'pki');
  assert.equal((await runCli(['pki', 'init', pki])).code, 0);
  const dev = join(root, 'dev');

  // A malformed UUID is a usage error, checked before anything is created.
  const badUuid = await runCli(['device', 'init', dev, '--pki', pki, '--name', 'unit-1', '--class-id', 'not-a-uuid']);
  assert.equal(code(badUuid.stderr), 'ERR_USAGE');
  // --require-tam-attestation with a PKI that has no TAM attestation key (an older pki init): refused up front.
  const attPub = join(pki, 'tam', 'attestation', 'public.pem');
  await rename(attPub, `${attPub}.away`);
  const noAtt = await runCli(['device', 'init', dev, '--pki', pki, '--name', 'unit-1', '--require-tam-attestation']);
  assert.equal(code(noAtt.stderr), 'ERR_FILE_READ');
  assert.match(noAtt.stderr, /no TAM attestation key/);
  await rename(`${attPub}.away`, attPub);
  const init = await runCli(['device', 'init', dev, '--pki', pki, '--name', 'unit-1', '--alg', 'Ed25519', '--vendor-id', 'FA6B4A53D5AD5FDFBE9DE663E4D41FFE']);
  assert.equal(init.code, 0, init.stderr);
  // The chains the TAM scans: each validates to the Device CA with the device role.
  const enrolled = join(pki, 'devices', 'unit-1');
  const files = (await readdir(enrolled)).sort();
  assert.deepEqual(files, ['attestation-chain.pem', 'key-agreement-chain.pem', 'suit-report-chain.pem', 'teep-chain.pem']);
  const anchor = { certificate: await readFile(join(pki, 'device-ca', 'cert.pem'), 'utf8') };
  for (const f of ['attestation-chain.pem', 'suit-report-chain.pem', 'teep-chain.pem']) {
    const chain = decodeCertificateChainPem(await readFile(join(enrolled, f), 'utf8'));
    assert.equal(chain.length, 2);
    await validateChain({ chain, anchors: [anchor], role: 'device' });
  }
  // The Device CA recorded what it issued (so `otrp pki revoke` can revoke it).
  const state = decodeCaState(await readFile(join(pki, 'device-ca', 'ca.json'), 'utf8'));
  const teepLeaf = parseCertificate(decodeCertificateChainPem(await readFile(join(enrolled, 'teep-chain.pem'), 'utf8'))[0]!);
  assert.ok(state.issued.some((i) => i.serialNumber === teepLeaf.serialNumber));
  // No private key reaches the PKI directory or the REE side of the device.
  for (const f of files) assert.doesNotMatch(await readFile(join(enrolled, f), 'utf8'), /PRIVATE KEY/);

  const show = await runCli(['device', 'show', dev]);
  assert.equal(show.code, 0, show.stderr);
  assert.match(show.stdout, /device unit-1 \(Ed25519, simulated TEE/);
  assert.match(show.stdout, /teep\s+Ed25519\s+kid [0-9a-f]{64}/);
  assert.match(show.stdout, /certificate CN=unit-1 teep, issued by CN=otrp Device CA/);
  assert.match(show.stdout, /suit identity vendor fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe, class -/);
  assert.match(show.stdout, /tam attestation not required/);
  const jwk = await runCli(['device', 'show', dev, '--jwk']);
  assert.equal(jwk.code, 0, jwk.stderr);
  assert.deepEqual(Object.keys(JSON.parse(jwk.stdout)).sort().slice(0, 2), ['crv', 'kty']);
  assert.equal(JSON.parse(jwk.stdout).crv, 'X25519');
  assert.equal(JSON.parse(jwk.stdout).d, undefined);

  const list = await runCli(['device', 'list', dev]);
  assert.equal(list.code, 0, list.stderr);
  assert.equal(list.stdout, 'no Trusted Components or Trusted Applications installed\n');

  // Same name again: refused (it would replace unit-1's enrolled chains); same DIR again: refused.
  const again = await runCli(['device', 'init', join(root, 'dev2'), '--pki', pki, '--name', 'unit-1']);
  assert.equal(again.code, 1);
  assert.equal(code(again.stderr), 'ERR_DEVICE_NAME_TAKEN');
  const twice = await runCli(['device', 'init', dev, '--pki', pki, '--name', 'unit-9']);
  assert.equal(twice.code, 1);
  assert.equal(code(twice.stderr), 'ERR_DEVICE_ALREADY_INITIALIZED');

  // device run: a transport failure is exit 1 with the Broker's code; bad arguments are usage errors.
  const port = await closedPort();
  const down = await runCli(['device', 'run', dev, '--tam', `http://127.0.0.1:${port}/tam`]);
  assert.equal(down.code, 1);
  assert.equal(code(down.stderr), 'ERR_BROKER_TRANSPORT');
  const badProfile = await runCli(['device', 'run', dev, '--tam', 'http://127.0.0.1:1/tam', '--profile', 'draft-99']);
  assert.equal(code(badProfile.stderr), 'ERR_USAGE');
  const both = await runCli(['device', 'run', dev, '--tam', 'http://127.0.0.1:1/tam', '--once', '--poll', '5']);
  assert.equal(code(both.stderr), 'ERR_USAGE');
  // --poll: a failed round is reported and the loop goes on; SIGTERM ends it with exit 0.
  const poll = spawn(process.execPath, [CLI_BIN, 'device', 'run', dev, '--tam', `http://127.0.0.1:${port}/tam`, '--poll', '0.2'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let polled = '';
  poll.stdout.on('data', (c: Buffer) => {
    polled += c.toString('utf8');
    if (/^round 2 /m.test(polled)) poll.kill('SIGTERM');
  });
  const pollExit = await new Promise<number | null>((r) => poll.on('exit', (c) => r(c)));
  assert.equal(pollExit, 0, polled);
  assert.match(polled, /^round 1 at .*\nerror: ERR_BROKER_TRANSPORT: /m);
  const badId = await runCli(['device', 'run', dev, '--tam', 'http://127.0.0.1:1/tam', '--request', 'not-a-tc-id']);
  assert.equal(badId.code, 1);
  assert.equal(code(badId.stderr), 'ERR_INVALID_ARGUMENT');
});

test('device commands on a directory without a device fail with ERR_DEVICE_NOT_INITIALIZED', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'otrp-device-cli-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  for (const args of [['list', root], ['show', root], ['run', root, '--tam', 'http://127.0.0.1:1/tam']]) {
    const r = await runCli(['device', ...args]);
    assert.equal(r.code, 1, args.join(' '));
    assert.equal(code(r.stderr), 'ERR_DEVICE_NOT_INITIALIZED', r.stderr);
  }
  const usage = await runCli(['device', 'init', join(root, 'x')]);
  assert.equal(code(usage.stderr), 'ERR_USAGE');
});
