// Store conformance, lifecycle: transactions, restart, migrations, closing. Every backend.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testBackends, utf8 } from './test-support/backends.js';

const BACKENDS = await testBackends();
after(async () => {
  for (const b of BACKENDS) await b.dispose();
});

for (const backend of BACKENDS) {
  describe(`store lifecycle (${backend.name})`, { skip: backend.skip }, () => {
    test('a transaction commits every change when fn resolves', async () => {
      const store = await backend.open();
      const result = await store.transaction(async (tx) => {
        await tx.devices.create({ id: 'd' });
        await tx.inventory.replaceFromTcList('d', [{ componentId: utf8('a'), sequenceNumber: 1 }]);
        await tx.audit.append({ deviceId: 'd', actor: 'tam', action: 'query', decision: 'allow' });
        return 42;
      });
      assert.equal(result, 42);
      assert.ok(await store.devices.get('d'));
      assert.equal((await store.inventory.list('d')).length, 1);
      assert.equal((await store.audit.list()).entries.length, 1);
    });

    test('a transaction rolls back every change and rethrows the same error', async () => {
      const store = await backend.open();
      await store.devices.create({ id: 'd', hwmodel: utf8('m') });
      await store.trustedComponents.add({ id: 't', componentId: utf8('a'), manifest: utf8('m1'), signerSubject: 's', signerThumbprint: utf8('x'), sequenceNumber: 1 });
      await store.inventory.replaceFromTcList('d', [{ componentId: utf8('a'), sequenceNumber: 1 }]);
      await store.sessions.create({ id: 's', protocol: 'teep', state: utf8(''), expiresAt: Date.now() + 60_000 }, [
        { kind: 'token', value: utf8('tok'), expiresAt: Date.now() + 60_000 },
      ]);
      const boom = new Error('policy engine failed');
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.devices.setBlocked('d', true);
          await tx.trustedComponents.updateManifest('t', { manifest: utf8('m2'), sequenceNumber: 2, signerSubject: 's', signerThumbprint: utf8('x') });
          await tx.policies.set({ tcId: 't', action: 'remove', scope: { kind: 'all' } });
          await tx.inventory.replaceFromTcList('d', []);
          await tx.inventory.markPending('d', { componentId: utf8('b'), action: 'install' });
          await tx.sessions.consume('token', utf8('tok'));
          await tx.securityDomains.create({ deviceId: 'd', name: 'sd', ownerTam: 'tam' });
          await tx.audit.append({ actor: 'tam', action: 'x', decision: 'info' });
          throw boom;
        }),
        (e) => e === boom,
      );
      assert.equal((await store.devices.get('d'))!.blocked, false);
      assert.equal((await store.trustedComponents.get('t'))!.sequenceNumber, 1);
      assert.deepEqual(await store.policies.list(), []);
      assert.deepEqual((await store.inventory.list('d')).map((e) => [e.state, e.sequenceNumber]), [['installed', 1]]);
      assert.deepEqual(await store.securityDomains.listForDevice('d'), []);
      assert.deepEqual((await store.audit.list()).entries, []);
      assert.equal((await store.sessions.consume('token', utf8('tok'))).session.id, 's');
    });

    test('a store error inside a transaction rolls back too', async () => {
      const store = await backend.open();
      await store.devices.create({ id: 'd', ueid: utf8('u') });
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.devices.create({ id: 'e' });
          await tx.devices.create({ id: 'f', ueid: utf8('u') });
        }),
        { code: 'ERR_STORE_CONFLICT' },
      );
      assert.equal(await store.devices.get('e'), undefined);
    });

    test('reopening the database keeps all state (restart)', async () => {
      const first = await backend.open({ persistent: true });
      const id = `restart-${crypto.randomUUID()}`;
      await first.devices.create({ id, certThumbprint: utf8(id), hwmodel: utf8('m') });
      await first.trustedComponents.add({ id: `${id}-tc`, componentId: utf8(`${id}-c`), manifest: utf8('m'), signerSubject: 's', signerThumbprint: utf8('x'), sequenceNumber: 3 });
      await first.policies.set({ tcId: `${id}-tc`, action: 'required', scope: { kind: 'device', deviceId: id } });
      await first.inventory.markPending(id, { componentId: utf8(`${id}-c`), action: 'install', sequenceNumber: 3 });
      await first.sessions.create({ id: `${id}-s`, protocol: 'teep', deviceId: id, state: utf8('st'), expiresAt: Date.now() + 60_000 }, [
        { kind: 'token', value: utf8(`${id}-tok`), expiresAt: Date.now() + 60_000 },
      ]);
      await first.sessions.consume('token', utf8(`${id}-tok`));
      await first.securityDomains.create({ deviceId: id, name: 'sd', ownerTam: 'tam' });
      const entry = await first.audit.append({ deviceId: id, actor: 'tam', action: 'install', decision: 'allow' });
      await first.close();

      const second = await backend.open({ persistent: true });
      assert.deepEqual((await second.devices.findByThumbprint(utf8(id)))!.id, id);
      assert.equal((await second.trustedComponents.get(`${id}-tc`))!.sequenceNumber, 3);
      assert.deepEqual((await second.policies.resolve(id)).map((p) => p.action), ['required']);
      assert.deepEqual((await second.inventory.list(id)).map((e) => [e.state, e.tcId]), [['pending-install', `${id}-tc`]]);
      assert.deepEqual((await second.sessions.get(`${id}-s`))!.state, utf8('st'));
      await assert.rejects(second.sessions.consume('token', utf8(`${id}-tok`)), { code: 'ERR_STORE_TOKEN_USED' });
      assert.equal((await second.securityDomains.findByName(id, 'sd'))!.ownerTam, 'tam');
      assert.deepEqual((await second.audit.list({ deviceId: id })).entries, [entry]);
      await second.close();
    });

    test('migrations are idempotent and reversible', async () => {
      const store = await backend.open();
      assert.deepEqual(await store.appliedMigrations(), ['0001-initial', '0002-change-stamps']);
      await store.init();
      assert.deepEqual(await store.migrateToLatest(), []);
      assert.deepEqual(await store.appliedMigrations(), ['0001-initial', '0002-change-stamps']);
      await store.devices.create({ id: 'd' });
      assert.deepEqual(await store.migrateDownTo(), ['0002-change-stamps', '0001-initial']);
      assert.deepEqual(await store.appliedMigrations(), []);
      await assert.rejects(store.devices.get('d'), { code: 'ERR_STORE_INTERNAL' });
      assert.deepEqual(await store.migrateToLatest(), ['0001-initial', '0002-change-stamps']);
      assert.equal(await store.devices.get('d'), undefined);
    });

    test('after close every call is ERR_STORE_UNAVAILABLE; close is idempotent', async () => {
      const store = await backend.open();
      await store.close();
      await store.close();
      await assert.rejects(store.devices.get('d'), { code: 'ERR_STORE_UNAVAILABLE' });
      await assert.rejects(store.audit.append({ actor: 'a', action: 'b', decision: 'info' }), { code: 'ERR_STORE_UNAVAILABLE' });
      await assert.rejects(store.transaction(async () => 1), { code: 'ERR_STORE_UNAVAILABLE' });
      await assert.rejects(store.init(), { code: 'ERR_STORE_UNAVAILABLE' });
    });
  });
}
