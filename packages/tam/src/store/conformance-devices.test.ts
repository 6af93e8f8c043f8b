// Store conformance, devices: run against every backend of test-support/backends.ts.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fakeClock, testBackends, utf8 } from './test-support/backends.js';

const BACKENDS = await testBackends();
after(async () => {
  for (const b of BACKENDS) await b.dispose();
});

for (const backend of BACKENDS) {
  describe(`store devices (${backend.name})`, { skip: backend.skip }, () => {
    test('create stores the identity; get and the finders return it', async () => {
      const clock = fakeClock();
      const store = await backend.open({ clock: clock.now });
      const created = await store.devices.create({
        id: 'dev-1',
        subject: 'CN=device 1',
        certThumbprint: new Uint8Array([1, 2, 3, 0, 255]),
        ueid: utf8('ueid-1'),
        hwmodel: utf8('model-a'),
        hwversion: '1.2',
      });
      assert.equal(created.id, 'dev-1');
      assert.equal(created.subject, 'CN=device 1');
      assert.deepEqual(created.certThumbprint, new Uint8Array([1, 2, 3, 0, 255]));
      assert.ok(created.certThumbprint instanceof Uint8Array && !Buffer.isBuffer(created.certThumbprint));
      assert.equal(created.blocked, false);
      assert.equal(created.decommissioned, false);
      assert.equal(created.lastSeenAt, null);
      assert.equal(created.lastAttestationResult, null);
      assert.equal(created.createdAt, clock.now());
      assert.deepEqual(await store.devices.get('dev-1'), created);
      assert.deepEqual(await store.devices.findByThumbprint(new Uint8Array([1, 2, 3, 0, 255])), created);
      assert.deepEqual(await store.devices.findByUeid(utf8('ueid-1')), created);
      assert.equal(await store.devices.get('nope'), undefined);
      assert.equal(await store.devices.findByThumbprint(new Uint8Array([1, 2, 3])), undefined);
      assert.equal(await store.devices.findByUeid(utf8('other')), undefined);
    });

    test('a generated id is a UUID; an absent identity is all null', async () => {
      const store = await backend.open();
      const d = await store.devices.create({});
      assert.match(d.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      assert.equal(d.certThumbprint, null);
      assert.equal(d.ueid, null);
      assert.equal(d.hwmodel, null);
    });

    test('duplicate id, thumbprint or UEID is ERR_STORE_CONFLICT', async () => {
      const store = await backend.open();
      await store.devices.create({ id: 'a', certThumbprint: utf8('t1'), ueid: utf8('u1') });
      await assert.rejects(store.devices.create({ id: 'a' }), { code: 'ERR_STORE_CONFLICT' });
      await assert.rejects(store.devices.create({ id: 'b', certThumbprint: utf8('t1') }), { code: 'ERR_STORE_CONFLICT' });
      await assert.rejects(store.devices.create({ id: 'c', ueid: utf8('u1') }), { code: 'ERR_STORE_CONFLICT' });
      assert.equal((await store.devices.list()).length, 1);
    });

    test('stored bytes are copies of the caller\'s arrays', async () => {
      const store = await backend.open();
      const thumb = new Uint8Array([9, 9, 9]);
      const d = await store.devices.create({ id: 'copy', certThumbprint: thumb });
      thumb[0] = 0;
      d.certThumbprint![1] = 0;
      assert.deepEqual((await store.devices.get('copy'))!.certThumbprint, new Uint8Array([9, 9, 9]));
    });

    test('updateIdentity changes only the given fields', async () => {
      const clock = fakeClock();
      const store = await backend.open({ clock: clock.now });
      await store.devices.create({ id: 'd', subject: 'CN=old', hwmodel: utf8('m1'), hwversion: '1' });
      clock.advance(1000);
      const u = await store.devices.updateIdentity('d', { subject: 'CN=new', hwversion: null });
      assert.equal(u.subject, 'CN=new');
      assert.equal(u.hwversion, null);
      assert.deepEqual(u.hwmodel, utf8('m1'));
      assert.equal(u.updatedAt, clock.now());
      assert.equal(u.createdAt, clock.now() - 1000);
      await assert.rejects(store.devices.updateIdentity('missing', { subject: 'x' }), { code: 'ERR_STORE_NOT_FOUND' });
    });

    test('attestation, sightings, blocking and decommissioning', async () => {
      const clock = fakeClock();
      const store = await backend.open({ clock: clock.now });
      await store.devices.create({ id: 'd' });
      assert.equal(await store.devices.recordAttestation('d', 'affirming', { hwmodel: 'm', claims: [1, 2] }), undefined);
      const a = (await store.devices.get('d'))!;
      assert.equal(a.lastAttestationResult, 'affirming');
      assert.deepEqual(a.lastAttestationDetail, { hwmodel: 'm', claims: [1, 2] });
      assert.equal(a.lastAttestationAt, clock.now());
      assert.equal(a.lastSeenAt, clock.now());
      assert.equal(a.updatedAt, clock.now());
      assert.equal(await store.devices.touch('d', clock.now() + 5), undefined);
      const t = (await store.devices.get('d'))!;
      assert.equal(t.lastSeenAt, clock.now() + 5);
      assert.equal(t.lastAttestationAt, clock.now());
      assert.equal((await store.devices.setBlocked('d', true)).blocked, true);
      assert.equal((await store.devices.get('d'))!.blocked, true);
      assert.equal((await store.devices.setBlocked('d', false)).blocked, false);
      const dec = await store.devices.decommission('d');
      assert.equal(dec.decommissioned, true);
      assert.equal(dec.decommissionedAt, clock.now());
      for (const op of [
        () => store.devices.recordAttestation('x', 'affirming'),
        () => store.devices.touch('x'),
        () => store.devices.setBlocked('x', true),
        () => store.devices.decommission('x'),
      ]) {
        await assert.rejects(op(), { code: 'ERR_STORE_NOT_FOUND' });
      }
    });

    test('list pages in creation order and filters', async () => {
      const clock = fakeClock();
      const store = await backend.open({ clock: clock.now });
      for (let i = 0; i < 5; i++) {
        await store.devices.create({ id: `d${i}` });
        clock.advance(1);
      }
      await store.devices.setBlocked('d1', true);
      await store.devices.decommission('d2');
      assert.deepEqual((await store.devices.list()).map((d) => d.id), ['d0', 'd1', 'd2', 'd3', 'd4']);
      assert.deepEqual((await store.devices.list({ limit: 2, offset: 1 })).map((d) => d.id), ['d1', 'd2']);
      assert.deepEqual((await store.devices.list({ blocked: true })).map((d) => d.id), ['d1']);
      assert.deepEqual((await store.devices.list({ includeDecommissioned: false })).map((d) => d.id), ['d0', 'd1', 'd3', 'd4']);
    });

    test('bad arguments are ERR_STORE_INVALID_ARGUMENT, never a driver error', async () => {
      const store = await backend.open();
      await assert.rejects(store.devices.create({ id: '' }), { code: 'ERR_STORE_INVALID_ARGUMENT' });
      await assert.rejects(store.devices.create({ certThumbprint: 'abc' as unknown as Uint8Array }), { code: 'ERR_STORE_INVALID_ARGUMENT' });
      await assert.rejects(store.devices.get(42 as unknown as string), { code: 'ERR_STORE_INVALID_ARGUMENT' });
      await assert.rejects(store.devices.list({ limit: 0 }), { code: 'ERR_STORE_INVALID_ARGUMENT' });
      await assert.rejects(store.devices.list({ limit: 1001 }), { code: 'ERR_STORE_INVALID_ARGUMENT' });
      await store.devices.create({ id: 'd' });
      await assert.rejects(store.devices.touch('d', -1), { code: 'ERR_STORE_INVALID_ARGUMENT' });
      await assert.rejects(store.devices.recordAttestation('d', 'ok', { n: 1n } as never), { code: 'ERR_STORE_INVALID_ARGUMENT' });
    });
  });
}
