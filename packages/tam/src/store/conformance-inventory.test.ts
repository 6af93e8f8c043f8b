// Store conformance, per-device inventory and OTrP security domains: run against every backend.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { OpenedStore } from './open-store.js';
import type { InventoryEntry } from './records.js';
import { fakeClock, testBackends, utf8 } from './test-support/backends.js';

const BACKENDS = await testBackends();
after(async () => {
  for (const b of BACKENDS) await b.dispose();
});

const A = utf8('comp-a');
const B = utf8('comp-b');
const C = utf8('comp-c');

/** [component, state, installed, confirmed seq, pending seq] per entry, for compact assertions. */
function summary(entries: InventoryEntry[]) {
  return entries.map((e) => [new TextDecoder().decode(e.componentId), e.state, e.installed, e.sequenceNumber, e.pending?.sequenceNumber ?? null]);
}

async function withDevice(open: () => Promise<OpenedStore>): Promise<OpenedStore> {
  const store = await open();
  await store.devices.create({ id: 'd' });
  return store;
}

for (const backend of BACKENDS) {
  describe(`store inventory (${backend.name})`, { skip: backend.skip }, () => {
    test('an unknown device is NOT_FOUND; a new device has an empty inventory', async () => {
      const store = await withDevice(() => backend.open());
      assert.deepEqual(await store.inventory.list('d'), []);
      await assert.rejects(store.inventory.list('x'), { code: 'ERR_STORE_NOT_FOUND' });
      await assert.rejects(store.inventory.markPending('x', { componentId: A, action: 'install' }), { code: 'ERR_STORE_NOT_FOUND' });
      await assert.rejects(store.inventory.replaceFromTcList('x', []), { code: 'ERR_STORE_NOT_FOUND' });
    });

    test('two nodes changing one device’s inventory take turns (row lock)', { skip: backend.name === 'sqlite' && 'one SQLite process serializes every transaction already' }, async () => {
      const first = await backend.open();
      const second = await backend.open({ persistent: true }); // another node, same database
      await first.devices.create({ id: 'lock-d' });
      const order: string[] = [];
      let locked!: () => void;
      const holding = new Promise<void>((resolve) => (locked = resolve));
      const a = first.transaction(async (tx) => {
        await tx.inventory.markPending('lock-d', { componentId: A, action: 'install', sequenceNumber: 1 });
        locked();
        await new Promise((resolve) => setTimeout(resolve, 300));
        order.push('first commits');
      });
      await holding;
      const b = second.inventory.markPending('lock-d', { componentId: B, action: 'install', sequenceNumber: 1 }).then(() => order.push('second done'));
      await Promise.all([a, b]);
      assert.deepEqual(order, ['first commits', 'second done']);
      assert.deepEqual(summary(await second.inventory.list('lock-d')).map((e) => e[0]), ['comp-a', 'comp-b']);
    });

    test('pending install -> confirmed by a Success', async () => {
      const clock = fakeClock();
      const store = await withDevice(() => backend.open({ clock: clock.now }));
      await store.trustedComponents.add({ id: 'tc-a', componentId: A, manifest: utf8('m'), signerSubject: 'CN=s', signerThumbprint: utf8('t'), sequenceNumber: 4 });
      const p = await store.inventory.markPending('d', { componentId: A, action: 'install', sequenceNumber: 4 });
      assert.equal(p.state, 'pending-install');
      assert.equal(p.installed, false);
      assert.equal(p.tcId, 'tc-a');
      assert.equal(p.protocol, 'teep');
      assert.deepEqual(p.pending, { action: 'install', sequenceNumber: 4, since: clock.now() });
      clock.advance(100);
      const c = await store.inventory.confirmPending('d', A);
      assert.ok(c);
      assert.equal(c.state, 'installed');
      assert.equal(c.installed, true);
      assert.equal(c.sequenceNumber, 4);
      assert.equal(c.pending, null);
      assert.equal(c.updatedAt, clock.now());
      assert.deepEqual(summary(await store.inventory.list('d')), [['comp-a', 'installed', true, 4, null]]);
      await assert.rejects(store.inventory.confirmPending('d', A), { code: 'ERR_STORE_NOT_FOUND' });
      await assert.rejects(store.inventory.cancelPending('d', A), { code: 'ERR_STORE_NOT_FOUND' });
    });

    test('an update keeps the installed version until confirmed; cancel restores it', async () => {
      const store = await withDevice(() => backend.open());
      await store.inventory.replaceFromTcList('d', [{ componentId: A, sequenceNumber: 1 }]);
      const p = await store.inventory.markPending('d', { componentId: A, action: 'install', sequenceNumber: 2 });
      assert.deepEqual(summary([p]), [['comp-a', 'pending-install', true, 1, 2]]);
      const back = await store.inventory.cancelPending('d', A);
      assert.deepEqual(summary([back!]), [['comp-a', 'installed', true, 1, null]]);
      await store.inventory.markPending('d', { componentId: B, action: 'install', sequenceNumber: 1 });
      assert.equal(await store.inventory.cancelPending('d', B), null);
      assert.deepEqual(summary(await store.inventory.list('d')), [['comp-a', 'installed', true, 1, null]]);
    });

    test('pending remove -> confirmed deletes the entry', async () => {
      const store = await withDevice(() => backend.open());
      await store.inventory.replaceFromTcList('d', [{ componentId: A, sequenceNumber: 1 }, { componentId: B, sequenceNumber: 1 }]);
      const p = await store.inventory.markPending('d', { componentId: A, action: 'remove' });
      assert.deepEqual(summary([p]), [['comp-a', 'pending-remove', true, 1, null]]);
      assert.equal(await store.inventory.confirmPending('d', A), null);
      assert.deepEqual(summary(await store.inventory.list('d')), [['comp-b', 'installed', true, 1, null]]);
    });

    test('replaceFromTcList rebuilds the confirmed inventory and settles pending changes', async () => {
      const store = await withDevice(() => backend.open());
      let inv = await store.inventory.replaceFromTcList('d', [{ componentId: A, sequenceNumber: 1 }, { componentId: B }]);
      assert.deepEqual(summary(inv), [
        ['comp-a', 'installed', true, 1, null],
        ['comp-b', 'installed', true, null, null],
      ]);
      await store.inventory.markPending('d', { componentId: C, action: 'install', sequenceNumber: 3 });
      await store.inventory.markPending('d', { componentId: A, action: 'remove' });
      // B vanished; A still there (remove pending); C not yet there (install pending).
      inv = await store.inventory.replaceFromTcList('d', [{ componentId: A, sequenceNumber: 2 }]);
      assert.deepEqual(summary(inv), [
        ['comp-a', 'pending-remove', true, 2, null],
        ['comp-c', 'pending-install', false, null, 3],
      ]);
      // C shows at a lower sequence number than sent: still pending, but installed at 2.
      inv = await store.inventory.replaceFromTcList('d', [{ componentId: A, sequenceNumber: 2 }, { componentId: C, sequenceNumber: 2 }]);
      assert.deepEqual(summary(inv), [
        ['comp-a', 'pending-remove', true, 2, null],
        ['comp-c', 'pending-install', true, 2, 3],
      ]);
      // A gone confirms its removal; C at 3 confirms the install.
      inv = await store.inventory.replaceFromTcList('d', [{ componentId: C, sequenceNumber: 3 }]);
      assert.deepEqual(summary(inv), [['comp-c', 'installed', true, 3, null]]);
      assert.deepEqual(summary(await store.inventory.list('d')), summary(inv));
      inv = await store.inventory.replaceFromTcList('d', []);
      assert.deepEqual(inv, []);
    });

    test('replaceFromTcList leaves unchanged entries as they were (updatedAt included)', async () => {
      const store = await withDevice(() => backend.open());
      const first = await store.inventory.replaceFromTcList('d', [{ componentId: A, sequenceNumber: 1 }, { componentId: B, sequenceNumber: 1 }], { at: 1000 });
      const again = await store.inventory.replaceFromTcList('d', [{ componentId: A, sequenceNumber: 1 }, { componentId: B, sequenceNumber: 2 }], { at: 2000 });
      assert.deepEqual(again.map((e) => [e.sequenceNumber, e.updatedAt]), [[1, 1000], [2, 2000]]);
      assert.deepEqual(first[0], again[0]);
    });

    test('replaceFromTcList keeps the highest sequence number of duplicates', async () => {
      const store = await withDevice(() => backend.open());
      const inv = await store.inventory.replaceFromTcList('d', [{ componentId: A, sequenceNumber: 5 }, { componentId: A, sequenceNumber: 7 }, { componentId: A }]);
      assert.deepEqual(summary(inv), [['comp-a', 'installed', true, 7, null]]);
    });

    test('a bad tc-list entry changes nothing', async () => {
      const store = await withDevice(() => backend.open());
      await store.inventory.replaceFromTcList('d', [{ componentId: A, sequenceNumber: 1 }]);
      await assert.rejects(store.inventory.replaceFromTcList('d', [{ componentId: B }, { componentId: 'x' as never }]), { code: 'ERR_STORE_INVALID_ARGUMENT' });
      await assert.rejects(store.inventory.replaceFromTcList('d', [{ componentId: B, sequenceNumber: -1 }]), { code: 'ERR_STORE_INVALID_ARGUMENT' });
      assert.deepEqual(summary(await store.inventory.list('d')), [['comp-a', 'installed', true, 1, null]]);
    });

    test('TEEP and OTrP entries live side by side; a tc-list only replaces its own protocol', async () => {
      const store = await withDevice(() => backend.open());
      const sd = await store.securityDomains.create({ deviceId: 'd', name: 'sd.bank', ownerTam: 'tam.example', spid: 'sp-1' });
      await store.inventory.replaceFromTcList('d', [{ componentId: A, sequenceNumber: 1 }], { protocol: 'otrp' });
      const ta = await store.inventory.markPending('d', { componentId: B, action: 'install', sequenceNumber: 1, protocol: 'otrp', securityDomainId: sd.id });
      assert.equal(ta.securityDomainId, sd.id);
      await store.inventory.replaceFromTcList('d', [{ componentId: C, sequenceNumber: 9 }]);
      const all = await store.inventory.list('d');
      assert.deepEqual(all.map((e) => [e.protocol, new TextDecoder().decode(e.componentId), e.state]), [
        ['otrp', 'comp-a', 'installed'],
        ['otrp', 'comp-b', 'pending-install'],
        ['teep', 'comp-c', 'installed'],
      ]);
      assert.deepEqual((await store.inventory.list('d', { protocol: 'otrp' })).length, 2);
      const confirmed = await store.inventory.confirmPending('d', B, { protocol: 'otrp' });
      assert.equal(confirmed!.securityDomainId, sd.id);
      await store.inventory.replaceFromTcList('d', [], { protocol: 'teep' });
      assert.deepEqual((await store.inventory.list('d')).map((e) => e.protocol), ['otrp', 'otrp']);
    });
  });

  describe(`store security domains (${backend.name})`, { skip: backend.skip }, () => {
    test('create, get, findByName, listForDevice, delete', async () => {
      const clock = fakeClock();
      const store = await withDevice(() => backend.open({ clock: clock.now }));
      await store.devices.create({ id: 'e' });
      const sd = await store.securityDomains.create({ id: 'sd1', deviceId: 'd', name: 'sd.b', ownerTam: 'tam-1' });
      assert.deepEqual(sd, { id: 'sd1', deviceId: 'd', name: 'sd.b', ownerTam: 'tam-1', spid: null, createdAt: clock.now() });
      await store.securityDomains.create({ deviceId: 'd', name: 'sd.a', ownerTam: 'tam-2', spid: 'sp' });
      await store.securityDomains.create({ deviceId: 'e', name: 'sd.b', ownerTam: 'tam-1' });
      assert.deepEqual(await store.securityDomains.get('sd1'), sd);
      assert.deepEqual(await store.securityDomains.findByName('d', 'sd.b'), sd);
      assert.equal(await store.securityDomains.findByName('d', 'sd.c'), undefined);
      assert.deepEqual((await store.securityDomains.listForDevice('d')).map((s) => [s.name, s.ownerTam]), [
        ['sd.a', 'tam-2'],
        ['sd.b', 'tam-1'],
      ]);
      await assert.rejects(store.securityDomains.create({ deviceId: 'd', name: 'sd.b', ownerTam: 'tam-3' }), { code: 'ERR_STORE_CONFLICT' });
      await assert.rejects(store.securityDomains.create({ deviceId: 'zz', name: 'x', ownerTam: 't' }), { code: 'ERR_STORE_NOT_FOUND' });
      await store.securityDomains.delete('sd1');
      assert.equal(await store.securityDomains.get('sd1'), undefined);
      await assert.rejects(store.securityDomains.delete('sd1'), { code: 'ERR_STORE_NOT_FOUND' });
    });
  });
}
