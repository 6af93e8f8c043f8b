/**
 * OTrP in the simulated TEE process against a real TAM (startTamServer, `POST /otrp`, stapled OCSP):
 * the Broker (otrp-over-http-02) relays, the TEE process answers through the channel with its sealed
 * stores. GetDeviceState -> CreateSD -> InstallTA, a TEE restart, UpdateTA, a TAM restart, DeleteTA
 * -> DeleteSD; a replayed request after a TEE restart; an untrusted TAM; an Ed25519 device.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createPki, decodePem } from '@otrp/core';
import { Device, initDevice, runOtrpOnce } from './device.js';
import { issueDeviceCertificates } from './enrolment.js';
import type { OtrpExchange } from './broker/otrp-broker.js';
import { describeOtrpMessage } from './broker/otrp-message-view.js';
import type { ChannelRequest, ChannelResponse } from './tee/tee-channel.js';
import { initOtrpDevice, releaseTa, removeTa, requireTa, startOtrpSetup, TA } from './test-support/otrp-tam.js';

const names = (xs: readonly { request: string }[]) => xs.map((x) => x.request);

test('OTrP lifecycle through the TEE process, with a TEE restart and a TAM restart', async (t) => {
  const setup = await startOtrpSetup();
  t.after(() => setup.close());
  const dir = await initOtrpDevice(setup, 'otrp-dev1');
  const tcId = await requireTa(setup, 1);

  const seen: string[] = [];
  const channel: (ChannelRequest | ChannelResponse)[] = [];
  let device = await Device.open(dir, { tap: (_d, m) => channel.push(m) });
  const onExchange = (x: OtrpExchange) => seen.push(`${x.direction} ${x.body ? describeOtrpMessage(x.body).name : '-'}${x.tee?.error ? ` ${x.tee.error}` : ''}`);
  const r1 = await runOtrpOnce(device, { tamUri: setup.otrpUrl(), broker: { onExchange } });
  assert.equal(r1.ok, true);
  assert.deepEqual(names(r1.session.outcomes), ['GetDeviceStateRequest', 'CreateSDRequest', 'InstallTARequest']);
  assert.deepEqual(seen, [
    'to-tam -', 'from-tam GetDeviceStateRequest', 'to-tam GetDeviceStateResponse', 'from-tam CreateSDRequest',
    'to-tam CreateSDResponse', 'from-tam InstallTARequest', 'to-tam InstallTAResponse', 'from-tam -',
  ]);
  assert.deepEqual(r1.session.outcomes.flatMap((o) => o.changes), [
    { action: 'sd-created', spid: TA.spid, sdname: TA.sdname },
    { action: 'ta-installed', spid: TA.spid, sdname: TA.sdname, taid: TA.taid },
  ]);
  assert.equal(r1.inventory.tas.length, 1);
  const ta1 = r1.inventory.tas[0]!;
  assert.deepEqual({ ...ta1, installedAt: 0, updatedAt: 0 }, {
    tamid: 'https://tam.example/tam', spid: TA.spid, sdname: TA.sdname, taid: TA.taid, size: 'wallet TA v1'.length, installedAt: 0, updatedAt: 0,
  });
  // Nothing private crossed the channel: no PKCS#8 / private JWK member in any message.
  const text = JSON.stringify(channel, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v));
  assert.doesNotMatch(text, /"d":|PRIVATE KEY|pkcs8/);
  const teeFiles = await readdir(join(dir, 'tee'));
  assert.ok(teeFiles.includes('otrp-state.sealed') && teeFiles.includes('otrp-ridtid.sealed'), teeFiles.join(' '));

  // TEE restart: the state is read back from sealed storage; UpdateTA keeps installed-at.
  await device.close();
  device = await Device.open(dir);
  t.after(() => device.close());
  assert.deepEqual((await device.listOtrp()).tas, [ta1]);
  await releaseTa(setup, tcId, 2);
  const r2 = await runOtrpOnce(device, { tamUri: setup.otrpUrl() });
  assert.equal(r2.ok, true);
  assert.deepEqual(names(r2.session.outcomes), ['GetDeviceStateRequest', 'UpdateTARequest']);
  const ta2 = r2.inventory.tas[0]!;
  assert.equal(ta2.installedAt, ta1.installedAt);
  assert.ok(ta2.updatedAt >= ta1.updatedAt);
  assert.equal(ta2.size, 'wallet TA v2'.length);

  // TAM restart, policy `remove`: DeleteTA, then DeleteSD of the empty SD.
  await setup.restartTam();
  await removeTa(setup, tcId);
  const r3 = await runOtrpOnce(device, { tamUri: setup.otrpUrl() });
  assert.equal(r3.ok, true);
  assert.deepEqual(names(r3.session.outcomes), ['GetDeviceStateRequest', 'DeleteTARequest', 'DeleteSDRequest']);
  assert.deepEqual(r3.inventory, { sds: [], tas: [] });

  const r4 = await runOtrpOnce(device, { tamUri: setup.otrpUrl() });
  assert.deepEqual(names(r4.session.outcomes), ['GetDeviceStateRequest']);
  assert.equal(r4.session.roundTrips, 2);
});

test('a TAM request replayed after a TEE restart is refused (ERR_REQUEST_INVALID) and changes nothing', async (t) => {
  const setup = await startOtrpSetup();
  t.after(() => setup.close());
  const dir = await initOtrpDevice(setup, 'otrp-replay');
  await requireTa(setup, 1);
  let device = await Device.open(dir);
  const captured: Uint8Array[] = [];
  const r = await runOtrpOnce(device, { tamUri: setup.otrpUrl(), broker: { onExchange: (x) => x.direction === 'from-tam' && x.body && captured.push(x.body) } });
  assert.equal(r.ok, true);
  const [getState, createSd] = ['GetDeviceStateRequest', 'CreateSDRequest'].map((n) => captured.find((b) => describeOtrpMessage(b).name === n)!);
  assert.ok(getState && createSd);
  await device.close();
  device = await Device.open(dir);
  t.after(() => device.close());
  const before = await device.listOtrp();
  // GetDeviceState first: its stapled OCSP data proves the TAM again in the new TEE process (SD/TA
  // requests carry none), then its rid/tid is found spent.
  const replayed = await device.tee.processOtrpMessage(getState);
  assert.deepEqual([replayed.error, replayed.errorCode], ['ERR_REQUEST_INVALID', 'ERR_OTRP_REPLAY']);
  const replay = await device.tee.processOtrpMessage(createSd);
  assert.equal(replay.request, 'CreateSDRequest');
  assert.equal(replay.error, 'ERR_REQUEST_INVALID');
  assert.equal(replay.errorCode, 'ERR_OTRP_REPLAY');
  assert.deepEqual(replay.changes, []);
  assert.deepEqual(describeOtrpMessage(replay.response).name, 'CreateSDResponse');
  assert.deepEqual(await device.listOtrp(), before);
  // Bytes that are no OTrP message at all: the TEE cannot answer (a typed error, nothing changes).
  await assert.rejects(device.tee.processOtrpMessage(new TextEncoder().encode('{"nope":')), { code: 'ERR_TEE_COMMAND_FAILED' });
  assert.deepEqual(await device.listOtrp(), before);
});

test('a TAM whose CA the device does not trust is answered ERR_TAM_NOT_TRUSTED; the run is not ok', async (t) => {
  const setup = await startOtrpSetup();
  t.after(() => setup.close());
  const { files } = await createPki({ alg: 'ESP256', tamUri: 'https://other.example/tam' });
  const otherTamCa = decodePem(files.find((f) => f.path === 'tam-ca/cert.pem')!.contents, 'CERTIFICATE')[0]!;
  const dir = join(setup.root, 'otrp-untrusting');
  await initDevice({ dir, enrol: (req) => issueDeviceCertificates(req, setup.deviceCa), trust: { tamAnchors: [otherTamCa] } });
  await requireTa(setup, 1);
  const device = await Device.open(dir);
  t.after(() => device.close());
  const r = await runOtrpOnce(device, { tamUri: setup.otrpUrl() });
  assert.equal(r.ok, false);
  assert.deepEqual(r.failures.map((f) => [f.request, f.error]), [['GetDeviceStateRequest', 'ERR_TAM_NOT_TRUSTED']]);
  assert.deepEqual(r.inventory, { sds: [], tas: [] });
});

test('an Ed25519 device has no OTrP identity: ERR_OTRP_UNAVAILABLE from inside the TEE', async (t) => {
  const setup = await startOtrpSetup();
  t.after(() => setup.close());
  const dir = await initOtrpDevice(setup, 'otrp-ed', 'Ed25519');
  const device = await Device.open(dir);
  t.after(() => device.close());
  await assert.rejects(runOtrpOnce(device, { tamUri: setup.otrpUrl() }), { code: 'ERR_TEE_COMMAND_FAILED', teeCode: 'ERR_OTRP_UNAVAILABLE' });
});

test('kill test: the TEE dies while committing CreateSD; after a restart the state is old or new, never mixed, and the spent request stays spent', async (t) => {
  const setup = await startOtrpSetup();
  t.after(() => setup.close());
  await requireTa(setup, 1);
  // Durable writes of the TEE in a session: 1 = GetDeviceState's rid/tid, 2 = CreateSD's rid/tid, 3 = the state with the new SD.
  for (const [step, sdsAfter] of [['before-rename:3', 0], ['after-rename:3', 1]] as const) {
    const dir = await initOtrpDevice(setup, `otrp-kill-${sdsAfter}`);
    const captured: Uint8Array[] = [];
    const dying = await Device.open(dir, { env: { OTRP_TEE_CRASH_AT: step } });
    await assert.rejects(
      runOtrpOnce(dying, { tamUri: setup.otrpUrl(), broker: { onExchange: (x) => x.direction === 'from-tam' && x.body && captured.push(x.body) } }),
      { code: 'ERR_TEE_CRASHED' },
      step,
    );
    await dying.close();
    const device = await Device.open(dir);
    t.after(() => device.close());
    const inv = await device.listOtrp();
    assert.equal(inv.sds.length, sdsAfter, step);
    assert.deepEqual(inv.tas, []);
    for (const m of captured) {
      const r = await device.tee.processOtrpMessage(m);
      assert.deepEqual([r.request, r.errorCode], [describeOtrpMessage(m).name, 'ERR_OTRP_REPLAY'], step);
    }
    assert.deepEqual(await device.listOtrp(), inv);
    // The next session completes from whatever state the TEE kept.
    const r = await runOtrpOnce(device, { tamUri: setup.otrpUrl() });
    assert.equal(r.ok, true, step);
    assert.deepEqual(r.inventory.tas.map((x) => x.taid), [TA.taid], step);
  }
});

/** The JWE key transport of a TAM request's `content` (what the TAM encrypted to the TEE with). */
function contentKeyTransport(message: Uint8Array): string {
  const outer = JSON.parse(new TextDecoder().decode(message));
  const jws = outer[Object.keys(outer)[0]!];
  const tbs = JSON.parse(Buffer.from(jws.payload, 'base64url').toString('utf8'));
  const content = tbs[Object.keys(tbs)[0]!].content;
  return content.recipients?.[0]?.header?.alg ?? content.header?.alg ?? JSON.parse(Buffer.from(content.protected, 'base64url').toString('utf8')).alg;
}

test('--otrp-alg RS256: a dedicated RSA key (any TEEP algorithm) signs RS256; RSA-OAEP-256 by default, RSA1_5 only when asked for', async (t) => {
  // The TAM encrypts with RSA1_5 to the peers `CN=otrp-rsa15 otrp` and `CN=otrp-no15 otrp` (and
  // accepts ECDH-ES for the device state they encrypt to its P-256 key); the second did not opt in.
  const setup = await startOtrpSetup({
    peers: ['CN=otrp-rsa15 otrp', 'CN=otrp-no15 otrp'].map((subject) => ({ subject, keyTransport: ['RSA1_5', 'ECDH-ES+A128KW'] })),
  });
  t.after(() => setup.close());
  await requireTa(setup, 1);
  const cases = [
    ['otrp-rsa', 'Ed25519', false, 'RSA-OAEP-256'],
    ['otrp-rsa15', 'ESP256', true, 'RSA1_5'],
    ['otrp-no15', 'ESP256', false, 'RSA1_5'],
  ] as const;
  for (const [name, teepAlg, rsa15, transport] of cases) {
    const dir = await initOtrpDevice(setup, name, teepAlg, { alg: 'RS256', rsa15 });
    const device = await Device.open(dir);
    t.after(() => device.close());
    const id = await device.identity();
    assert.equal(id.otrp?.alg, 'RS256');
    assert.equal(id.otrp?.rsa15, rsa15);
    const seen: Uint8Array[] = [];
    const r = await runOtrpOnce(device, { tamUri: setup.otrpUrl(), broker: { onExchange: (x) => x.body && seen.push(x.body) } });
    const createSd = seen.find((b) => describeOtrpMessage(b).name === 'CreateSDRequest')!;
    assert.equal(contentKeyTransport(createSd), transport, name);
    const response = seen.find((b) => describeOtrpMessage(b).name === 'CreateSDResponse')!;
    const outer = JSON.parse(new TextDecoder().decode(response)).CreateSDResponse;
    assert.equal(JSON.parse(Buffer.from(outer.protected, 'base64url').toString('utf8')).alg, 'RS256', name);
    if (name === 'otrp-no15') {
      // RSA1_5 is opt-in: a TEE that did not ask for it refuses the request, and nothing changes.
      assert.equal(r.ok, false);
      assert.deepEqual(r.failures.map((f) => f.request), ['CreateSDRequest']);
      assert.deepEqual([r.failures[0]!.error, r.failures[0]!.errorCode], ['ERR_UNSUPPORTED_CRYPTO_ALG', 'ERR_OTRP_UNSUPPORTED_CRYPTO_ALG']);
      assert.deepEqual(r.inventory, { sds: [], tas: [] });
    } else {
      assert.equal(r.ok, true, name);
      assert.deepEqual(names(r.session.outcomes), ['GetDeviceStateRequest', 'CreateSDRequest', 'InstallTARequest'], name);
    }
  }
});
