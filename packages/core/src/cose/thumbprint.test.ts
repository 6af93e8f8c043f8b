/** The RFC 9679 thumbprint memo: same answers as hashing thumbprintInput, and never stale. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CoseCurve } from './algorithms.js';
import type { CryptoProvider } from './crypto-provider.js';
import { webCryptoProvider } from './webcrypto-provider.js';
import { decodeCoseKey, encodeCoseKey, publicCoseKey, type CoseKey } from './key.js';
import { coseKeyThumbprint, thumbprintInput } from './thumbprint.js';

/** webCryptoProvider, counting digest calls. */
function countingDigests(): CryptoProvider & { digests: number } {
  const p = { ...webCryptoProvider, digests: 0 } as CryptoProvider & { digests: number };
  p.digest = async (hash, data) => {
    p.digests++;
    return webCryptoProvider.digest(hash, data);
  };
  return p;
}

const CURVES: CoseCurve[] = ['P-256', 'P-384', 'Ed25519', 'X25519'];

for (const crv of CURVES) {
  test(`${crv}: memoized thumbprints equal the hash of thumbprintInput, per object and for rebuilt keys`, async () => {
    const key = await webCryptoProvider.generateKeyPair(crv);
    const p = countingDigests();
    for (const hash of ['SHA-256', 'SHA-512'] as const) {
      const expected = await webCryptoProvider.digest(hash, thumbprintInput(key));
      const first = await coseKeyThumbprint(key, hash, p);
      assert.deepEqual(first, expected);
      const before = p.digests;
      // The same object, its public part, and a copy decoded from the wire: no new digest.
      assert.deepEqual(await coseKeyThumbprint(key, hash, p), expected);
      assert.deepEqual(await coseKeyThumbprint(publicCoseKey(key), hash, p), expected);
      assert.deepEqual(await coseKeyThumbprint(decodeCoseKey(encodeCoseKey(publicCoseKey(key))), hash, p), expected);
      assert.equal(p.digests, before);
    }
  });
}

test('a returned thumbprint is a fresh array: changing it does not change the next answer', async () => {
  const key = await webCryptoProvider.generateKeyPair('P-256');
  const a = await coseKeyThumbprint(key);
  const kept = a.slice();
  a.fill(0);
  assert.deepEqual(await coseKeyThumbprint(key), kept);
});

test('a key whose public members change in place gets the thumbprint of its new members', async () => {
  const key = await webCryptoProvider.generateKeyPair('Ed25519');
  const other = await webCryptoProvider.generateKeyPair('Ed25519');
  const before = await coseKeyThumbprint(key);
  key.x!.set(other.x!);
  const after = await coseKeyThumbprint(key);
  assert.notDeepEqual(after, before);
  assert.deepEqual(after, await webCryptoProvider.digest('SHA-256', thumbprintInput(other)));
  // Swapping the member for another array is seen the same way.
  const swapped = { ...other } as { -readonly [K in keyof CoseKey]: CoseKey[K] };
  await coseKeyThumbprint(swapped);
  swapped.x = (await webCryptoProvider.generateKeyPair('Ed25519')).x!;
  assert.deepEqual(await coseKeyThumbprint(swapped), await webCryptoProvider.digest('SHA-256', thumbprintInput(swapped)));
});

test('symmetric keys are hashed every time (no secret is memoized), and invalid keys still fail', async () => {
  const key: CoseKey = { kty: 'Symmetric', k: new Uint8Array(32).fill(7) };
  const p = countingDigests();
  const a = await coseKeyThumbprint(key, 'SHA-256', p);
  const b = await coseKeyThumbprint(key, 'SHA-256', p);
  assert.deepEqual(a, b);
  assert.equal(p.digests, 2);
  // A memoized key object that became invalid is refused like any invalid key.
  const ec = (await webCryptoProvider.generateKeyPair('P-256')) as { -readonly [K in keyof CoseKey]: CoseKey[K] };
  await coseKeyThumbprint(ec);
  ec.d = new Uint8Array(3);
  await assert.rejects(coseKeyThumbprint(ec), { code: 'ERR_COSE_KEY_INVALID' });
});
