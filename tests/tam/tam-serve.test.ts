/**
 * `otrp tam serve` end to end, over real loopback HTTP, from the BUILT output (run `npm run build`
 * first): devices played by core's Agent session machine with keys generated here and certificates
 * from the PKI's Device CA. One lifecycle per backend: first install on a device, a second device,
 * a TAM restart with all state kept, an update (higher sequence number), removal through policy.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installed, makeAgent, runSession } from './support/agent.js';
import { makeDevice, makePki, makeTc } from './support/fixtures.js';
import { onFreshPostgres } from './support/pg.js';
import { adminCall, otrp, startTam, uploadTc } from './support/server.js';

const FULL = ['query-request', 'query-response', 'update', 'success'];

async function inventoryOf(url: string, token: string, subject: string) {
  const { json } = await adminCall(url, token, 'GET', '/devices?limit=1000');
  const d = (json.items as any[]).find((x) => typeof x.subject === 'string' && x.subject.endsWith(`=${subject}`));
  assert.ok(d, `device ${subject} is registered`);
  return (d.inventory as any[]).map((i) => ({ tcId: i.tcId, state: i.state, seq: i.sequenceNumber }));
}

async function lifecycle(db: string | undefined): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'otrp-tam-e2e-'));
  const pkiDir = join(root, 'pki');
  const dataDir = join(root, 'data');
  const pki = await makePki(pkiDir);
  const devA = await makeDevice(pki.deviceCa, 'dev-a', pkiDir);
  const devB = await makeDevice(pki.deviceCa, 'dev-b', pkiDir);
  let tam = await startTam({ pkiDir, dataDir, ...(db && { db }) });
  try {
    const a = makeAgent(devA, pki, `${tam.url}/tam`);
    const b = makeAgent(devB, pki, `${tam.url}/tam`);

    // The operator's side through the CLI wrappers (URL and token found through --data).
    const tcFile = join(root, 'securefs-1.suit');
    await writeFile(tcFile, await makeTc(pki.signer, 'SecureFS', 1));
    const add = await otrp(['tam', 'tc', 'add', tcFile, '--name', 'SecureFS', '--data', dataDir, '--json']);
    assert.equal(add.code, 0, add.stderr);
    const tc = JSON.parse(add.stdout) as { id: string; sequenceNumber: number };
    assert.equal(tc.sequenceNumber, 1);
    const set = await otrp(['tam', 'policy', 'set', '--tc', tc.id, '--action', 'required', '--all', '--data', dataDir]);
    assert.equal(set.code, 0, set.stderr);
    assert.match(set.stdout, /required/);

    // First install on a device: QueryRequest, attested QueryResponse, Update, Success.
    const s1 = await runSession(tam.url, a);
    assert.deepEqual(s1.types, FULL);
    assert.deepEqual(s1.statuses, [200, 200, 204]);
    assert.deepEqual(await installed(a), ['SecureFS']);
    assert.deepEqual(await inventoryOf(tam.url, tam.token, 'dev-a teep'), [{ tcId: tc.id, state: 'installed', seq: 1 }]);

    // A second device.
    const s2 = await runSession(tam.url, b);
    assert.deepEqual(s2.types, FULL);
    assert.deepEqual(await installed(b), ['SecureFS']);

    // Restart: devices, TCs, policies and inventory are kept; the Agent's tc-list shows it up to date.
    assert.equal(await tam.stop(), 0);
    tam = await startTam({ pkiDir, dataDir, ...(db && { db }) });
    const again = await runSession(tam.url, a);
    assert.deepEqual(again.types, ['query-request', 'query-response']);
    assert.deepEqual(again.statuses, [200, 204]);
    assert.deepEqual(await inventoryOf(tam.url, tam.token, 'dev-b teep'), [{ tcId: tc.id, state: 'installed', seq: 1 }]);
    const devices = await otrp(['tam', 'devices', '--data', dataDir]);
    assert.equal(devices.code, 0, devices.stderr);
    assert.match(devices.stdout, /dev-a teep\s+active\s+otrp e2e TEE\s+affirming/);
    assert.match(devices.stdout, /dev-b teep/);

    // An update: a higher sequence number replaces the stored manifest and reaches the device.
    const up = await uploadTc(tam.url, tam.token, await makeTc(pki.signer, 'SecureFS', 2));
    assert.equal(up.status, 200);
    assert.equal(up.json.id, tc.id);
    const s3 = await runSession(tam.url, a);
    assert.deepEqual(s3.types, FULL);
    assert.equal((await a.tcStore.list())[0]!.sequenceNumber, 2n);
    assert.deepEqual(await inventoryOf(tam.url, tam.token, 'dev-a teep'), [{ tcId: tc.id, state: 'installed', seq: 2 }]);

    // Removal through policy: unneeded-manifest-list, the Agent unlinks, the inventory entry goes.
    const rm1 = await otrp(['tam', 'policy', 'set', '--tc', tc.id, '--action', 'remove', '--all', '--data', dataDir]);
    assert.equal(rm1.code, 0, rm1.stderr);
    const s4 = await runSession(tam.url, a);
    assert.deepEqual(s4.types, FULL);
    assert.deepEqual(await installed(a), []);
    assert.deepEqual(await inventoryOf(tam.url, tam.token, 'dev-a teep'), []);
    const s5 = await runSession(tam.url, b);
    assert.deepEqual(s5.types, FULL);
    assert.deepEqual(await installed(b), []);
    assert.deepEqual(await inventoryOf(tam.url, tam.token, 'dev-b teep'), []);

    // Every decision is in the audit log.
    const audit = await otrp(['tam', 'audit', '--data', dataDir, '--json', '--limit', '1000']);
    assert.equal(audit.code, 0, audit.stderr);
    const entries = JSON.parse(audit.stdout).entries as { action: string; decision: string }[];
    const count = (action: string, decision: string) => entries.filter((e) => e.action === action && e.decision === decision).length;
    assert.equal(count('teep.success', 'allow'), 5);
    assert.equal(count('admin.tc.upload', 'allow'), 2);
    assert.ok(count('teep.query-response', 'allow') >= 6);
  } finally {
    await tam.stop();
    await rm(root, { recursive: true, force: true });
  }
}

test('tam serve on SQLite: install, second device, restart, update, removal', { timeout: 180_000 }, async () => {
  await lifecycle(undefined);
});

test('tam serve on PostgreSQL: install, second device, restart, update, removal', { timeout: 180_000 }, (t) => onFreshPostgres(t, 'the PostgreSQL TAM test', lifecycle));
