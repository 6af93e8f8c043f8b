// Store conformance, sessions and single-use values: run against every backend.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { OpenedStore } from './open-store.js';
import type { SessionTokenKind } from './records.js';
import { fakeClock, testBackends, utf8 } from './test-support/backends.js';

const BACKENDS = await testBackends();
after(async () => {
  for (const b of BACKENDS) await b.dispose();
});

/** Runs `n` consumes of one value at once; returns the successes and the error codes. */
async function raceConsumes(stores: OpenedStore[], n: number, kind: SessionTokenKind, value: Uint8Array) {
  // Warm the pools first: otherwise the first consume can finish while the other connections are
  // still being opened, and the race would not overlap at all.
  for (const s of stores) await Promise.all(Array.from({ length: 10 }, () => s.sessions.get('warm-up')));
  const results = await Promise.allSettled(Array.from({ length: n }, (_, i) => stores[i % stores.length]!.sessions.consume(kind, value)));
  const wins = results.filter((r) => r.status === 'fulfilled');
  const codes = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as { code?: string }).code] : []));
  return { wins, codes };
}

for (const backend of BACKENDS) {
  describe(`store sessions (${backend.name})`, { skip: backend.skip }, () => {
    test('create with tokens, get, update, listTokens', async () => {
      const clock = fakeClock();
      const store = await backend.open({ clock: clock.now });
      const s = await store.sessions.create({ id: 's1', protocol: 'teep', state: utf8('state-0'), expiresAt: clock.now() + 60_000 }, [
        { kind: 'token', value: utf8('tok-1'), expiresAt: clock.now() + 30_000 },
        { kind: 'challenge', value: utf8('chal-1'), expiresAt: clock.now() + 30_000 },
      ]);
      assert.equal(s.deviceId, null);
      assert.equal(s.protocol, 'teep');
      assert.deepEqual(s.state, utf8('state-0'));
      assert.deepEqual(await store.sessions.get('s1'), s);
      assert.equal(await store.sessions.get('s2'), undefined);
      clock.advance(5);
      const u = await store.sessions.update('s1', { state: utf8('state-1'), deviceId: 'dev-1' });
      assert.deepEqual(u.state, utf8('state-1'));
      assert.equal(u.deviceId, 'dev-1');
      assert.equal(u.expiresAt, s.expiresAt);
      assert.equal(u.updatedAt, clock.now());
      const tokens = await store.sessions.listTokens('s1');
      assert.deepEqual(tokens.map((t) => [t.kind, new TextDecoder().decode(t.value), t.consumedAt]).sort(), [
        ['challenge', 'chal-1', null],
        ['token', 'tok-1', null],
      ]);
      await assert.rejects(store.sessions.update('none', { state: utf8('x') }), { code: 'ERR_STORE_NOT_FOUND' });
      await assert.rejects(store.sessions.create({ protocol: 'http' as never, state: utf8(''), expiresAt: 1 }), { code: 'ERR_STORE_INVALID_ARGUMENT' });
    });

    test('a value is unique per kind across sessions; a failed create leaves no session', async () => {
      const store = await backend.open();
      await store.sessions.create({ id: 'a', protocol: 'teep', state: utf8(''), expiresAt: Date.now() + 1e6 }, [
        { kind: 'token', value: utf8('same'), expiresAt: Date.now() + 1e6 },
      ]);
      await assert.rejects(
        store.sessions.create({ id: 'b', protocol: 'teep', state: utf8(''), expiresAt: Date.now() + 1e6 }, [
          { kind: 'token', value: utf8('same'), expiresAt: Date.now() + 1e6 },
        ]),
        { code: 'ERR_STORE_CONFLICT' },
      );
      assert.equal(await store.sessions.get('b'), undefined);
      await assert.rejects(store.sessions.addToken('a', { kind: 'token', value: utf8('same'), expiresAt: Date.now() + 1e6 }), { code: 'ERR_STORE_CONFLICT' });
      const other = await store.sessions.addToken('a', { kind: 'challenge', value: utf8('same'), expiresAt: Date.now() + 1e6 });
      assert.equal(other.kind, 'challenge');
      await assert.rejects(store.sessions.addToken('nope', { kind: 'rid', value: utf8('r'), expiresAt: 1 }), { code: 'ERR_STORE_NOT_FOUND' });
    });

    test('consume succeeds once, then ERR_STORE_TOKEN_USED; unknown is NOT_FOUND', async () => {
      const clock = fakeClock();
      const store = await backend.open({ clock: clock.now });
      await store.sessions.create({ id: 's', protocol: 'otrp', deviceId: 'd', state: utf8('st'), expiresAt: clock.now() + 1000 }, [
        { kind: 'tid', value: utf8('t-1'), expiresAt: clock.now() + 1000 },
      ]);
      clock.advance(10);
      const used = await store.sessions.consume('tid', utf8('t-1'));
      assert.equal(used.session.id, 's');
      assert.equal(used.session.deviceId, 'd');
      assert.deepEqual(used.session.state, utf8('st'));
      assert.equal(used.token.consumedAt, clock.now());
      await assert.rejects(store.sessions.consume('tid', utf8('t-1')), { code: 'ERR_STORE_TOKEN_USED' });
      await assert.rejects(store.sessions.consume('rid', utf8('t-1')), { code: 'ERR_STORE_NOT_FOUND' });
      await assert.rejects(store.sessions.consume('tid', utf8('t-2')), { code: 'ERR_STORE_NOT_FOUND' });
      assert.equal((await store.sessions.listTokens('s'))[0]!.consumedAt, clock.now());
    });

    test('consume fails once the value has expired, and leaves it unused', async () => {
      const clock = fakeClock();
      const store = await backend.open({ clock: clock.now });
      const expiresAt = clock.now() + 1000;
      await store.sessions.create({ id: 's', protocol: 'teep', state: utf8(''), expiresAt }, [
        { kind: 'token', value: utf8('late'), expiresAt },
        { kind: 'challenge', value: utf8('edge'), expiresAt },
      ]);
      clock.advance(999);
      assert.equal((await store.sessions.consume('challenge', utf8('edge'))).token.kind, 'challenge');
      clock.advance(1);
      await assert.rejects(store.sessions.consume('token', utf8('late')), { code: 'ERR_STORE_TOKEN_EXPIRED' });
      const late = (await store.sessions.listTokens('s')).find((t) => t.kind === 'token')!;
      assert.equal(late.consumedAt, null);
    });

    test('consumeInSession uses only the named session’s value of the named kinds', async () => {
      const clock = fakeClock();
      const store = await backend.open({ clock: clock.now });
      const expiresAt = clock.now() + 1000;
      await store.sessions.create({ id: 'own', protocol: 'teep', state: utf8(''), expiresAt }, [
        { kind: 'token', value: utf8('t-own'), expiresAt },
        { kind: 'challenge', value: utf8('c-own'), expiresAt },
        { kind: 'nonce', value: utf8('n-own'), expiresAt },
      ]);
      await store.sessions.create({ id: 'other', protocol: 'teep', state: utf8(''), expiresAt }, [{ kind: 'challenge', value: utf8('c-other'), expiresAt }]);
      const kinds = ['token', 'challenge'] as const;
      const used = await store.sessions.consumeInSession('own', kinds, utf8('c-own'));
      assert.deepEqual([used.kind, used.sessionId, used.consumedAt], ['challenge', 'own', clock.now()]);
      await assert.rejects(store.sessions.consumeInSession('own', kinds, utf8('c-own')), { code: 'ERR_STORE_TOKEN_USED' });
      // Another session's value, or a kind not named, is not found and stays unused.
      await assert.rejects(store.sessions.consumeInSession('own', kinds, utf8('c-other')), { code: 'ERR_STORE_NOT_FOUND' });
      await assert.rejects(store.sessions.consumeInSession('own', kinds, utf8('n-own')), { code: 'ERR_STORE_NOT_FOUND' });
      assert.equal((await store.sessions.listTokens('other'))[0]!.consumedAt, null);
      assert.equal((await store.sessions.listTokens('own')).find((t) => t.kind === 'nonce')!.consumedAt, null);
      assert.equal((await store.sessions.consumeInSession('own', ['nonce'], utf8('n-own'))).kind, 'nonce');
      clock.advance(1000);
      await assert.rejects(store.sessions.consumeInSession('own', kinds, utf8('t-own')), { code: 'ERR_STORE_TOKEN_EXPIRED' });
      await assert.rejects(store.sessions.consumeInSession('own', [], utf8('t-own')), { code: 'ERR_STORE_INVALID_ARGUMENT' });
      await assert.rejects(store.sessions.consumeInSession('own', ['bogus' as SessionTokenKind], utf8('t-own')), { code: 'ERR_STORE_INVALID_ARGUMENT' });
    });

    test('20 parallel consumes of one value: exactly one wins', async () => {
      const store = await backend.open();
      const value = crypto.getRandomValues(new Uint8Array(16));
      await store.sessions.create({ protocol: 'teep', state: utf8(''), expiresAt: Date.now() + 60_000 }, [{ kind: 'token', value, expiresAt: Date.now() + 60_000 }]);
      const { wins, codes } = await raceConsumes([store], 20, 'token', value);
      assert.equal(wins.length, 1);
      assert.deepEqual(codes, Array(19).fill('ERR_STORE_TOKEN_USED'));
    });

    test('delete removes the session and its tokens; purgeExpired removes only expired ones', async () => {
      const clock = fakeClock();
      const store = await backend.open({ clock: clock.now });
      const t0 = clock.now();
      await store.sessions.create({ id: 'old', protocol: 'teep', state: utf8(''), expiresAt: t0 + 10 }, [{ kind: 'token', value: utf8('o'), expiresAt: t0 + 10 }]);
      await store.sessions.create({ id: 'new', protocol: 'teep', state: utf8(''), expiresAt: t0 + 1000 });
      await store.sessions.create({ id: 'gone', protocol: 'teep', state: utf8(''), expiresAt: t0 + 1000 }, [{ kind: 'nonce', value: utf8('g'), expiresAt: t0 + 1000 }]);
      await store.sessions.delete('gone');
      assert.equal(await store.sessions.get('gone'), undefined);
      await assert.rejects(store.sessions.consume('nonce', utf8('g')), { code: 'ERR_STORE_NOT_FOUND' });
      await assert.rejects(store.sessions.delete('gone'), { code: 'ERR_STORE_NOT_FOUND' });
      clock.advance(11);
      assert.equal(await store.sessions.purgeExpired(), 1);
      assert.equal(await store.sessions.get('old'), undefined);
      assert.ok(await store.sessions.get('new'));
      await assert.rejects(store.sessions.consume('token', utf8('o')), { code: 'ERR_STORE_NOT_FOUND' });
    });
  });
}

// Several TAM nodes share one PostgreSQL database (DESIGN.md "Storage"); SQLite is one process's store.
for (const backend of BACKENDS.filter((b) => b.name === 'postgres')) {
  describe(`store sessions across two nodes (${backend.name})`, { skip: backend.skip }, () => {
    test('20 consumes spread over two stores: exactly one wins', async () => {
      const a = await backend.open({ persistent: true });
      const b = await backend.open({ persistent: true });
      const value = crypto.getRandomValues(new Uint8Array(16));
      await a.sessions.create({ protocol: 'teep', state: utf8(''), expiresAt: Date.now() + 60_000 }, [{ kind: 'challenge', value, expiresAt: Date.now() + 60_000 }]);
      const { wins, codes } = await raceConsumes([a, b], 20, 'challenge', value);
      assert.equal(wins.length, 1);
      assert.deepEqual(codes, Array(19).fill('ERR_STORE_TOKEN_USED'));
    });
  });
}
