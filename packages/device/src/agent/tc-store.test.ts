import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeCbor, type CborValue } from '@otrp/core';
import { CRASH_STEPS } from '../tee/crash-points.js';
import { SealedStorage, createDeviceSecret } from '../tee/sealed-storage.js';
import { AgentTcStore, TC_BLOB_PREFIX } from './tc-store.js';
import { runCrashChild } from '../test-support/run-crash-child.js';
import { COMPONENT_CONFIG, COMPONENT_TA, FIXTURE, MANIFEST_ID, installFixture, storedVersion } from '../test-support/tc-fixture.js';

async function freshTee(t: { after(fn: () => unknown): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'otrp-tcstore-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await createDeviceSecret(join(dir, 'tee'));
  return join(dir, 'tee');
}
const open = async (tee: string) => AgentTcStore.open(await SealedStorage.open(tee));

test('install, update, read back, list in the port shape, survive reopening', async (t) => {
  const tee = await freshTee(t);
  const store = await open(tee);
  assert.equal(await storedVersion(store), 'empty');
  await installFixture(store, 'old');
  assert.equal(await storedVersion(store), 'old');
  await installFixture(store, 'new');
  assert.equal(await storedVersion(store), 'new');
  assert.equal(store.generation, 2);
  const [tc] = store.list();
  assert.deepEqual(tc!.manifestId, MANIFEST_ID);
  assert.equal(tc!.sequenceNumber, 2n);
  assert.equal(store.records()[0]!.signer, 'CN=otrp TC Signer');
  const again = await open(tee);
  assert.equal(await storedVersion(again), 'new');
  assert.equal(again.generation, 2);
  // Old content was garbage-collected: one blob per live component plus the envelope.
  assert.equal((await readdir(tee)).filter((n) => n.startsWith(TC_BLOB_PREFIX)).length, 3);
});

test('a transaction is invisible until commit, reads its own writes, and removal works', async (t) => {
  const tee = await freshTee(t);
  const store = await open(tee);
  await installFixture(store, 'old');
  const tx = store.begin();
  tx.write(COMPONENT_TA, new Uint8Array([1, 2]));
  tx.set(MANIFEST_ID, 5n);
  assert.deepEqual(await tx.read(COMPONENT_TA), new Uint8Array([1, 2]));
  assert.equal(tx.get(MANIFEST_ID), 5n);
  assert.deepEqual(await store.readComponent(COMPONENT_TA), FIXTURE.old.ta);
  assert.equal(store.sequenceNumber(MANIFEST_ID), 1n);
  // Abandoned: nothing changes. A new transaction removes the TC.
  const rmTx = store.begin();
  rmTx.remove(COMPONENT_TA);
  rmTx.removeManifest(MANIFEST_ID);
  await rmTx.commit();
  await assert.rejects(rmTx.commit(), { code: 'ERR_TC_STORE_CORRUPT' });
  assert.equal(await storedVersion(await open(tee)), 'empty');
  assert.equal((await readdir(tee)).filter((n) => n.startsWith(TC_BLOB_PREFIX)).length, 0);
});

test('a damaged payload or index is reported as ERR_TC_STORE_CORRUPT / ERR_TEE_UNSEAL_FAILED', async (t) => {
  const tee = await freshTee(t);
  const storage = await SealedStorage.open(tee);
  const store = await AgentTcStore.open(storage);
  await installFixture(store, 'old');
  const blobs = (await storage.list(TC_BLOB_PREFIX));
  // A blob sealed correctly but with content not matching its hash name.
  for (const b of blobs) await storage.write(b, new Uint8Array([0]));
  await assert.rejects(store.readComponent(COMPONENT_TA), { code: 'ERR_TC_STORE_CORRUPT' });
  for (const b of blobs) await storage.remove(b);
  await assert.rejects(store.readComponent(COMPONENT_TA), { code: 'ERR_TC_STORE_CORRUPT' });
  await storage.write('tc-index', new Uint8Array([0xa1, 0x01, 0x02]));
  await assert.rejects(open(tee), { code: 'ERR_TC_STORE_CORRUPT' });
  // Sequence floors (key 5) that are not [component-id, uint] pairs.
  const badFloors: CborValue[] = [7, [['not an id', 1]], [[[new Uint8Array([1])], -1]]];
  for (const floors of badFloors) {
    await storage.write('tc-index', encodeCbor(new Map<CborValue, CborValue>([[1, 1], [2, 0], [3, []], [4, []], [5, floors]])));
    await assert.rejects(open(tee), { code: 'ERR_TC_STORE_CORRUPT' }, JSON.stringify(floors));
  }
  await writeFile(storage.pathOf('tc-index'), 'garbage that is not sealed');
  await assert.rejects(open(tee), { code: 'ERR_TEE_SEALED_FORMAT' });
});

test('an unlinked manifest keeps its sequence number as a floor, across reopening: no rollback after unlink', async (t) => {
  const tee = await freshTee(t);
  const store = await open(tee);
  await installFixture(store, 'new');
  const unlink = store.begin();
  for (const id of [COMPONENT_TA, COMPONENT_CONFIG]) unlink.remove(id);
  unlink.removeManifest(MANIFEST_ID);
  await unlink.commit();
  assert.deepEqual(store.records(), []);
  assert.equal(store.sequenceNumber(MANIFEST_ID), FIXTURE.new.seq);
  const again = await open(tee);
  assert.equal(again.begin().get(MANIFEST_ID), FIXTURE.new.seq, 'what the SUIT processor checks a rollback against, from the sealed index');
  // A manifest processed only as a dependency (no record of its own) keeps its number as well.
  const dependency = [new TextEncoder().encode('dependency')];
  const dep = again.begin();
  dep.set(dependency, 7n);
  await dep.commit();
  assert.equal((await open(tee)).sequenceNumber(dependency), 7n);
  // Installed again, the manifest's record carries its number; the floor goes.
  await installFixture(again, 'new');
  assert.deepEqual(again.sequenceFloors().map((f) => f.sequenceNumber), [7n]);
  assert.equal((await open(tee)).sequenceNumber(MANIFEST_ID), FIXTURE.new.seq);
});

// The kill test for the store: the 'new' install makes 4 atomic writes (2 component blobs, the
// envelope blob, then the index). It is killed at every step of the first blob write and of the
// index write (the commit point), and after the rename of the other two blobs (blob writes are all
// alike; each child process costs a second or two). The reopened store holds exactly the old TC or
// exactly the new one, and every file it references verifies.
const WRITES = 4;
const POINTS = [
  ...CRASH_STEPS.map((step) => ({ step, n: 1 })),
  { step: 'after-rename' as const, n: 2 },
  { step: 'after-rename' as const, n: 3 },
  ...CRASH_STEPS.map((step) => ({ step, n: WRITES })),
];
for (const { step, n } of POINTS) {
  test(`install killed at ${step}:${n} leaves the old or the new TC, whole`, async (t) => {
    const tee = await freshTee(t);
    await installFixture(await open(tee), 'old');
    const outcome = await runCrashChild(['tc-install', tee], `${step}:${n}`);
    assert.equal(outcome.signal, 'SIGKILL', `not killed at ${step}:${n}: ${outcome.stderr}`);
    const committed = n === WRITES && CRASH_STEPS.indexOf(step) >= CRASH_STEPS.indexOf('after-rename');
    const store = await open(tee);
    assert.equal(await storedVersion(store), committed ? 'new' : 'old');
    // Orphans of the interrupted install are gone after reopening.
    assert.equal((await readdir(tee)).filter((f) => f.startsWith(TC_BLOB_PREFIX)).length, committed ? 3 : 2);
    assert.ok((await readdir(tee)).every((f) => !f.startsWith('.tmp-')));
  });
}

test('the same install without a crash point commits the new TC', async (t) => {
  const tee = await freshTee(t);
  await installFixture(await open(tee), 'old');
  const outcome = await runCrashChild(['tc-install', tee], undefined);
  assert.equal(outcome.code, 0, outcome.stderr);
  assert.equal(await storedVersion(await open(tee)), 'new');
});
