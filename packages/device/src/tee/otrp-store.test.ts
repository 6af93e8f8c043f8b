import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateJoseKeyPair, type TeeState } from '@otrp/core';
import { SealedStorage, createDeviceSecret } from './sealed-storage.js';
import { OTRP_RIDTID_FILE, OTRP_STATE_FILE, SealedOtrpStore, SealedRidTidStore, diffStates } from './otrp-store.js';
import { encodeRecord } from './cbor-record.js';

async function freshStorage(t: { after(fn: () => unknown): void }): Promise<SealedStorage> {
  const dir = await mkdtemp(join(tmpdir(), 'otrp-otrp-store-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await createDeviceSecret(join(dir, 'tee'));
  return SealedStorage.open(join(dir, 'tee'));
}

const te = (s: string) => new TextEncoder().encode(s);
const TAM = 'https://tam.example/tam';

async function oneTa(binary = 'TA v1'): Promise<TeeState> {
  return {
    sds: [{ tamid: TAM, spid: 'sp', name: 'sd', spcerts: [te('cert')], tas: [{ taid: 'ta', taname: 'wallet', binary: te(binary), pdata: te('p') }] }],
    spaiks: [{ spid: 'sp', key: await generateJoseKeyPair('EC-P256') }],
  };
}

test('the OTrP state survives a reopen; installed-at is kept by an update, updated-at moves', async (t) => {
  const storage = await freshStorage(t);
  let clock = 1_000;
  const store = await SealedOtrpStore.open(storage, { now: () => clock });
  assert.deepEqual(await store.load(), { sds: [], spaiks: [] });
  const s1 = await oneTa();
  await store.commit(s1);
  assert.deepEqual(store.takeChanges(), [
    { action: 'sd-created', spid: 'sp', sdname: 'sd' },
    { action: 'ta-installed', spid: 'sp', sdname: 'sd', taid: 'ta' },
  ]);
  assert.equal((await readFile(storage.pathOf(OTRP_STATE_FILE))).includes(Buffer.from('TA v1')), false, 'sealed, not plaintext');

  const reopened = await SealedOtrpStore.open(storage, { now: () => clock });
  assert.deepEqual(await reopened.load(), s1);
  assert.deepEqual(reopened.list(), [{ tamid: TAM, spid: 'sp', sdname: 'sd', taid: 'ta', taname: 'wallet', size: 5, installedAt: 1_000, updatedAt: 1_000 }]);

  clock = 2_000;
  const s2 = await reopened.load();
  s2.sds[0]!.tas[0]!.binary = te('TA v2!');
  await reopened.commit(s2);
  assert.deepEqual(reopened.takeChanges(), [{ action: 'ta-updated', spid: 'sp', sdname: 'sd', taid: 'ta' }]);
  assert.deepEqual((await SealedOtrpStore.open(storage)).list().map((x) => [x.size, x.installedAt, x.updatedAt]), [[6, 1_000, 2_000]]);

  // A copy handed out by load() is not the store's state: changing it changes nothing.
  const copy = await reopened.load();
  copy.sds.length = 0;
  assert.equal((await reopened.load()).sds.length, 1);
});

test('rid/tid pairs are refused a second time, also after a reopen, per scope', async (t) => {
  const storage = await freshStorage(t);
  const a = await SealedRidTidStore.open(storage);
  assert.equal(await a.recordOnce(TAM, 'r1', 't1'), true);
  assert.equal(await a.recordOnce(TAM, 'r1', 't1'), false);
  assert.equal(await a.recordOnce('https://other.example', 'r1', 't1'), true, 'another TAM is another scope');
  const b = await SealedRidTidStore.open(storage);
  assert.equal(b.size, 2);
  assert.equal(await b.recordOnce(TAM, 'r1', 't1'), false);
  assert.equal(await b.recordOnce(TAM, 'r1', 't2'), true);
  // Unambiguous: ("a", "bc") and ("ab", "c") are different pairs.
  assert.equal(await b.recordOnce(TAM, 'a', 'bc'), true);
  assert.equal(await b.recordOnce(TAM, 'ab', 'c'), true);
});

test('over a limit: ERR_OTRP_TEE_RESOURCE_FULL (wire ERR_TEE_RESOURCE_FULL), and nothing is written', async (t) => {
  const storage = await freshStorage(t);
  const store = await SealedOtrpStore.open(storage, { limits: { tas: 1 } });
  const two = await oneTa();
  two.sds[0]!.tas.push({ taid: 'ta2', binary: te('x') });
  await assert.rejects(store.commit(two), { code: 'ERR_OTRP_TEE_RESOURCE_FULL', wireCode: 'ERR_TEE_RESOURCE_FULL' });
  assert.equal(await storage.has(OTRP_STATE_FILE), false);
  const big = await SealedOtrpStore.open(storage, { limits: { stateBytes: 1024 } });
  const s = await oneTa('x'.repeat(2000));
  await assert.rejects(big.commit(s), { code: 'ERR_OTRP_TEE_RESOURCE_FULL' });
  assert.deepEqual(await big.load(), { sds: [], spaiks: [] });
  const sds = await SealedOtrpStore.open(storage, { limits: { sds: 0 } });
  await assert.rejects(sds.commit(await oneTa()), { code: 'ERR_OTRP_TEE_RESOURCE_FULL' });

  const pairs = await SealedRidTidStore.open(storage, { limit: 2 });
  assert.equal(await pairs.recordOnce(TAM, 'r', '1'), true);
  assert.equal(await pairs.recordOnce(TAM, 'r', '2'), true);
  await assert.rejects(pairs.recordOnce(TAM, 'r', '3'), { code: 'ERR_OTRP_TEE_RESOURCE_FULL' });
  assert.equal(await pairs.recordOnce(TAM, 'r', '1'), false, 'a replay is still recognised when full');
  assert.equal((await SealedRidTidStore.open(storage)).size, 2);
});

test('a corrupt store file is a typed error at open: tampered -> ERR_TEE_UNSEAL_FAILED, wrong shape -> ERR_OTRP_STORE_CORRUPT', async (t) => {
  const storage = await freshStorage(t);
  const store = await SealedOtrpStore.open(storage);
  await store.commit(await oneTa());
  const file = storage.pathOf(OTRP_STATE_FILE);
  const bytes = await readFile(file);
  bytes[bytes.length - 20]! ^= 1;
  await writeFile(file, bytes);
  await assert.rejects(SealedOtrpStore.open(storage), { code: 'ERR_TEE_UNSEAL_FAILED' });

  // Properly sealed, but not our shape (each: version, member types, TA metadata, pair length).
  for (const bad of [
    new Uint8Array([0xff]),
    encodeRecord({ version: 2, sds: [], spaiks: [] }),
    encodeRecord({ version: 1, sds: [{ tamid: TAM, spid: 'sp', name: 7, spcerts: [], tas: [] }], spaiks: [] }),
    encodeRecord({ version: 1, sds: [{ tamid: TAM, spid: 'sp', name: 'sd', spcerts: [], tas: [{ taid: 'ta', binary: te('x') }] }], spaiks: [] }),
    encodeRecord({ version: 1, sds: [], spaiks: [{ spid: 'sp' }] }),
  ]) {
    await storage.write(OTRP_STATE_FILE, bad);
    await assert.rejects(SealedOtrpStore.open(storage), { code: 'ERR_OTRP_STORE_CORRUPT' });
  }
  await storage.write(OTRP_RIDTID_FILE, encodeRecord({ version: 1, pairs: new Uint8Array(33) }));
  await assert.rejects(SealedRidTidStore.open(storage), { code: 'ERR_OTRP_STORE_CORRUPT' });
  await storage.write(OTRP_RIDTID_FILE, encodeRecord({ version: 1, pairs: 'no' }));
  await assert.rejects(SealedRidTidStore.open(storage), { code: 'ERR_OTRP_STORE_CORRUPT' });
});

test('diffStates names every SD and TA change', async () => {
  const before = await oneTa();
  const after: TeeState = { sds: [{ ...before.sds[0]!, name: 'sd2', tas: [] }], spaiks: [] };
  assert.deepEqual(diffStates(before, after), [
    { action: 'sd-created', spid: 'sp', sdname: 'sd2' },
    { action: 'ta-deleted', spid: 'sp', sdname: 'sd', taid: 'ta' },
    { action: 'sd-deleted', spid: 'sp', sdname: 'sd' },
  ]);
  const updated: TeeState = { sds: [{ ...before.sds[0]!, spcerts: [te('new cert')] }], spaiks: [] };
  assert.deepEqual(diffStates(before, updated), [{ action: 'sd-updated', spid: 'sp', sdname: 'sd' }]);
});
