// /admin/v1/policies: set (create / replace), list with filters, get, delete; scope checks. Every backend.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testBackends, utf8 } from '../store/test-support/backends.js';
import { adminApp, adminTestSuite, AUTH, buildTc, json, upload } from './test-support/admin-fixture.js';

const { backends: BACKENDS, pki } = await adminTestSuite();

const HWMODEL_HEX = Buffer.from('model-x').toString('hex');

for (const backend of BACKENDS) {
  describe(`admin policies (${backend.name})`, { skip: backend.skip }, () => {
    test('set creates (201) then replaces (200) one policy per scope and TC; list filters; get; delete', async () => {
      const store = await backend.open();
      const app = adminApp(store, pki.trust);
      const tc = json(await upload(app, await buildTc(pki.signer, { name: 'policy-ta' })))['id'];
      const device = await store.devices.create({ hwmodel: utf8('model-x') });
      const set = (action: string, scope: object) =>
        app.inject({ method: 'POST', url: '/admin/v1/policies', headers: AUTH, payload: { tcId: tc, action, scope } });

      const all = await set('optional', { kind: 'all' });
      assert.equal(all.statusCode, 201, all.body);
      assert.deepEqual(json(all)['scope'], { kind: 'all' });
      const replaced = await set('required', { kind: 'all' });
      assert.equal(replaced.statusCode, 200);
      assert.equal(json(replaced)['id'], json(all)['id']);
      assert.equal(json(replaced)['action'], 'required');
      const hw = await set('remove', { kind: 'hwmodel', hwmodel: HWMODEL_HEX.toUpperCase() });
      assert.equal(hw.statusCode, 201);
      assert.deepEqual(json(hw)['scope'], { kind: 'hwmodel', hwmodel: HWMODEL_HEX });
      const dev = await set('required', { kind: 'device', deviceId: device.id });
      assert.equal(dev.statusCode, 201);

      // The store resolves the most specific one for the device.
      assert.equal((await store.policies.resolve(device.id))[0]!.action, 'required');
      assert.equal((await store.policies.resolve(device.id))[0]!.scope.kind, 'device');

      const list = json(await app.inject({ method: 'GET', url: '/admin/v1/policies', headers: AUTH }));
      assert.equal(list['items'].length, 3);
      const byTc = json(await app.inject({ method: 'GET', url: `/admin/v1/policies?tcId=${tc}`, headers: AUTH }));
      assert.equal(byTc['items'].length, 3);
      const byHw = json(await app.inject({ method: 'GET', url: `/admin/v1/policies?scope=hwmodel&hwmodel=${HWMODEL_HEX}`, headers: AUTH }));
      assert.deepEqual(byHw['items'].map((p: { id: string }) => p.id), [json(hw)['id']]);
      const byDevice = json(await app.inject({ method: 'GET', url: `/admin/v1/policies?scope=device&deviceId=${device.id}`, headers: AUTH }));
      assert.deepEqual(byDevice['items'].map((p: { id: string }) => p.id), [json(dev)['id']]);
      const none = json(await app.inject({ method: 'GET', url: '/admin/v1/policies?tcId=other', headers: AUTH }));
      assert.deepEqual(none['items'], []);

      const got = await app.inject({ method: 'GET', url: `/admin/v1/policies/${json(hw)['id']}`, headers: AUTH });
      assert.equal(got.statusCode, 200);
      assert.equal(json(got)['action'], 'remove');

      assert.equal((await app.inject({ method: 'DELETE', url: `/admin/v1/policies/${json(hw)['id']}`, headers: AUTH })).statusCode, 204);
      assert.equal((await app.inject({ method: 'GET', url: `/admin/v1/policies/${json(hw)['id']}`, headers: AUTH })).statusCode, 404);
      assert.equal((await app.inject({ method: 'DELETE', url: `/admin/v1/policies/${json(hw)['id']}`, headers: AUTH })).statusCode, 404);
      assert.equal((await store.policies.list()).length, 2);

      const audit = (await store.audit.list({ action: 'admin.policy.set' })).entries;
      assert.equal(audit.length, 4);
      assert.ok(audit.every((e) => e.decision === 'allow'));
      assert.equal((audit[3]!.detail as Record<string, unknown>)['policyAction'], 'optional');
      assert.equal((audit[2]!.detail as Record<string, unknown>)['previousAction'], 'optional');
      await app.close();
    });

    test('refusals: unknown TC or device is 404, incomplete or mixed scopes and bad actions are 400, nothing stored', async () => {
      const store = await backend.open();
      const app = adminApp(store, pki.trust);
      const tc = json(await upload(app, await buildTc(pki.signer, { name: 'policy-ta' })))['id'];
      const post = (payload: object) => app.inject({ method: 'POST', url: '/admin/v1/policies', headers: AUTH, payload });

      const cases: [object, number, string][] = [
        [{ tcId: 'nope', action: 'required', scope: { kind: 'all' } }, 404, 'ERR_STORE_NOT_FOUND'],
        [{ tcId: tc, action: 'required', scope: { kind: 'device', deviceId: 'no-such-device' } }, 404, 'ERR_STORE_NOT_FOUND'],
        [{ tcId: tc, action: 'required', scope: { kind: 'device' } }, 400, 'ERR_ADMIN_INVALID_ARGUMENT'],
        [{ tcId: tc, action: 'required', scope: { kind: 'hwmodel' } }, 400, 'ERR_ADMIN_INVALID_ARGUMENT'],
        [{ tcId: tc, action: 'required', scope: { kind: 'all', hwmodel: 'aa' } }, 400, 'ERR_ADMIN_INVALID_ARGUMENT'],
        [{ tcId: tc, action: 'required', scope: { kind: 'hwmodel', hwmodel: 'xyz' } }, 400, 'ERR_HTTP_BAD_REQUEST'],
        [{ tcId: tc, action: 'always', scope: { kind: 'all' } }, 400, 'ERR_HTTP_BAD_REQUEST'],
        [{ tcId: tc, scope: { kind: 'all' } }, 400, 'ERR_HTTP_BAD_REQUEST'],
      ];
      for (const [payload, status, code] of cases) {
        const res = await post(payload);
        assert.equal(res.statusCode, status, JSON.stringify(payload));
        assert.equal(json(res)['code'], code, JSON.stringify(payload));
      }
      assert.equal((await app.inject({ method: 'GET', url: '/admin/v1/policies?deviceId=x', headers: AUTH })).statusCode, 400);
      assert.deepEqual(await store.policies.list(), []);
      const denied = (await store.audit.list({ action: 'admin.policy.set', decision: 'deny' })).entries;
      assert.deepEqual(denied.map((e) => e.code).reverse(), cases.map((c) => c[2]));
      await app.close();
    });
  });
}
