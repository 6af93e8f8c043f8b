// GET /admin/v1/audit: newest first, cursor paging, filters; refusals and changes both land there.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { adminApp, adminTestSuite, AUTH, buildTc, createTestPki, json, upload } from './test-support/admin-fixture.js';

const { backends: BACKENDS, pki } = await adminTestSuite();

for (const backend of BACKENDS) {
  describe(`admin audit log (${backend.name})`, { skip: backend.skip }, () => {
    test('pages of `limit` entries, newest first, linked by `next` until null', async () => {
      const store = await backend.open();
      const app = adminApp(store, pki.trust);
      for (let i = 0; i < 7; i++) await store.audit.append({ actor: 'tam', action: `step-${i}`, decision: 'info', detail: { i } });
      const seen: string[] = [];
      let url = '/admin/v1/audit?limit=3';
      let pages = 0;
      for (;;) {
        const res = await app.inject({ method: 'GET', url, headers: AUTH });
        assert.equal(res.statusCode, 200, res.body);
        const page = json(res);
        pages++;
        seen.push(...page['entries'].map((e: { action: string }) => e.action));
        assert.ok(page['entries'].length <= 3);
        if (page['next'] === null) break;
        url = `/admin/v1/audit?limit=3&before=${page['next']}`;
      }
      assert.equal(pages, 3);
      assert.deepEqual(seen, ['step-6', 'step-5', 'step-4', 'step-3', 'step-2', 'step-1', 'step-0']);
      const first = json(await app.inject({ method: 'GET', url: '/admin/v1/audit?limit=1', headers: AUTH }))['entries'][0];
      assert.deepEqual(first['detail'], { i: 6 });
      assert.equal(first['actor'], 'tam');
      assert.equal(first['code'], null);
      assert.match(first['at'], /^\d{4}-\d\d-\d\dT.*Z$/);
      await app.close();
    });

    test('filters by action, decision and device; bad cursors and limits are 400', async () => {
      const store = await backend.open();
      const app = adminApp(store, pki.trust);
      await upload(app, await buildTc(pki.signer));
      await upload(app, await buildTc((await createTestPki()).signer, { name: 'untrusted' }));
      await store.audit.append({ actor: 'tam', action: 'query-response', decision: 'deny', deviceId: 'dev-1', code: 'ERR_TEEP_BAD_CERTIFICATE' });
      const get = async (q: string) => json(await app.inject({ method: 'GET', url: `/admin/v1/audit?${q}`, headers: AUTH }))['entries'] as Record<string, unknown>[];

      assert.deepEqual((await get('action=admin.tc.upload')).map((e) => e['decision']), ['deny', 'allow']);
      assert.deepEqual((await get('action=admin.tc.upload&decision=deny')).map((e) => e['code']), ['ERR_CHAIN_UNTRUSTED']);
      assert.deepEqual((await get('deviceId=dev-1')).map((e) => e['action']), ['query-response']);
      assert.deepEqual(await get('decision=error'), []);
      for (const q of ['before=abc', 'before=0', 'limit=0', 'limit=1001', 'decision=maybe']) {
        const res = await app.inject({ method: 'GET', url: `/admin/v1/audit?${q}`, headers: AUTH });
        assert.equal(res.statusCode, 400, q);
      }
      assert.equal((await app.inject({ method: 'GET', url: '/admin/v1/audit' })).statusCode, 401);
      await app.close();
    });
  });
}
