/** The Agent's per-message reuse (one public key object per key) and what both parties' configuration refuses. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { publicCoseKey } from '../cose/key.js';
import { webCryptoProvider } from '../cose/webcrypto-provider.js';
import { publicKeyOf } from './agent-config.js';
import { resolvePartyConfig } from './party-config.js';

test('publicKeyOf: one public object per private key object, a public key as it is, a changed key again', async () => {
  const k = await webCryptoProvider.generateKeyPair('P-256');
  const p = publicKeyOf(k);
  assert.deepEqual(p, publicCoseKey(k));
  assert.equal(p.d, undefined);
  assert.equal(publicKeyOf(k), p);
  assert.equal(publicKeyOf(p), p);
  const other = await webCryptoProvider.generateKeyPair('P-256');
  const mutable = { ...k } as { x?: Uint8Array; y?: Uint8Array };
  const before = publicKeyOf(mutable as typeof k);
  mutable.x = other.x;
  mutable.y = other.y;
  const after = publicKeyOf(mutable as typeof k);
  assert.notEqual(after, before);
  assert.deepEqual(after.x, other.x);
  assert.throws(() => publicKeyOf({ kty: 'Symmetric', k: new Uint8Array(16) }), { code: 'ERR_COSE_KEY_INVALID' });
});

test('configuration: only the nonce freshness mechanism is implemented; timestamp (1) or an empty list is refused', async () => {
  const keys = [await webCryptoProvider.generateKeyPair('P-256')];
  assert.deepEqual(resolvePartyConfig({ keys }).allFreshness, [0]);
  assert.deepEqual(resolvePartyConfig({ keys, freshnessMechanisms: [0] }).allFreshness, [0]);
  for (const freshnessMechanisms of [[1], [0, 1], []]) {
    assert.throws(() => resolvePartyConfig({ keys, freshnessMechanisms }), { code: 'ERR_INVALID_ARGUMENT' }, JSON.stringify(freshnessMechanisms));
  }
});
