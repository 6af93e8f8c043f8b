import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COSE_ALGORITHMS, createNodeCryptoProvider } from '@otrp/core';
import type { SignAlgorithm } from '@otrp/core';
import * as nodeCrypto from 'node:crypto';
import { createCryptoCounter } from './crypto-counts.js';

test('createCryptoCounter counts provider and WebCrypto public-key operations, not symmetric ones', async () => {
  const counter = createCryptoCounter(createNodeCryptoProvider(nodeCrypto));
  const subtle = globalThis.crypto.subtle;
  const ec = await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
  const data = new Uint8Array([1, 2, 3]);
  const sig = await subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, ec.privateKey, data);
  assert.equal(await subtle.verify({ name: 'ECDSA', hash: { name: 'SHA-256' } }, ec.publicKey, sig, data), true);
  const a = await subtle.generateKey({ name: 'X25519' }, false, ['deriveBits']) as CryptoKeyPair;
  const b = await subtle.generateKey({ name: 'X25519' }, false, ['deriveBits']) as CryptoKeyPair;
  await subtle.deriveBits({ name: 'X25519', public: b.publicKey }, a.privateKey, 256);
  const mac = await subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  await subtle.sign('HMAC', mac, data);
  await subtle.digest('SHA-256', data);

  const key = await counter.provider.generateKeyPair('P-256');
  const esp256 = COSE_ALGORITHMS.find((x) => x.name === 'ESP256') as SignAlgorithm;
  await counter.provider.verify(esp256, key, data, await counter.provider.sign(esp256, key, data));

  assert.deepEqual(counter.counts(), {
    'keygen P-256': 1,
    'sign ESP256': 1,
    'verify ESP256': 1,
    'subtle keygen ECDSA P-256': 1,
    'subtle sign ECDSA P-256 SHA-256': 1,
    'subtle verify ECDSA P-256 SHA-256': 1,
    'subtle keygen X25519': 2,
    'subtle ecdh X25519': 1,
  });
  // Timed: the provider's operations only (WebCrypto's are asynchronous).
  assert.deepEqual(Object.keys(counter.micros()).sort(), ['keygen P-256', 'sign ESP256', 'verify ESP256']);
  for (const us of Object.values(counter.micros())) assert.ok(us > 0);
});
