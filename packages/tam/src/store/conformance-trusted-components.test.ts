// Store conformance, trusted components and policies: run against every backend.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { OpenedStore } from './open-store.js';
import type { NewTrustedComponent, TrustedComponentRecord } from './records.js';
import { fakeClock, testBackends, utf8 } from './test-support/backends.js';

const BACKENDS = await testBackends();
after(async () => {
  for (const b of BACKENDS) await b.dispose();
});

function tc(id: string, seq = 1): NewTrustedComponent {
  return {
    id,
    componentId: utf8(`component-${id}`),
    name: `TA ${id}`,
    manifest: new Uint8Array([0xd8, 0x6b, seq, 0x00]),
    signerSubject: 'CN=signer',
    signerThumbprint: new Uint8Array(32).fill(7),
    sequenceNumber: seq,
  };
}

async function deviceWithModel(store: OpenedStore, id: string, hwmodel: string | null): Promise<void> {
  await store.devices.create({ id, hwmodel: hwmodel === null ? null : utf8(hwmodel) });
}

for (const backend of BACKENDS) {
  describe(`store trusted components (${backend.name})`, { skip: backend.skip }, () => {
    test('add, get, findByComponentId, list', async () => {
      const clock = fakeClock();
      const store = await backend.open({ clock: clock.now });
      const a = await store.trustedComponents.add(tc('b-tc', 3));
      assert.equal(a.format, 'suit');
      assert.equal(a.sequenceNumber, 3);
      assert.equal(a.deprecated, false);
      assert.equal(a.createdAt, clock.now());
      assert.deepEqual(a.manifest, new Uint8Array([0xd8, 0x6b, 3, 0]));
      assert.deepEqual(a.signerThumbprint, new Uint8Array(32).fill(7));
      const b = await store.trustedComponents.add({ ...tc('a-ta'), format: 'otrp-ta', name: null });
      assert.equal(b.format, 'otrp-ta');
      assert.deepEqual(await store.trustedComponents.get('b-tc'), a);
      assert.deepEqual(await store.trustedComponents.findByComponentId(utf8('component-a-ta')), b);
      assert.equal(await store.trustedComponents.get('zzz'), undefined);
      assert.equal(await store.trustedComponents.findByComponentId(utf8('zzz')), undefined);
      assert.deepEqual((await store.trustedComponents.list()).map((t) => t.id), ['a-ta', 'b-tc']);
      assert.deepEqual((await store.trustedComponents.list({ limit: 1, offset: 1 })).map((t) => t.id), ['b-tc']);
      // The summaries are the records without their manifests, in the same order and pages.
      const strip = ({ manifest: _, ...rest }: TrustedComponentRecord) => rest;
      assert.deepEqual(await store.trustedComponents.listSummaries(), [strip(b), strip(a)]);
      assert.deepEqual(await store.trustedComponents.listSummaries({ limit: 1, offset: 1 }), [strip(a)]);
    });

    test('a sequence number beyond 2^32 round-trips', async () => {
      const store = await backend.open();
      const big = 2 ** 40 + 17;
      assert.equal((await store.trustedComponents.add(tc('big', 0))).sequenceNumber, 0);
      await store.trustedComponents.updateManifest('big', { manifest: utf8('m'), sequenceNumber: big, signerSubject: 'CN=s', signerThumbprint: utf8('t') });
      assert.equal((await store.trustedComponents.get('big'))!.sequenceNumber, big);
      await assert.rejects(store.trustedComponents.add(tc('huge', 2 ** 53)), { code: 'ERR_STORE_INVALID_ARGUMENT' });
    });

    test('duplicate id or component id is ERR_STORE_CONFLICT', async () => {
      const store = await backend.open();
      await store.trustedComponents.add(tc('x'));
      await assert.rejects(store.trustedComponents.add(tc('x')), { code: 'ERR_STORE_CONFLICT' });
      await assert.rejects(store.trustedComponents.add({ ...tc('x'), id: 'y' }), { code: 'ERR_STORE_CONFLICT' });
      await assert.rejects(store.trustedComponents.add({ ...tc('z'), format: 'exe' as never }), { code: 'ERR_STORE_INVALID_ARGUMENT' });
    });

    test('updateManifest requires a higher sequence number', async () => {
      const store = await backend.open();
      await store.trustedComponents.add(tc('u', 5));
      const next = { manifest: utf8('v6'), sequenceNumber: 6, signerSubject: 'CN=signer 2', signerThumbprint: utf8('t2') };
      const u = await store.trustedComponents.updateManifest('u', next);
      assert.equal(u.sequenceNumber, 6);
      assert.deepEqual(u.manifest, utf8('v6'));
      assert.equal(u.signerSubject, 'CN=signer 2');
      await assert.rejects(store.trustedComponents.updateManifest('u', { ...next, manifest: utf8('again') }), { code: 'ERR_STORE_CONFLICT' });
      await assert.rejects(store.trustedComponents.updateManifest('u', { ...next, sequenceNumber: 5 }), { code: 'ERR_STORE_CONFLICT' });
      assert.deepEqual((await store.trustedComponents.get('u'))!.manifest, utf8('v6'));
      await assert.rejects(store.trustedComponents.updateManifest('none', next), { code: 'ERR_STORE_NOT_FOUND' });
    });

    test('deprecate and delete', async () => {
      const store = await backend.open();
      await store.trustedComponents.add(tc('a'));
      await store.trustedComponents.add(tc('b'));
      assert.equal((await store.trustedComponents.setDeprecated('a', true)).deprecated, true);
      assert.deepEqual((await store.trustedComponents.list({ includeDeprecated: false })).map((t) => t.id), ['b']);
      assert.deepEqual((await store.trustedComponents.listSummaries({ includeDeprecated: false })).map((t) => t.id), ['b']);
      assert.equal((await store.trustedComponents.setDeprecated('a', false)).deprecated, false);
      await assert.rejects(store.trustedComponents.setDeprecated('none', true), { code: 'ERR_STORE_NOT_FOUND' });
      await store.trustedComponents.delete('a');
      assert.equal(await store.trustedComponents.get('a'), undefined);
      await assert.rejects(store.trustedComponents.delete('a'), { code: 'ERR_STORE_NOT_FOUND' });
    });

    test('listSummaries follows every change, also one made by another node or rolled back', async () => {
      const store = await backend.open({ persistent: true });
      const other = await backend.open({ persistent: true }); // a second TAM node on the same database
      const ids = async (s: OpenedStore) => (await s.trustedComponents.listSummaries()).filter((t) => t.id.startsWith('sum-')).map((t) => `${t.id}@${t.sequenceNumber}${t.deprecated ? '-' : ''}`);
      await store.trustedComponents.add(tc('sum-a'));
      assert.deepEqual(await ids(store), ['sum-a@1']);
      await store.trustedComponents.updateManifest('sum-a', { manifest: utf8('m2'), signerSubject: 'CN=s', signerThumbprint: utf8('t'), sequenceNumber: 2 });
      assert.deepEqual(await ids(store), ['sum-a@2']);
      await other.trustedComponents.add(tc('sum-b'));
      await other.trustedComponents.setDeprecated('sum-a', true);
      assert.deepEqual(await ids(store), ['sum-a@2-', 'sum-b@1']);
      await other.trustedComponents.delete('sum-b');
      assert.deepEqual(await ids(store), ['sum-a@2-']);
      // Seen inside the transaction that adds it; gone after its rollback, also for the next reader.
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.trustedComponents.add(tc('sum-c'));
          assert.deepEqual((await tx.trustedComponents.listSummaries()).filter((t) => t.id === 'sum-c').length, 1);
          throw new Error('roll back');
        }),
        /roll back/,
      );
      assert.deepEqual(await ids(store), ['sum-a@2-']);
      assert.deepEqual(await ids(other), ['sum-a@2-']);
      // A caller changing what it got does not change what the next caller gets.
      const [first] = (await store.trustedComponents.listSummaries()).filter((t) => t.id === 'sum-a');
      first!.componentId.fill(0);
      assert.deepEqual((await store.trustedComponents.listSummaries()).find((t) => t.id === 'sum-a')!.componentId, utf8('component-sum-a'));
      await store.trustedComponents.delete('sum-a');
    });

    test('a TC named by a policy cannot be deleted until the policy is', async () => {
      const store = await backend.open();
      await store.trustedComponents.add(tc('p'));
      const policy = await store.policies.set({ tcId: 'p', action: 'required', scope: { kind: 'all' } });
      await assert.rejects(store.trustedComponents.delete('p'), { code: 'ERR_STORE_CONFLICT' });
      await store.policies.delete(policy.id);
      await store.trustedComponents.delete('p');
    });
  });

  describe(`store policies (${backend.name})`, { skip: backend.skip }, () => {
    test('set creates, then replaces the action for the same scope and TC', async () => {
      const clock = fakeClock();
      const store = await backend.open({ clock: clock.now });
      await store.trustedComponents.add(tc('t'));
      const p1 = await store.policies.set({ tcId: 't', action: 'required', scope: { kind: 'hwmodel', hwmodel: utf8('m') } });
      assert.deepEqual(p1.scope, { kind: 'hwmodel', hwmodel: utf8('m') });
      clock.advance(10);
      const p2 = await store.policies.set({ tcId: 't', action: 'remove', scope: { kind: 'hwmodel', hwmodel: utf8('m') } });
      assert.equal(p2.id, p1.id);
      assert.equal(p2.action, 'remove');
      assert.equal(p2.updatedAt, clock.now());
      assert.equal(p2.createdAt, p1.createdAt);
      assert.deepEqual(await store.policies.get(p1.id), p2);
      assert.equal((await store.policies.list()).length, 1);
    });

    test('unknown TC is NOT_FOUND; bad action or scope is INVALID_ARGUMENT', async () => {
      const store = await backend.open();
      await assert.rejects(store.policies.set({ tcId: 'none', action: 'required', scope: { kind: 'all' } }), { code: 'ERR_STORE_NOT_FOUND' });
      await store.trustedComponents.add(tc('t'));
      await assert.rejects(store.policies.set({ tcId: 't', action: 'install' as never, scope: { kind: 'all' } }), { code: 'ERR_STORE_INVALID_ARGUMENT' });
      await assert.rejects(store.policies.set({ tcId: 't', action: 'required', scope: { kind: 'group' } as never }), { code: 'ERR_STORE_INVALID_ARGUMENT' });
      await assert.rejects(store.policies.set({ tcId: 't', action: 'required', scope: null as never }), { code: 'ERR_STORE_INVALID_ARGUMENT' });
      await assert.rejects(store.policies.delete('none'), { code: 'ERR_STORE_NOT_FOUND' });
      assert.equal(await store.policies.get('none'), undefined);
    });

    test('list filters by TC and by scope', async () => {
      const store = await backend.open();
      await store.trustedComponents.add(tc('a'));
      await store.trustedComponents.add(tc('b'));
      await store.policies.set({ tcId: 'a', action: 'required', scope: { kind: 'all' } });
      await store.policies.set({ tcId: 'a', action: 'remove', scope: { kind: 'device', deviceId: 'd1' } });
      await store.policies.set({ tcId: 'b', action: 'optional', scope: { kind: 'all' } });
      assert.equal((await store.policies.list()).length, 3);
      assert.deepEqual((await store.policies.list({ tcId: 'a' })).map((p) => p.scope.kind).sort(), ['all', 'device']);
      assert.deepEqual((await store.policies.list({ scope: { kind: 'all' } })).map((p) => p.tcId), ['a', 'b']);
      const dev = await store.policies.list({ scope: { kind: 'device', deviceId: 'd1' } });
      assert.deepEqual(dev.map((p) => [p.tcId, p.action]), [['a', 'remove']]);
    });

    test('resolve: device beats hwmodel beats all', async () => {
      const store = await backend.open();
      for (const id of ['t1', 't2', 't3', 't4']) await store.trustedComponents.add(tc(id));
      await deviceWithModel(store, 'd1', 'model-x');
      await deviceWithModel(store, 'd2', 'model-y');
      await deviceWithModel(store, 'd3', null);
      await store.policies.set({ tcId: 't1', action: 'required', scope: { kind: 'all' } });
      await store.policies.set({ tcId: 't1', action: 'optional', scope: { kind: 'hwmodel', hwmodel: utf8('model-x') } });
      await store.policies.set({ tcId: 't1', action: 'remove', scope: { kind: 'device', deviceId: 'd1' } });
      await store.policies.set({ tcId: 't2', action: 'required', scope: { kind: 'hwmodel', hwmodel: utf8('model-x') } });
      await store.policies.set({ tcId: 't2', action: 'optional', scope: { kind: 'all' } });
      await store.policies.set({ tcId: 't3', action: 'required', scope: { kind: 'device', deviceId: 'd2' } });
      await store.trustedComponents.setDeprecated('t2', true);

      const r1 = await store.policies.resolve('d1');
      assert.deepEqual(r1.map((r) => [r.tcId, r.action, r.scope.kind, r.deprecated]), [
        ['t1', 'remove', 'device', false],
        ['t2', 'required', 'hwmodel', true],
      ]);
      assert.deepEqual(r1[0]!.componentId, utf8('component-t1'));
      const r2 = await store.policies.resolve('d2');
      assert.deepEqual(r2.map((r) => [r.tcId, r.action, r.scope.kind]), [
        ['t1', 'required', 'all'],
        ['t2', 'optional', 'all'],
        ['t3', 'required', 'device'],
      ]);
      const r3 = await store.policies.resolve('d3');
      assert.deepEqual(r3.map((r) => [r.tcId, r.action, r.scope.kind]), [
        ['t1', 'required', 'all'],
        ['t2', 'optional', 'all'],
      ]);
      await assert.rejects(store.policies.resolve('unknown'), { code: 'ERR_STORE_NOT_FOUND' });
    });
  });
}
