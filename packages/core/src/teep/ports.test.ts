import { test } from 'node:test';
import assert from 'node:assert/strict';
import { webCryptoProvider } from '../cose/webcrypto-provider.js';
import { publicCoseKey } from '../cose/key.js';
import { decodeHeaders } from '../cose/headers.js';
import { encodeCbor } from '../wire/cbor.js';
import { coseKeyThumbprint } from '../cose/thumbprint.js';
import { MemoryTokenStore } from './token-store.js';
import { createPeerTrust } from './peer-trust.js';
import { shortText } from './session-util.js';

const headers = (unprotected: Map<number, unknown>) => decodeHeaders(encodeCbor(new Map()), unprotected as never);

test('MemoryTokenStore: single use, expiry, per session', () => {
  const s = new MemoryTokenStore();
  s.issue({ value: 'aa', kind: 'token', sessionId: 's1', expiresAt: 100 });
  s.issue({ value: 'bb', kind: 'challenge', sessionId: 's1', expiresAt: 100 });
  assert.equal(s.consume('aa', 50, 's2').status, 'unknown', 'another session cannot consume it');
  assert.equal(s.consume('aa', 50, 's1').status, 'ok');
  assert.equal(s.consume('aa', 60, 's1').status, 'used');
  assert.equal(s.consume('bb', 101, 's1').status, 'expired');
  assert.equal(s.consume('bb', 50, 's1').status, 'used', 'an expired value cannot be revived');
  assert.equal(s.consume('cc', 50, 's1').status, 'unknown');
  assert.equal(s.purge(101), 2);
  assert.equal(s.size, 0);
});

test('createPeerTrust: raw keys by RFC 9679 kid; an x5chain goes to the chain validator', async () => {
  const a = await webCryptoProvider.generateKeyPair('P-256');
  const b = await webCryptoProvider.generateKeyPair('Ed25519');
  const kidA = await coseKeyThumbprint(a);
  const seen: Uint8Array[][] = [];
  const trust = createPeerTrust({
    keys: [a],
    validateChain: (chain) => {
      seen.push([...chain]);
      return publicCoseKey(b);
    },
  });
  assert.deepEqual(await trust.resolve(headers(new Map([[4, kidA]]))), publicCoseKey(a));
  assert.equal(await trust.resolve(headers(new Map([[4, new Uint8Array(32)]]))), undefined);
  assert.equal(await trust.resolve(headers(new Map())), undefined);
  const cert = new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]);
  assert.deepEqual(await trust.resolve(headers(new Map([[33, cert]]))), publicCoseKey(b));
  assert.deepEqual(seen, [[cert]]);
  // Without a validator an x5chain is ignored and the kid decides.
  const rawOnly = createPeerTrust({ keys: [a] });
  assert.equal(await rawOnly.resolve(headers(new Map<number, unknown>([[33, cert]]))), undefined);
});

test('shortText keeps err-msg within 128 bytes at a character boundary', () => {
  assert.equal(shortText(''), '-');
  const long = 'é'.repeat(100);
  const cut = shortText(long);
  assert.ok(new TextEncoder().encode(cut).length <= 128);
  assert.equal(cut, 'é'.repeat(64));
});
