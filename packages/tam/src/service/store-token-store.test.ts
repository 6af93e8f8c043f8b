import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toHex } from '@otrp/core';
import { openStore } from '../store/open-store.js';
import { StoreTokenStore } from './store-token-store.js';

const enc = new TextEncoder();

test('consume: the pre-consumed value, then the session’s own other value once; anything else is not its own', async () => {
  let now = 1_700_000_000_000;
  const store = openStore('sqlite::memory:', { clock: () => now });
  await store.init();
  try {
    const expiresAt = now + 1000;
    const values = (s: string) => [
      { kind: 'token' as const, value: enc.encode(`${s}-token`), expiresAt },
      { kind: 'challenge' as const, value: enc.encode(`${s}-challenge`), expiresAt },
    ];
    await store.sessions.create({ id: 's1', protocol: 'teep', state: enc.encode(''), expiresAt }, values('s1'));
    await store.sessions.create({ id: 's2', protocol: 'teep', state: enc.encode(''), expiresAt }, values('s2'));
    const pre = { record: { value: toHex(enc.encode('s1-token')), kind: 'token' as const, sessionId: 's1', expiresAt } };
    const tokens = new StoreTokenStore(store, pre);
    const hex = (s: string) => toHex(enc.encode(s));

    assert.equal((await tokens.consume(pre.record.value, now, 's1')).status, 'ok');
    assert.equal((await tokens.consume(hex('s1-token'), now, 's2')).status, 'unknown', 'a session other than the pre-consumed one');
    assert.equal((await tokens.consume(hex('s2-challenge'), now, 's1')).status, 'unknown', 'another session’s value');
    assert.equal((await tokens.consume('not hex', now, 's1')).status, 'unknown');
    assert.equal((await store.sessions.listTokens('s2')).every((t) => t.consumedAt === null), true);

    const own = await tokens.consume(hex('s1-challenge'), now, 's1');
    assert.deepEqual(own, { status: 'ok', record: { value: hex('s1-challenge'), kind: 'challenge', sessionId: 's1', expiresAt } });
    assert.deepEqual(tokens.alsoConsumed.map((v) => v.kind), ['challenge']);
    assert.equal((await tokens.consume(hex('s1-challenge'), now, 's1')).status, 'used');

    now = expiresAt;
    const late = new StoreTokenStore(store, { record: { ...pre.record, value: hex('s2-token'), sessionId: 's2' } });
    assert.equal((await late.consume(hex('s2-challenge'), now, 's2')).status, 'expired');
    assert.equal(late.consumeCalled, true);
  } finally {
    await store.close();
  }
});
