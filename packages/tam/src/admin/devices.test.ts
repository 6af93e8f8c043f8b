// /admin/v1/devices: list with inventory, get with effective policies, block / unblock / decommission.
// Every backend.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fromHex } from '@otrp/core';
import { fakeClock, testBackends, utf8 } from '../store/test-support/backends.js';
import { adminApp, adminTestSuite, AUTH, buildTc, json, upload } from './test-support/admin-fixture.js';

const { backends: BACKENDS, pki } = await adminTestSuite();

for (const backend of BACKENDS) {
  describe(`admin devices (${backend.name})`, { skip: backend.skip }, () => {
    test('list with inventory (paged, filters), get with the policy that wins per TC', async () => {
      const clock = fakeClock();
      const store = await backend.open({ clock: clock.now });
      const app = adminApp(store, pki.trust);
      const tc = json(await upload(app, await buildTc(pki.signer, { name: 'inv-ta', sequenceNumber: 4 })));
      const a = await store.devices.create({ subject: 'CN=device a', ueid: utf8('ueid-a'), hwmodel: utf8('model-x') });
      clock.advance(1000); // devices are listed oldest first
      const b = await store.devices.create({ subject: 'CN=device b' });
      await store.inventory.replaceFromTcList(a.id, [{ componentId: fromHex(tc['componentId']), sequenceNumber: 4 }]);
      await store.inventory.markPending(b.id, { componentId: fromHex(tc['componentId']), action: 'install', sequenceNumber: 4 });
      await store.devices.setBlocked(b.id, true);

      const res = await app.inject({ method: 'GET', url: '/admin/v1/devices', headers: AUTH });
      assert.equal(res.statusCode, 200);
      const items = json(res)['items'] as Record<string, any>[];
      assert.deepEqual(items.map((d) => d['id']), [a.id, b.id]);
      assert.equal(items[0]!['subject'], 'CN=device a');
      assert.equal(items[0]!['ueid'], Buffer.from('ueid-a').toString('hex'));
      assert.equal(items[0]!['hwmodel'], Buffer.from('model-x').toString('hex'));
      assert.equal(items[0]!['lastSeenAt'], null);
      assert.equal(items[0]!['createdAt'], new Date(clock.now() - 1000).toISOString());
      assert.deepEqual(items[0]!['inventory'].map((e: Record<string, unknown>) => [e['state'], e['installed'], e['sequenceNumber'], e['tcId']]), [
        ['installed', true, 4, tc['id']],
      ]);
      assert.equal(items[0]!['inventory'][0]['componentIdText'], tc['componentIdText']);
      assert.deepEqual(items[1]!['inventory'][0]['pending'].action, 'install');
      assert.equal(items[1]!['inventory'][0]['state'], 'pending-install');

      const blocked = json(await app.inject({ method: 'GET', url: '/admin/v1/devices?blocked=true', headers: AUTH }));
      assert.deepEqual(blocked['items'].map((d: { id: string }) => d.id), [b.id]);
      const second = json(await app.inject({ method: 'GET', url: '/admin/v1/devices?limit=1&offset=1', headers: AUTH }));
      assert.deepEqual(second['items'].map((d: { id: string }) => d.id), [b.id]);

      await store.policies.set({ tcId: tc['id'], action: 'optional', scope: { kind: 'all' } });
      await store.policies.set({ tcId: tc['id'], action: 'required', scope: { kind: 'hwmodel', hwmodel: utf8('model-x') } });
      const one = await app.inject({ method: 'GET', url: `/admin/v1/devices/${a.id}`, headers: AUTH });
      assert.equal(one.statusCode, 200);
      assert.deepEqual(json(one)['policies'].map((p: Record<string, any>) => [p['tcId'], p['action'], p['scope']['kind']]), [[tc['id'], 'required', 'hwmodel']]);
      assert.equal(json(one)['inventory'].length, 1);
      const other = json(await app.inject({ method: 'GET', url: `/admin/v1/devices/${b.id}`, headers: AUTH }));
      assert.deepEqual(other['policies'].map((p: Record<string, any>) => p['action']), ['optional']);
      const missing = await app.inject({ method: 'GET', url: '/admin/v1/devices/nope', headers: AUTH });
      assert.equal(missing.statusCode, 404);
      assert.equal(json(missing)['code'], 'ERR_STORE_NOT_FOUND');
      await app.close();
    });

    test('block, unblock, decommission: state changes, audited with the device id; unknown device 404', async () => {
      const store = await backend.open();
      const app = adminApp(store, pki.trust);
      const d = await store.devices.create({ subject: 'CN=device c' });
      const post = (what: string, id = d.id) => app.inject({ method: 'POST', url: `/admin/v1/devices/${id}/${what}`, headers: AUTH });

      const blocked = await post('block');
      assert.equal(blocked.statusCode, 200);
      assert.equal(json(blocked)['blocked'], true);
      assert.deepEqual(json(blocked)['inventory'], []);
      assert.equal((await store.devices.get(d.id))!.blocked, true);
      assert.equal(json(await post('unblock'))['blocked'], false);
      assert.equal((await store.devices.get(d.id))!.blocked, false);

      const dec = await post('decommission');
      assert.equal(dec.statusCode, 200);
      assert.equal(json(dec)['decommissioned'], true);
      const at = (await store.devices.get(d.id))!.decommissionedAt;
      assert.notEqual(at, null);
      assert.equal(json(await post('decommission'))['decommissionedAt'], json(dec)['decommissionedAt'], 'one-way and idempotent');
      assert.equal((await store.devices.get(d.id))!.decommissionedAt, at);

      const hidden = json(await app.inject({ method: 'GET', url: '/admin/v1/devices', headers: AUTH }));
      assert.deepEqual(hidden['items'], []);
      const shown = json(await app.inject({ method: 'GET', url: '/admin/v1/devices?includeDecommissioned=true', headers: AUTH }));
      assert.deepEqual(shown['items'].map((x: { id: string }) => x.id), [d.id]);

      assert.equal((await post('block', 'nope')).statusCode, 404);

      const entries = (await store.audit.list({ deviceId: d.id })).entries;
      assert.deepEqual(entries.map((e) => [e.action, e.decision]), [
        ['admin.device.decommission', 'allow'],
        ['admin.device.decommission', 'allow'],
        ['admin.device.unblock', 'allow'],
        ['admin.device.block', 'allow'],
      ]);
      const refused = (await store.audit.list({ deviceId: 'nope' })).entries;
      assert.deepEqual(refused.map((e) => [e.action, e.decision, e.code]), [['admin.device.block', 'deny', 'ERR_STORE_NOT_FOUND']]);
      await app.close();
    });
  });
}
