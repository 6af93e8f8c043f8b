// Store conformance, audit log: run against every backend.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fakeClock, testBackends } from './test-support/backends.js';

const BACKENDS = await testBackends();
after(async () => {
  for (const b of BACKENDS) await b.dispose();
});

for (const backend of BACKENDS) {
  describe(`store audit log (${backend.name})`, { skip: backend.skip }, () => {
    test('append returns the stored entry', async () => {
      const clock = fakeClock();
      const store = await backend.open({ clock: clock.now });
      const e = await store.audit.append({
        deviceId: 'd1',
        actor: 'tam',
        action: 'teep.query-response',
        decision: 'deny',
        code: 'ERR_BAD_CERTIFICATE',
        detail: { reason: 'unknown CA', chain: ['CN=a', 'CN=b'], n: 2, ok: false, none: null },
      });
      assert.match(e.id, /^[0-9]+$/);
      assert.equal(e.at, clock.now());
      assert.deepEqual(e.detail, { reason: 'unknown CA', chain: ['CN=a', 'CN=b'], n: 2, ok: false, none: null });
      const minimal = await store.audit.append({ actor: 'admin', action: 'tc.add', decision: 'allow', at: 5 });
      assert.equal(minimal.deviceId, null);
      assert.equal(minimal.code, null);
      assert.equal(minimal.detail, null);
      assert.equal(minimal.at, 5);
      assert.ok(BigInt(minimal.id) > BigInt(e.id));
      await assert.rejects(store.audit.append({ actor: 'a', action: 'b', decision: 'maybe' as never }), { code: 'ERR_STORE_INVALID_ARGUMENT' });
    });

    test('list pages newest first with a stable cursor', async () => {
      const store = await backend.open();
      for (let i = 0; i < 7; i++) await store.audit.append({ actor: 'tam', action: `a${i}`, decision: 'info' });
      const p1 = await store.audit.list({ limit: 3 });
      assert.deepEqual(p1.entries.map((e) => e.action), ['a6', 'a5', 'a4']);
      assert.ok(p1.next);
      await store.audit.append({ actor: 'tam', action: 'late', decision: 'info' });
      const p2 = await store.audit.list({ limit: 3, before: p1.next });
      assert.deepEqual(p2.entries.map((e) => e.action), ['a3', 'a2', 'a1']);
      const p3 = await store.audit.list({ limit: 3, before: p2.next! });
      assert.deepEqual(p3.entries.map((e) => e.action), ['a0']);
      assert.equal(p3.next, null);
      const exact = await store.audit.list({ limit: 8 });
      assert.equal(exact.entries.length, 8);
      assert.equal(exact.next, null);
      assert.equal((await store.audit.list()).entries.length, 8);
    });

    test('list filters by device, action and decision', async () => {
      const store = await backend.open();
      await store.audit.append({ deviceId: 'd1', actor: 'tam', action: 'install', decision: 'allow' });
      await store.audit.append({ deviceId: 'd2', actor: 'tam', action: 'install', decision: 'deny', code: 'ERR_X' });
      await store.audit.append({ deviceId: 'd1', actor: 'tam', action: 'remove', decision: 'deny' });
      assert.deepEqual((await store.audit.list({ deviceId: 'd1' })).entries.map((e) => e.action), ['remove', 'install']);
      assert.deepEqual((await store.audit.list({ action: 'install' })).entries.map((e) => e.deviceId), ['d2', 'd1']);
      assert.deepEqual((await store.audit.list({ decision: 'deny', deviceId: 'd2' })).entries.map((e) => e.code), ['ERR_X']);
      const paged = await store.audit.list({ decision: 'deny', limit: 1 });
      assert.deepEqual((await store.audit.list({ decision: 'deny', limit: 1, before: paged.next! })).entries.map((e) => e.deviceId), ['d2']);
    });

    test('a bad cursor or limit is INVALID_ARGUMENT', async () => {
      const store = await backend.open();
      for (const before of ['', 'abc', '0', '-1', '1e3', '99999999999999999999']) {
        await assert.rejects(store.audit.list({ before }), { code: 'ERR_STORE_INVALID_ARGUMENT' }, before);
      }
      await assert.rejects(store.audit.list({ limit: 0 }), { code: 'ERR_STORE_INVALID_ARGUMENT' });
    });
  });
}
