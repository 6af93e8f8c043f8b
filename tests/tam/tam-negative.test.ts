/**
 * `otrp tam serve` refusing what it must refuse, each with the result docs/teep-decisions.md §3
 * prescribes for the Agent -> TAM direction (the TAM never sends an Error: it drops, HTTP 204; the
 * HTTP layer answers 413/415; the admin API 401/422), the TAM's state unchanged (devices, inventory,
 * TCs), and the refusal in the audit log with its code. One server (SQLite, from the built output)
 * for the whole group.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { answer, FIRMWARE_DIGEST, HWMODEL, installed, makeAgent, post, runSession, type TestAgent } from './support/agent.js';
import { makeDevice, makePki, makeTc, revokeDeviceCertificate, type TestPki } from './support/fixtures.js';
import { adminCall, startTam, uploadTc, type TamProcess } from './support/server.js';

let root: string;
let pki: TestPki;
let foreign: TestPki;
let tam: TamProcess;
const agents: Record<string, TestAgent> = {};

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'otrp-tam-neg-'));
  const pkiDir = join(root, 'pki');
  pki = await makePki(pkiDir);
  foreign = await makePki(undefined);
  const devices = {
    ok: await makeDevice(pki.deviceCa, 'dev-ok', pkiDir),
    blocked: await makeDevice(pki.deviceCa, 'dev-blocked', pkiDir),
    replay: await makeDevice(pki.deviceCa, 'dev-replay', pkiDir),
    tamper: await makeDevice(pki.deviceCa, 'dev-tamper', pkiDir),
    revoked: await makeDevice(pki.deviceCa, 'dev-revoked', pkiDir),
    // A device model the configured reference values do not list.
    odd: await makeDevice(pki.deviceCa, 'dev-odd', pkiDir),
    // Certified by another PKI's Device CA, which this TAM does not trust.
    foreign: await makeDevice(foreign.deviceCa, 'dev-foreign'),
  };
  await revokeDeviceCertificate(pki, devices.revoked.teep.chain[0]!);
  const config = join(root, 'tam.json');
  await writeFile(config, JSON.stringify({ referenceValues: { hwmodels: [HWMODEL], firmwareDigests: [Buffer.from(FIRMWARE_DIGEST).toString('hex')] } }));
  tam = await startTam({ pkiDir, dataDir: join(root, 'data'), config });
  for (const [k, d] of Object.entries(devices)) agents[k] = makeAgent(d, pki, `${tam.url}/tam`, k === 'odd' ? 'unknown TEE' : HWMODEL);
  const up = await uploadTc(tam.url, tam.token, await makeTc(pki.signer, 'SecureFS', 1));
  assert.equal(up.status, 201);
  assert.equal((await adminCall(tam.url, tam.token, 'POST', '/policies', { tcId: up.json.id, action: 'required', scope: { kind: 'all' } })).status, 201);
});

after(async () => {
  await tam?.stop();
  if (root) await rm(root, { recursive: true, force: true });
});

/** What must not change: devices (status, inventory) and TCs. */
async function snapshot(): Promise<unknown> {
  const devices = (await adminCall(tam.url, tam.token, 'GET', '/devices?limit=1000&includeDecommissioned=true')).json.items as any[];
  const tcs = (await adminCall(tam.url, tam.token, 'GET', '/tcs?limit=1000&includeDeprecated=true')).json.items as any[];
  return {
    devices: devices.map((d) => ({ id: d.id, blocked: d.blocked, decommissioned: d.decommissioned, hwmodel: d.hwmodel, inventory: d.inventory.map((i: any) => [i.tcId, i.state, i.sequenceNumber]) })),
    tcs: tcs.map((t) => [t.id, t.sequenceNumber, t.deprecated, t.signerThumbprint]),
  };
}

/** The newest audit id (entries are newest first; ids increase). */
async function auditMark(): Promise<bigint> {
  const e = (await adminCall(tam.url, tam.token, 'GET', '/audit?limit=1')).json.entries as { id: string }[];
  return e.length ? BigInt(e[0]!.id) : 0n;
}

async function auditSince(mark: bigint): Promise<{ action: string; decision: string; code: string | null; deviceId: string | null; detail: any }[]> {
  const e = (await adminCall(tam.url, tam.token, 'GET', '/audit?limit=1000')).json.entries as any[];
  return e.filter((x) => BigInt(x.id) > mark);
}

/** Connect, let the Agent answer the QueryRequest, and return its QueryResponse bytes. */
async function queryResponse(agent: TestAgent): Promise<Uint8Array> {
  const qr = await post(tam.url, new Uint8Array());
  assert.equal(qr.status, 200);
  const reply = await answer(agent, qr.body);
  assert.equal(reply?.type, 'query-response');
  return reply.bytes;
}

/** An Agent message the TAM must drop: 204, state unchanged, one `teep.drop` deny entry with `code`. */
async function assertDropped(bytes: Uint8Array, code: RegExp): Promise<{ deviceId: string | null; detail: any }> {
  const before = await snapshot();
  const mark = await auditMark();
  const res = await post(tam.url, bytes);
  assert.equal(res.status, 204);
  assert.equal(res.body.length, 0);
  assert.deepEqual(await snapshot(), before);
  const drops = (await auditSince(mark)).filter((e) => e.action === 'teep.drop');
  assert.equal(drops.length, 1, JSON.stringify(drops));
  assert.equal(drops[0]!.decision, 'deny');
  assert.match(drops[0]!.code ?? '', code);
  return drops[0]!;
}

test('a device certificate from an unknown CA: dropped (204), nothing registered, audited', async () => {
  const e = await assertDropped(await queryResponse(agents['foreign']!), /^ERR_CHAIN_UNTRUSTED$/);
  assert.equal(e.deviceId, null);
  assert.match(e.detail.presentedSubject, /dev-foreign teep/);
});

test('a revoked device (Device CA CRL): dropped (204), nothing registered, audited', async () => {
  const e = await assertDropped(await queryResponse(agents['revoked']!), /^ERR_CERTIFICATE_REVOKED$/);
  assert.match(e.detail.presentedSubject, /dev-revoked teep/);
});

test('a blocked device: dropped (204) with its inventory unchanged, audited under the device', async () => {
  const agent = agents['blocked']!;
  assert.deepEqual((await runSession(tam.url, agent)).types, ['query-request', 'query-response', 'update', 'success']);
  const devices = (await adminCall(tam.url, tam.token, 'GET', '/devices?limit=1000')).json.items as any[];
  const id = devices.find((d) => String(d.subject).endsWith('=dev-blocked teep')).id as string;
  assert.equal((await adminCall(tam.url, tam.token, 'POST', `/devices/${id}/block`)).status, 200);
  const e = await assertDropped(await queryResponse(agent), /^ERR_TAM_DEVICE_BLOCKED$/);
  assert.equal(e.deviceId, id);
  assert.deepEqual(await installed(agent), ['SecureFS']);
});

test('Evidence that fails the reference values: Update with err-code 7 (ERR_ATTESTATION_REQUIRED), nothing installed, audited', async () => {
  const agent = agents['odd']!;
  const mark = await auditMark();
  const trace = await runSession(tam.url, agent);
  assert.deepEqual(trace.types, ['query-request', 'query-response', 'update']);
  assert.deepEqual(trace.statuses, [200, 200]);
  assert.deepEqual(agent.events.filter((e) => e.type === 'tam-error').map((e) => (e as { errCode: number }).errCode), [7]);
  assert.deepEqual(await installed(agent), []);
  const e = (await auditSince(mark)).filter((x) => x.action === 'teep.query-response');
  assert.deepEqual(e.map((x) => [x.decision, x.code]), [['deny', 'ERR_ATTESTATION_REQUIRED']]);
  const device = (await adminCall(tam.url, tam.token, 'GET', `/devices/${e[0]!.deviceId}`)).json;
  assert.equal(device.lastAttestationResult, 'refused');
  assert.deepEqual(device.inventory, []);
});

test('a replayed QueryResponse: the first gets its Update, the replay is dropped (204), state unchanged', async () => {
  const agent = agents['replay']!;
  const qrsp = await queryResponse(agent);
  const first = await post(tam.url, qrsp);
  assert.equal(first.status, 200);
  await assertDropped(qrsp, /^ERR_TEEP_REPLAYED$/);
  // The session goes on: the Agent answers the Update and the install is confirmed.
  const success = await answer(agent, first.body);
  assert.equal(success?.type, 'success');
  assert.equal((await post(tam.url, success.bytes)).status, 204);
  assert.deepEqual(await installed(agent), ['SecureFS']);
});

test('a tampered QueryResponse is dropped (204) without using up its token; the genuine one still works', async () => {
  const agent = agents['tamper']!;
  const qrsp = await queryResponse(agent);
  const tampered = qrsp.slice();
  tampered[tampered.length - 1]! ^= 0x01; // a bit of the COSE_Sign1 signature
  await assertDropped(tampered, /^ERR_COSE_/);
  const genuine = await post(tam.url, qrsp);
  assert.equal(genuine.status, 200);
});

test('garbage bodies are dropped (204) and audited', async () => {
  await assertDropped(new TextEncoder().encode('this is not CBOR at all'), /^ERR_(TEEP_MALFORMED_MESSAGE|CBOR_)/);
  await assertDropped(new Uint8Array([0xa1, 0x01, 0x02]), /^ERR_(TEEP_MALFORMED_MESSAGE|CBOR_|COSE_)/);
});

test('an oversized body is refused with 413 before the TAM reads it, audited', async () => {
  const before = await snapshot();
  const mark = await auditMark();
  const res = await post(tam.url, new Uint8Array(1024 * 1024 + 1));
  assert.equal(res.status, 413);
  assert.deepEqual(await snapshot(), before);
  const e = (await auditSince(mark)).filter((x) => x.action === 'teep.http-refused');
  assert.deepEqual(e.map((x) => [x.decision, x.code, x.detail.status]), [['deny', 'ERR_HTTP_PAYLOAD_TOO_LARGE', 413]]);
});

test('a wrong Content-Type is refused with 415, audited', async () => {
  const before = await snapshot();
  const mark = await auditMark();
  const res = await post(tam.url, await queryResponse(agents['ok']!), { 'content-type': 'application/json' });
  assert.equal(res.status, 415);
  assert.deepEqual(await snapshot(), before);
  const e = (await auditSince(mark)).filter((x) => x.action === 'teep.http-refused');
  assert.deepEqual(e.map((x) => [x.decision, x.code, x.detail.status]), [['deny', 'ERR_HTTP_UNSUPPORTED_MEDIA_TYPE', 415]]);
});

test('TC uploads: a device certificate as signer and an untrusted signer are refused (422), audited', async () => {
  const before = await snapshot();
  const mark = await auditMark();
  const device = agents['ok']!.device;
  const asDevice = await uploadTc(tam.url, tam.token, await makeTc(device.teep, 'Evil', 1));
  assert.equal(asDevice.status, 422);
  assert.equal(asDevice.json.code, 'ERR_CERTIFICATE_ROLE');
  const untrusted = await uploadTc(tam.url, tam.token, await makeTc(foreign.signer, 'Evil', 1));
  assert.equal(untrusted.status, 422);
  assert.equal(untrusted.json.code, 'ERR_CHAIN_UNTRUSTED');
  assert.deepEqual(await snapshot(), before);
  const e = (await auditSince(mark)).filter((x) => x.action === 'admin.tc.upload').map((x) => [x.decision, x.code]);
  assert.deepEqual(e.sort(), [['deny', 'ERR_CERTIFICATE_ROLE'], ['deny', 'ERR_CHAIN_UNTRUSTED']]);
});

test('admin calls without a token or with a wrong one: 401, audited', async () => {
  const mark = await auditMark();
  const none = await adminCall(tam.url, null, 'GET', '/devices');
  assert.equal(none.status, 401);
  const wrong = await adminCall(tam.url, 'not-the-admin-token-0123456789', 'POST', '/policies', { tcId: 'x', action: 'remove', scope: { kind: 'all' } });
  assert.equal(wrong.status, 401);
  const e = (await auditSince(mark)).filter((x) => x.code === 'ERR_HTTP_UNAUTHORIZED').map((x) => x.decision);
  assert.deepEqual(e, ['deny', 'deny']);
  // The policy was not changed by the refused call.
  const policies = (await adminCall(tam.url, tam.token, 'GET', '/policies')).json.items as any[];
  assert.deepEqual(policies.map((p) => p.action), ['required']);
});
