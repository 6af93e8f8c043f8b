// /admin/v1/tcs reads and changes: list, get, envelope download, deprecate, delete (409 while a
// policy names the TC). Every backend.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { adminApp, adminTestSuite, AUTH, buildTc, json, upload } from './test-support/admin-fixture.js';

const { backends: BACKENDS, pki } = await adminTestSuite();

for (const backend of BACKENDS) {
  describe(`admin TCs (${backend.name})`, { skip: backend.skip }, () => {
    test('list (paged, with or without deprecated), get, and the envelope as uploaded', async () => {
      const store = await backend.open();
      const app = adminApp(store, pki.trust);
      const envelopes = [await buildTc(pki.signer, { name: 'one' }), await buildTc(pki.signer, { name: 'two' }), await buildTc(pki.signer, { name: 'three' })];
      const ids: string[] = [];
      for (const e of envelopes) ids.push(json(await upload(app, e))['id']);

      const all = await app.inject({ method: 'GET', url: '/admin/v1/tcs', headers: AUTH });
      assert.equal(all.statusCode, 200);
      assert.deepEqual(json(all)['items'].map((t: { id: string }) => t.id), [...ids].sort());
      assert.equal(json(all)['limit'], 100);
      const page = json(await app.inject({ method: 'GET', url: '/admin/v1/tcs?limit=1&offset=1', headers: AUTH }));
      assert.deepEqual(page['items'].map((t: { id: string }) => t.id), [[...ids].sort()[1]]);
      assert.equal((await app.inject({ method: 'GET', url: '/admin/v1/tcs?limit=0', headers: AUTH })).statusCode, 400);

      const one = await app.inject({ method: 'GET', url: `/admin/v1/tcs/${ids[1]}`, headers: AUTH });
      assert.equal(one.statusCode, 200);
      assert.equal(json(one)['id'], ids[1]);
      assert.equal(json(one)['manifest'], undefined, 'the manifest bytes are not in the JSON view');

      const env = await app.inject({ method: 'GET', url: `/admin/v1/tcs/${ids[1]}/envelope`, headers: AUTH });
      assert.equal(env.statusCode, 200);
      assert.equal(env.headers['content-type'], 'application/suit-envelope+cose');
      assert.deepEqual(new Uint8Array(env.rawPayload), envelopes[1]);

      const missing = await app.inject({ method: 'GET', url: '/admin/v1/tcs/no-such-tc', headers: AUTH });
      assert.equal(missing.statusCode, 404);
      assert.equal(json(missing)['code'], 'ERR_STORE_NOT_FOUND');
      assert.equal((await app.inject({ method: 'GET', url: '/admin/v1/tcs/no-such-tc/envelope', headers: AUTH })).statusCode, 404);

      const dep = await app.inject({ method: 'POST', url: `/admin/v1/tcs/${ids[0]}/deprecate`, headers: AUTH });
      assert.equal(dep.statusCode, 200);
      assert.equal(json(dep)['deprecated'], true);
      assert.equal((await store.trustedComponents.get(ids[0]!))!.deprecated, true);
      const current = json(await app.inject({ method: 'GET', url: '/admin/v1/tcs?includeDeprecated=false', headers: AUTH }));
      assert.deepEqual(current['items'].map((t: { id: string }) => t.id).sort(), [ids[1], ids[2]].sort());
      assert.equal((await app.inject({ method: 'POST', url: '/admin/v1/tcs/nope/deprecate', headers: AUTH })).statusCode, 404);
      await app.close();
    });

    test('delete: 409 while a policy names the TC, 204 after the policy is gone, then 404', async () => {
      const store = await backend.open();
      const app = adminApp(store, pki.trust);
      const id = json(await upload(app, await buildTc(pki.signer, { name: 'doomed' })))['id'];
      const policy = await app.inject({ method: 'POST', url: '/admin/v1/policies', headers: AUTH, payload: { tcId: id, action: 'required', scope: { kind: 'all' } } });
      assert.equal(policy.statusCode, 201, policy.body);

      const refused = await app.inject({ method: 'DELETE', url: `/admin/v1/tcs/${id}`, headers: AUTH });
      assert.equal(refused.statusCode, 409);
      assert.equal(json(refused)['code'], 'ERR_STORE_CONFLICT');
      assert.notEqual(await store.trustedComponents.get(id), undefined);

      assert.equal((await app.inject({ method: 'DELETE', url: `/admin/v1/policies/${json(policy)['id']}`, headers: AUTH })).statusCode, 204);
      const deleted = await app.inject({ method: 'DELETE', url: `/admin/v1/tcs/${id}`, headers: AUTH });
      assert.equal(deleted.statusCode, 204);
      assert.equal(deleted.body, '');
      assert.equal(await store.trustedComponents.get(id), undefined);
      assert.equal((await app.inject({ method: 'DELETE', url: `/admin/v1/tcs/${id}`, headers: AUTH })).statusCode, 404);

      const entries = (await store.audit.list({ action: 'admin.tc.delete' })).entries;
      assert.deepEqual(entries.map((e) => [e.decision, e.code]), [
        ['deny', 'ERR_STORE_NOT_FOUND'],
        ['allow', null],
        ['deny', 'ERR_STORE_CONFLICT'],
      ]);
      await app.close();
    });
  });
}
