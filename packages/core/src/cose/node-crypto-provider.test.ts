/** The node:crypto provider's symmetric operations give WebCrypto's answers (and refusals). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nodeCrypto from 'node:crypto';
import { getAlgorithm } from './algorithms.js';
import { decodeCoseKey, encodeCoseKey, publicCoseKey } from './key.js';
import { createNodeCryptoProvider } from './node-crypto-provider.js';
import { webCryptoProvider as web } from './webcrypto-provider.js';

const node = createNodeCryptoProvider(nodeCrypto);
const rnd = (n: number) => new Uint8Array(nodeCrypto.randomBytes(n));
/** A plain Uint8Array, not a Buffer (deepEqual against other providers' results must hold). */
const isPlain = (b: Uint8Array) => Object.getPrototypeOf(b) === Uint8Array.prototype;

test('digest and HKDF equal WebCrypto', async () => {
  for (const hash of ['SHA-256', 'SHA-384', 'SHA-512'] as const) {
    for (const len of [0, 1, 64, 1000]) {
      const data = rnd(len);
      const d = await node.digest(hash, data);
      assert.ok(isPlain(d));
      assert.deepEqual(d, await web.digest(hash, data));
    }
    for (const [infoLen, outLen] of [[0, 16], [40, 32], [1024, 16]] as const) {
      const args = [rnd(32), rnd(infoLen % 7), rnd(infoLen), outLen] as const;
      const k = await node.hkdf(hash, ...args);
      assert.ok(isPlain(k));
      assert.deepEqual(k, await web.hkdf(hash, ...args));
    }
    // Longer info goes to the fallback, which refuses it on Node 20 (as node:crypto would).
    const long = [rnd(32), rnd(8), rnd(1500), 16] as const;
    const viaWeb = await web.hkdf(hash, ...long).then((k) => k, () => 'refused');
    assert.deepEqual(await node.hkdf(hash, ...long).then((k) => k, () => 'refused'), viaWeb);
  }
});

test('AES key wrap: same bytes as WebCrypto for 128/192/256-bit KEKs, and a tampered wrap is refused', async () => {
  for (const kekLen of [16, 24, 32]) {
    const kek = rnd(kekLen);
    const cek = rnd(16);
    const wrapped = await node.wrapKey(kek, cek);
    assert.ok(isPlain(wrapped));
    assert.deepEqual(wrapped, await web.wrapKey(kek, cek));
    assert.deepEqual(await node.unwrapKey(kek, wrapped), cek);
    const bad = wrapped.slice();
    bad[3]! ^= 1;
    await assert.rejects(node.unwrapKey(kek, bad));
    await assert.rejects(web.unwrapKey(kek, bad));
  }
});

test('AES-GCM: same ciphertext as WebCrypto, cross decryption, tampering and short input refused', async () => {
  for (const id of [1, 3]) {
    const alg = getAlgorithm(id, 'content');
    const key = rnd(alg.keyLength);
    const iv = rnd(alg.ivLength);
    const aad = rnd(20);
    for (const len of [0, 5, 100]) {
      const pt = rnd(len);
      const ct = await node.encrypt(alg, key, iv, pt, aad);
      assert.ok(isPlain(ct));
      assert.deepEqual(ct, await web.encrypt(alg, key, iv, pt, aad));
      assert.deepEqual(await node.decrypt(alg, key, iv, ct, aad), pt);
      const bad = ct.slice();
      bad[bad.length - 1]! ^= 1;
      await assert.rejects(node.decrypt(alg, key, iv, bad, aad));
      await assert.rejects(node.decrypt(alg, key, iv, ct, rnd(20)));
    }
    await assert.rejects(node.decrypt(alg, key, iv, rnd(10), aad));
  }
});

test('public keys rebuilt from the wire are imported once; another key still fails to verify', async () => {
  let imports = 0;
  const counting = createNodeCryptoProvider({
    ...nodeCrypto,
    createPublicKey: (k: Parameters<typeof nodeCrypto.createPublicKey>[0]) => {
      imports++;
      return nodeCrypto.createPublicKey(k);
    },
  } as unknown as typeof nodeCrypto);
  const alg = getAlgorithm(-9, 'sign');
  const key = await counting.generateKeyPair('P-256');
  const other = await counting.generateKeyPair('P-256');
  const data = rnd(50);
  const sig = await counting.sign(alg, key, data);
  for (let i = 0; i < 3; i++) {
    assert.equal(await counting.verify(alg, decodeCoseKey(encodeCoseKey(publicCoseKey(key))), data, sig), true);
    assert.equal(await counting.verify(alg, decodeCoseKey(encodeCoseKey(publicCoseKey(other))), data, sig), false);
  }
  assert.equal(imports, 2);
});

test('a generated key pair is used without a JWK import; an equal key rebuilt from its bytes is imported and agrees', async () => {
  let imports = 0;
  const counting = createNodeCryptoProvider({
    ...nodeCrypto,
    createPrivateKey: (k: Parameters<typeof nodeCrypto.createPrivateKey>[0]) => {
      imports++;
      return nodeCrypto.createPrivateKey(k);
    },
  } as unknown as typeof nodeCrypto);
  const peer = await node.generateKeyPair('X25519');
  for (const crv of ['X25519', 'P-256'] as const) {
    const eph = await counting.generateKeyPair(crv);
    const other = crv === 'X25519' ? peer : await node.generateKeyPair('P-256');
    const secret = await counting.ecdh(eph, publicCoseKey(other));
    assert.equal(imports, 0);
    // The same private key as a new object (e.g. read back from storage): imported once, same secret.
    const copy = decodeCoseKey(encodeCoseKey(eph));
    assert.deepEqual(await counting.ecdh(copy, publicCoseKey(other)), secret);
    assert.deepEqual(await node.ecdh(other, publicCoseKey(eph)), secret);
    assert.equal(imports, 1);
    imports = 0;
  }
  const alg = getAlgorithm(-9, 'sign');
  const signer = await counting.generateKeyPair('P-256');
  const data = rnd(40);
  assert.equal(await node.verify(alg, publicCoseKey(signer), data, await counting.sign(alg, signer, data)), true);
  assert.equal(imports, 0);
});

test('random bytes: from the module CSPRNG, small requests pooled, never handed out twice', () => {
  let fills = 0;
  let filled = 0;
  const p = createNodeCryptoProvider({
    ...nodeCrypto,
    randomFillSync: (b: Uint8Array) => {
      fills++;
      filled += b.length;
      return nodeCrypto.randomFillSync(b);
    },
  } as unknown as typeof nodeCrypto);
  const seen = new Set<string>();
  let total = 0;
  for (let i = 0; i < 600; i++) {
    const n = [12, 16, 32][i % 3]!;
    const r = p.randomBytes(n);
    assert.equal(r.length, n);
    assert.ok(isPlain(r));
    assert.equal(r.byteOffset, 0);
    assert.equal(r.buffer.byteLength, n);
    const hex = Buffer.from(r).toString('hex');
    assert.ok(!seen.has(hex), 'a value came out twice');
    seen.add(hex);
    total += n;
  }
  // 12000 pooled bytes: a few 4 KiB draws, not one call per request.
  assert.ok(fills >= Math.ceil(total / 4096) && fills <= Math.ceil(total / 4096) + 3, `${fills} fills`);
  const big = p.randomBytes(1000);
  assert.equal(big.length, 1000);
  assert.equal(filled >= total + 1000, true);
  assert.equal(p.randomBytes(0).length, 0);
});
