import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCsr, coseKeyToSpki, encodeCoseKey } from '@otrp/core';
import { SimulatedTeeBackend } from './tee-process.js';
import { TeeClient } from './tee-client.js';
import { SealedStorage } from './sealed-storage.js';
import { decodeDeviceKeys, DEVICE_KEY_PURPOSES } from './device-keys.js';
import { KEYS_FILE } from './agent-ta.js';
import { TEE_COMMAND, type TeeCommandId } from './tee-backend.js';
import type { ChannelRequest, ChannelResponse } from './tee-channel.js';
import { issueDeviceCertificates } from '../enrolment.js';
import { testDeviceCa } from '../test-support/test-ca.js';

async function tempTee(t: { after(fn: () => unknown): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'otrp-teeproc-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return join(dir, 'tee');
}

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

test('TEE process: provision, identity, enrol; no private key byte ever crosses the channel; restart keeps state', async (t) => {
  const tee = await tempTee(t);
  const traffic: (ChannelRequest | ChannelResponse)[] = [];
  const backend = await SimulatedTeeBackend.start(tee, { create: true, tap: (_d, m) => traffic.push(m) });
  t.after(() => backend.shutdown());
  const client = new TeeClient(backend);
  assert.deepEqual(await client.getIdentity(), { provisioned: false });

  const request = await client.generateKeys('device-1', 'ESP256');
  assert.equal(request.name, 'device-1');
  for (const p of ['teep', 'suitReport', 'attestation'] as const) {
    const csr = await readCsr(request.csrs[p]); // verifies the proof of possession
    assert.deepEqual(csr.spki, request.spki[p]);
    assert.match(csr.subjectText, /device-1/);
  }
  const ca = await testDeviceCa();
  const certificates = await issueDeviceCertificates(request, ca);
  await client.installCredentials({ certificates, tamAnchors: [ca.certificate], tamKeys: [], signerAnchors: [ca.certificate], signerKeys: [], crls: [] });

  const id = await client.getIdentity();
  assert.equal(id.provisioned, true);
  assert.equal(id.alg, 'ESP256');
  for (const p of DEVICE_KEY_PURPOSES) {
    assert.deepEqual(coseKeyToSpki(id.publicKeys![p]), request.spki[p]);
    assert.equal(id.publicKeys![p].d, undefined);
    assert.deepEqual(id.credentials!.certificates[p], certificates[p]);
  }
  // The four keys are distinct (-26 §4.5: the SUIT report key differs from the TEEP key).
  assert.equal(new Set(DEVICE_KEY_PURPOSES.map((p) => Buffer.from(request.spki[p]).toString('hex'))).size, 4);
  // Keys generated twice? No: a second generateKeys is refused once certificates are installed.
  await assert.rejects(client.generateKeys('device-1', 'ESP256'), { code: 'ERR_TEE_COMMAND_FAILED', teeCode: 'ERR_DEVICE_ALREADY_INITIALIZED' });
  await client.close();
  await backend.shutdown();

  // The private keys, read the way only the TEE can (sealed storage, device secret):
  const keys = decodeDeviceKeys((await (await SealedStorage.open(tee)).read(KEYS_FILE))!);
  const secrets = DEVICE_KEY_PURPOSES.map((p) => keys.keys[p].d!);
  assert.equal(secrets.length, 4);
  const buffers = traffic.flatMap((m) => ('request' in m ? [m.request] : 'response' in m && m.response ? [m.response] : []));
  assert.ok(buffers.length >= 8, `only ${buffers.length} buffers`);
  for (const b of buffers) for (const d of secrets) assert.equal(contains(b, d), false, 'a private key crossed the channel');
  const text = JSON.stringify(traffic, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v));
  for (const d of secrets) assert.equal(text.includes(Buffer.from(d).toString('hex')), false);
  // Sanity: the search does find key material where it is (the sealed file's plaintext).
  assert.ok(contains(encodeCoseKey(keys.keys.teep), keys.keys.teep.d!));

  // Restart: a new TEE process on the same folder has the same identity.
  const again = await SimulatedTeeBackend.start(tee);
  t.after(() => again.shutdown());
  const id2 = await new TeeClient(again).getIdentity();
  assert.deepEqual(id2, id);
});

test('a certificate for the wrong key is refused inside the TEE', async (t) => {
  const tee = await tempTee(t);
  const backend = await SimulatedTeeBackend.start(tee, { create: true });
  t.after(() => backend.shutdown());
  const client = new TeeClient(backend);
  const request = await client.generateKeys('device-2', 'Ed25519');
  const ca = await testDeviceCa();
  const certs = await issueDeviceCertificates(request, ca);
  const swapped = { ...certs, teep: certs.suitReport, suitReport: certs.teep };
  await assert.rejects(
    client.installCredentials({ certificates: swapped, tamAnchors: [], tamKeys: [], signerAnchors: [], signerKeys: [], crls: [] }),
    { code: 'ERR_TEE_COMMAND_FAILED', teeCode: 'ERR_DEVICE_CREDENTIAL_MISMATCH' },
  );
  assert.equal((await client.getIdentity()).credentials!.certificates.teep, undefined);
});

test('a crashed TEE process is reported to the REE as ERR_TEE_CRASHED, and the restart sees the old state', async (t) => {
  const tee = await tempTee(t);
  // Killed in the middle of sealing the new keys (after the write, before the fsync/rename).
  const backend = await SimulatedTeeBackend.start(tee, { create: true, env: { OTRP_TEE_CRASH_AT: 'after-write' } });
  t.after(() => backend.shutdown());
  const client = new TeeClient(backend);
  await assert.rejects(client.generateKeys('device-3', 'ESP256'), { code: 'ERR_TEE_CRASHED' });
  assert.equal(backend.crashed, true);
  await assert.rejects(client.getIdentity(), { code: 'ERR_TEE_CRASHED' });

  const restarted = await SimulatedTeeBackend.start(tee);
  t.after(() => restarted.shutdown());
  const c2 = new TeeClient(restarted);
  assert.deepEqual(await c2.getIdentity(), { provisioned: false });
  // Killed from outside while idle: the next call fails with the same typed error.
  process.kill(restarted.pid!, 'SIGKILL');
  await assert.rejects(c2.getIdentity(), { code: 'ERR_TEE_CRASHED' });
});

test('the channel refuses what a TEE client API would: unknown commands, closed sessions, bad buffers', async (t) => {
  const tee = await tempTee(t);
  const backend = await SimulatedTeeBackend.start(tee, { create: true });
  t.after(() => backend.shutdown());
  await assert.rejects(backend.invokeCommand(99, TEE_COMMAND.getIdentity, new Uint8Array()), { code: 'ERR_TEE_COMMAND_FAILED', teeCode: 'ERR_TEE_CHANNEL' });
  const s = await backend.openSession();
  await assert.rejects(backend.invokeCommand(s, 0x7f as TeeCommandId, new Uint8Array()), { code: 'ERR_TEE_COMMAND_FAILED', teeCode: 'ERR_TEE_CHANNEL' });
  await assert.rejects(backend.invokeCommand(s, TEE_COMMAND.generateKeys, new Uint8Array([0xff])), { code: 'ERR_TEE_COMMAND_FAILED', teeCode: 'ERR_TEE_CHANNEL' });
  await assert.rejects(backend.invokeCommand(s, TEE_COMMAND.generateKeys, new Uint8Array([0xa0])), { code: 'ERR_TEE_COMMAND_FAILED', teeCode: 'ERR_TEE_CHANNEL' });
  // Protocol commands before the device has keys: a typed refusal from inside.
  await assert.rejects(backend.invokeCommand(s, TEE_COMMAND.requestPolicyCheck, new Uint8Array()), { code: 'ERR_TEE_COMMAND_FAILED', teeCode: 'ERR_DEVICE_NOT_INITIALIZED' });
  await backend.closeSession(s);
  await assert.rejects(backend.invokeCommand(s, TEE_COMMAND.getIdentity, new Uint8Array()), { code: 'ERR_TEE_COMMAND_FAILED', teeCode: 'ERR_TEE_CHANNEL' });
  // A second TEE cannot be created over an existing one.
  await assert.rejects(SimulatedTeeBackend.start(tee, { create: true }), { code: 'ERR_TEE_START_FAILED' });
});
