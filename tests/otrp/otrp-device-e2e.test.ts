/**
 * OTrP end to end with separate processes, from the BUILT output (`npm run build` first): the TAM is
 * `otrp tam serve`; the device is `otrp device init` / `otrp device run --protocol otrp` (each run a
 * new REE process that forks a new TEE process, so every step restarts the device); the TA packages
 * are built with `otrp otrp ta-package` and uploaded with `otrp tam tc add`.
 *
 * The TAM is configured with `otrp.maxCommandsPerSession: 1`, so each OTrP command is its own
 * session, and it is restarted between the steps: GetDeviceState -> CreateSD | restart | InstallTA |
 * restart, version 2 uploaded | UpdateTA | restart, policy remove | DeleteTA | restart | DeleteSD.
 * After each step both inventories are checked: the device's (`otrp device list --json`, a fresh TEE
 * process reading its sealed store) and the TAM's (admin API device listing). On SQLite and on
 * PostgreSQL (OTRP_TEST_PG rules: tests/tam/support/pg.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onFreshPostgres } from '../tam/support/pg.js';
import { makePki } from '../tam/support/fixtures.js';
import { adminCall, otrp, startTam, type CliRun, type TamProcess } from '../tam/support/server.js';

const TA = { spid: 'bank.example', sdname: 'sd.bank.example', taid: 'wallet.bank.example' } as const;
const DEVICE = 'otrp-e2e';

/** The OTrP messages `otrp device run --verbose` relayed, in order: its `TAM -> device  NAME` / `device -> TAM  NAME` lines. */
function messageNames(run: CliRun): string[] {
  return [...run.stdout.matchAll(/^\s*(?:TAM -> device|device -> TAM)\s+([A-Za-z]+(?:Request|Response))\b/gm)].map((m) => m[1]!);
}

interface DeviceOtrp {
  /** `spid/name:TA count` of each SD. */
  sds: string[];
  /** `spid/sdname/taid:size` of each TA. */
  tas: string[];
}

/** The device's own OTrP listing: `otrp device list DIR --json` (asserts exit 0). */
async function deviceOtrp(dir: string): Promise<DeviceOtrp> {
  const r = await otrp(['device', 'list', dir, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const listed = JSON.parse(r.stdout) as { otrp: { sds: any[]; tas: any[] } };
  return {
    sds: listed.otrp.sds.map((s) => `${s.spid}/${s.name}:${s.tas}`),
    tas: listed.otrp.tas.map((t) => `${t.spid}/${t.sdname}/${t.taid}:${t.size}`),
  };
}

interface TamEntry {
  tcId: string | null;
  componentIdText: string | null;
  state: string;
  seq: number | null;
  sd: boolean;
}

/** The TAM's OTrP inventory of the device (admin API), undefined while the TAM has not met it. */
async function tamOtrp(tam: TamProcess): Promise<TamEntry[] | undefined> {
  const { status, json } = await adminCall(tam.url, tam.token, 'GET', '/devices?limit=1000');
  assert.equal(status, 200);
  const d = (json.items as any[]).find((x) => x.subject === `CN=${DEVICE} teep`);
  return d && (d.inventory as any[]).filter((i) => i.protocol === 'otrp').map((i) => ({
    tcId: i.tcId, componentIdText: i.componentIdText, state: i.state, seq: i.sequenceNumber, sd: i.securityDomainId !== null,
  }));
}

async function lifecycle(db: string | undefined): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'otrp-otrp-device-e2e-'));
  const pkiDir = join(root, 'pki');
  const dataDir = join(root, 'data');
  const dev = join(root, 'device');
  const config = join(root, 'tam.json');
  await makePki(pkiDir);
  await writeFile(config, JSON.stringify({ otrp: { maxCommandsPerSession: 1 } }));
  await writeFile(join(root, 'ta-v1.bin'), 'wallet TA v1 '.repeat(10));
  await writeFile(join(root, 'ta-v2.bin'), 'wallet TA version 2 '.repeat(10));
  await writeFile(join(root, 'perso.bin'), 'perso');
  const serve = () => startTam({ pkiDir, dataDir, config, ...(db && { db }) });
  let tam = await serve();
  const restart = async () => {
    assert.equal(await tam.stop(), 0);
    tam = await serve();
  };
  const ok = (r: CliRun) => assert.equal(r.code, 0, `${r.stderr}\n${r.stdout}`);
  const pack = async (v: number) => {
    const out = join(root, `wallet-v${v}.json`);
    ok(await otrp(['otrp', 'ta-package', '--spid', TA.spid, '--sdname', TA.sdname, '--taid', TA.taid, '--ta-version', String(v),
      '--binary', join(root, `ta-v${v}.bin`), '--pdata', join(root, 'perso.bin'), '--spcert', join(pkiDir, 'signer', 'cert.pem'), '--out', out]));
    return out;
  };
  /** One `otrp device run --protocol otrp --once --verbose` (a new REE and TEE process): the names it printed. */
  const session = async () => {
    const r = await otrp(['device', 'run', dev, '--tam', `${tam.url}/otrp`, '--protocol', 'otrp', '--once', '--verbose']);
    ok(r);
    return messageNames(r);
  };
  const GDS = ['GetDeviceStateRequest', 'GetDeviceStateResponse'];
  const sd = `${TA.spid}/${TA.sdname}`;
  try {
    // Independent spawns together: both package builds and the device's provisioning.
    const [v1Package, v2Package, init] = await Promise.all([pack(1), pack(2), otrp(['device', 'init', dev, '--pki', pkiDir, '--name', DEVICE])]);
    ok(init);
    const added = await otrp(['tam', 'tc', 'add', v1Package, '--data', dataDir, '--json']);
    ok(added);
    const tcId = JSON.parse(added.stdout).id as string;
    const setPolicy = async (action: string) => {
      const r = await adminCall(tam.url, tam.token, 'POST', '/policies', { tcId, action, scope: { kind: 'all' } });
      assert.ok(r.status === 200 || r.status === 201, JSON.stringify(r.json));
    };
    await setPolicy('required');
    assert.deepEqual(await deviceOtrp(dev), { sds: [], tas: [] });

    // 1. GetDeviceState -> CreateSD (one command per session).
    assert.deepEqual(await session(), [...GDS, 'CreateSDRequest', 'CreateSDResponse']);
    assert.deepEqual(await deviceOtrp(dev), { sds: [`${sd}:0`], tas: [] });
    assert.deepEqual(await tamOtrp(tam), []);

    // 2. TAM restart -> InstallTA (the TA encrypted to the TEE SP AIK).
    await restart();
    assert.deepEqual(await session(), [...GDS, 'InstallTARequest', 'InstallTAResponse']);
    assert.deepEqual(await deviceOtrp(dev), { sds: [`${sd}:1`], tas: [`${sd}/${TA.taid}:130`] });
    assert.deepEqual(await tamOtrp(tam), [{ tcId, componentIdText: TA.taid, state: 'installed', seq: 1, sd: true }]);

    // 3. Version 2 uploaded (replaces version 1: 200), TAM restart -> UpdateTA.
    const v2 = await otrp(['tam', 'tc', 'add', v2Package, '--data', dataDir, '--json']);
    ok(v2);
    assert.deepEqual([JSON.parse(v2.stdout).id, JSON.parse(v2.stdout).sequenceNumber], [tcId, 2]);
    const rollback = await otrp(['tam', 'tc', 'add', v1Package, '--data', dataDir]);
    assert.equal(rollback.code, 1);
    assert.match(rollback.stderr, /^error: ERR_ADMIN_SEQUENCE_NOT_HIGHER: /m);
    await restart();
    assert.deepEqual(await session(), [...GDS, 'UpdateTARequest', 'UpdateTAResponse']);
    assert.deepEqual(await deviceOtrp(dev), { sds: [`${sd}:1`], tas: [`${sd}/${TA.taid}:200`] });
    assert.deepEqual(await tamOtrp(tam), [{ tcId, componentIdText: TA.taid, state: 'installed', seq: 2, sd: true }]);

    // 4. Policy remove, TAM restart -> DeleteTA (the SD stays: one command per session).
    await setPolicy('remove');
    await restart();
    assert.deepEqual(await session(), [...GDS, 'DeleteTARequest', 'DeleteTAResponse']);
    assert.deepEqual(await deviceOtrp(dev), { sds: [`${sd}:0`], tas: [] });
    assert.deepEqual(await tamOtrp(tam), []);

    // 5. TAM restart -> DeleteSD (an SD of ours with no TA and no required TA).
    await restart();
    assert.deepEqual(await session(), [...GDS, 'DeleteSDRequest', 'DeleteSDResponse']);
    assert.deepEqual(await deviceOtrp(dev), { sds: [], tas: [] });
    assert.deepEqual(await tamOtrp(tam), []);

    // 6. Nothing left to do.
    assert.deepEqual(await session(), GDS);
  } finally {
    await tam.stop();
    await rm(root, { recursive: true, force: true });
  }
}

test('OTrP with real processes on SQLite: GetDeviceState, CreateSD, InstallTA, UpdateTA, DeleteTA, DeleteSD, TAM restarts between', { timeout: 240_000 }, async () => {
  await lifecycle(undefined);
});

test('OTrP with real processes on PostgreSQL: the same lifecycle', { timeout: 240_000 }, (t) => onFreshPostgres(t, 'the PostgreSQL OTrP e2e test', lifecycle));
