/**
 * The whole system end to end with separate processes, over loopback HTTP, from the BUILT output
 * (`npm run build` first): the TAM is `otrp tam serve`; each device step is `otrp device run`, a new
 * REE process that forks a new TEE process, so every step restarts both device processes; the TAM
 * is restarted once in the middle. First install on a device (requested by TC_ID), a second device
 * that requires TAM attestation (policy check), an update (higher sequence number), removal through policy; on SQLite and on
 * PostgreSQL (OTRP_TEST_PG rules: tests/tam/support/pg.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onFreshPostgres } from '../tam/support/pg.js';
import { otrp, startTam, uploadTc } from '../tam/support/server.js';
import { deviceInit, deviceList, deviceRun, installedSeqs, makePki, makeTcRelease, seqsAfter, setPolicy, TC_UUID, tamInventory } from './support/world.js';

async function lifecycle(db: string | undefined): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'otrp-e2e-'));
  const pkiDir = join(root, 'pki');
  const dataDir = join(root, 'data');
  const devA = join(root, 'dev-a');
  const devB = join(root, 'dev-b');
  const pki = await makePki(pkiDir);
  let tam = await startTam({ pkiDir, dataDir, ...(db && { db }) });
  try {
    // Provisioning through the CLI: the Device CA signs the CSRs and the chains land in PKI/devices/<name>/.
    await deviceInit(devA, pkiDir, 'e2e-a');
    // The second device requires the TAM to attest itself (-26 §7.2.1): Evidence signed by the PKI's TAM attestation key.
    await deviceInit(devB, pkiDir, 'e2e-b', ['--require-tam-attestation']);
    assert.deepEqual((await readdir(join(pkiDir, 'devices', 'e2e-a'))).sort(), ['attestation-chain.pem', 'key-agreement-chain.pem', 'suit-report-chain.pem', 'teep-chain.pem']);
    const show = await otrp(['device', 'show', devA, '--jwk']);
    assert.equal(show.code, 0, show.stderr);
    assert.equal(JSON.parse(show.stdout).crv, 'P-256');

    const up1 = await uploadTc(tam.url, tam.token, await makeTcRelease(pki.signer, 1));
    assert.equal(up1.status, 201, JSON.stringify(up1.json));
    const tcId = up1.json.id as string;
    await setPolicy(tam.url, tam.token, tcId, 'optional');

    // Nothing is installed before anyone asks; a policy check with an optional TC has nothing to do.
    const idle = await deviceRun(devA, tam.url);
    assert.equal(idle.code, 0, idle.stderr);
    assert.deepEqual(seqsAfter(idle), []);

    // First install, requested by TC_ID (a UUID): attested QueryResponse, Update, Success.
    const first = await deviceRun(devA, tam.url, ['--request', TC_UUID, '--verbose']);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /QueryRequest[\s\S]*QueryResponse[\s\S]*Update[\s\S]*Success/);
    assert.deepEqual(seqsAfter(first), [1]);
    // The TEE's own listing (a fresh TEE process reading the sealed store).
    const listed = await deviceList(devA);
    assert.deepEqual(listed.map((tc) => [tc.sequenceNumber, tc.signer]), [['1', 'CN=otrp TC Signer']]);
    assert.deepEqual(await tamInventory(tam.url, tam.token, 'e2e-a'), [{ tcId, state: 'installed', seq: 1 }]);

    // A second device, by policy: required for every device, so a plain policy check installs it.
    await setPolicy(tam.url, tam.token, tcId, 'required');
    // It answers the first QueryRequest with Error 7 and a challenge; the TAM's second QueryRequest
    // carries its Evidence (-26 §7.1.2), and the session goes on: the Error was negotiation, exit 0.
    const second = await deviceRun(devB, tam.url, ['--verbose']);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /QueryRequest[\s\S]*ERR_ATTESTATION_REQUIRED[\s\S]*QueryRequest .*tam-evidence=application\/eat\+cwt[\s\S]*QueryResponse[\s\S]*Update[\s\S]*Success/);
    assert.deepEqual(seqsAfter(second), [1]);

    // The TAM restarts; its state (devices, TC, policy, inventory) is kept, and the devices are up to date.
    assert.equal(await tam.stop(), 0);
    tam = await startTam({ pkiDir, dataDir, ...(db && { db }) });
    const noop = await deviceRun(devA, tam.url, ['--verbose']);
    assert.equal(noop.code, 0, noop.stderr);
    assert.doesNotMatch(noop.stdout, /Update/);
    assert.deepEqual(await tamInventory(tam.url, tam.token, 'e2e-b'), [{ tcId, state: 'installed', seq: 1 }]);
    assert.deepEqual(await installedSeqs(devB), [1]);

    // An update: sequence number 2 replaces 1 on both devices.
    const up2 = await uploadTc(tam.url, tam.token, await makeTcRelease(pki.signer, 2));
    assert.equal(up2.status, 200, JSON.stringify(up2.json));
    for (const [dir, name] of [[devA, 'e2e-a'], [devB, 'e2e-b']] as const) {
      const r = await deviceRun(dir, tam.url);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(seqsAfter(r), [2]);
      assert.deepEqual(await tamInventory(tam.url, tam.token, name), [{ tcId, state: 'installed', seq: 2 }]);
    }

    // Removal through policy: the TAM lists it as unneeded, the Agents delete it.
    await setPolicy(tam.url, tam.token, tcId, 'remove');
    for (const [dir, name] of [[devA, 'e2e-a'], [devB, 'e2e-b']] as const) {
      const r = await deviceRun(dir, tam.url);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(seqsAfter(r), []);
      assert.deepEqual(await tamInventory(tam.url, tam.token, name), []);
    }

    // Both inventories as the operator sees them.
    const devices = await otrp(['tam', 'devices', '--data', dataDir]);
    assert.equal(devices.code, 0, devices.stderr);
    assert.match(devices.stdout, /CN=e2e-a teep\s+active\s+otrp simulated TEE\s+affirming/);
  } finally {
    await tam.stop();
    await rm(root, { recursive: true, force: true });
  }
}

test('e2e on SQLite: first install, second device, TAM restart, update, removal', { timeout: 240_000 }, async () => {
  await lifecycle(undefined);
});

test('e2e on PostgreSQL: first install, second device, TAM restart, update, removal', { timeout: 240_000 }, (t) => onFreshPostgres(t, 'the PostgreSQL e2e test', lifecycle));
