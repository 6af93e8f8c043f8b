/**
 * A provider whose public-key operations (sign, verify, ECDH, key generation) use node:crypto's
 * one-shot functions, which cost about 70% of WebCrypto's CPU for ECDSA on Node 20. Symmetric
 * operations are delegated to `fallback` (WebCrypto by default).
 *
 * core must not import node:*, so the module is passed in and typed structurally here (the subset
 * used, as kysely's SqliteDatabase does). Callers in tam, device and cli pass the module they import
 * themselves: `createNodeCryptoProvider(nodeCrypto)` where `nodeCrypto` is Node's crypto module.
 *
 * When the module has them (Node's does), digest, HKDF, AES key wrap and AES-GCM run through its
 * synchronous functions as well: the same algorithms, without a WebCrypto job per call (an import
 * plus a promise hop each, ~10% of the TAM's CPU per TEEP exchange). Random bytes come from its
 * randomFillSync, small requests from a pool filled 4 KiB at a time. The rest uses `fallback`.
 */
import type { CoseCurve } from './algorithms.js';
import type { CryptoProvider } from './crypto-provider.js';
import type { CoseKey } from './key.js';
import { coseKeyFromJwk, coseKeyToJwk, type Jwk } from './key-jwk.js';
import { CoseKeyMismatch } from './errors.js';
import { webCryptoProvider } from './webcrypto-provider.js';
import { toHex } from '../wire/hex.js';

/** A node:crypto KeyObject, as far as this provider looks into it. */
export interface NodeKeyObjectLike {
  export(options: { format: 'jwk' }): unknown;
}

/** The subset of `node:crypto` this provider uses (K: node's KeyObject). */
export interface NodeCryptoLike<K extends NodeKeyObjectLike = NodeKeyObjectLike> {
  createPrivateKey(key: { key: Jwk; format: 'jwk' }): K;
  createPublicKey(key: { key: Jwk; format: 'jwk' }): K;
  sign(algorithm: string | null | undefined, data: Uint8Array, key: { key: K; dsaEncoding?: 'der' | 'ieee-p1363' }): Uint8Array;
  verify(algorithm: string | null | undefined, data: Uint8Array, key: { key: K; dsaEncoding?: 'der' | 'ieee-p1363' }, signature: Uint8Array): boolean;
  diffieHellman(options: { privateKey: K; publicKey: K }): Uint8Array;
  generateKeyPairSync(type: 'ec', options: { namedCurve: string }): { privateKey: K };
  generateKeyPairSync(type: 'ed25519' | 'x25519'): { privateKey: K };
  createHash?(algorithm: string): NodeHashLike;
  hkdfSync?(digest: string, ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, keylen: number): ArrayBuffer;
  createCipheriv?(algorithm: string, key: Uint8Array, iv: Uint8Array | null): NodeCipherLike;
  createDecipheriv?(algorithm: string, key: Uint8Array, iv: Uint8Array | null): NodeDecipherLike;
  randomFillSync?(buffer: Uint8Array): Uint8Array;
}

export interface NodeHashLike {
  update(data: Uint8Array): NodeHashLike;
  digest(): Uint8Array;
}

export interface NodeCipherLike {
  update(data: Uint8Array): Uint8Array;
  final(): Uint8Array;
}

/** A cipher of the AES-GCM family as node:crypto's createCipheriv returns it. */
interface NodeGcmCipherLike extends NodeCipherLike {
  setAAD(aad: Uint8Array): unknown;
  getAuthTag(): Uint8Array;
}

export interface NodeDecipherLike {
  update(data: Uint8Array): Uint8Array;
  final(): Uint8Array;
}

interface NodeGcmDecipherLike extends NodeDecipherLike {
  setAAD(aad: Uint8Array): unknown;
  setAuthTag(tag: Uint8Array): unknown;
}

const NODE_HASH = { 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' } as const;
/** AES key wrap (RFC 3394) cipher by KEK length, and its default initial value (§2.2.3.1). */
const NODE_AES_KW: Readonly<Record<number, string>> = { 16: 'id-aes128-wrap', 24: 'id-aes192-wrap', 32: 'id-aes256-wrap' };
const NODE_AES_GCM: Readonly<Record<number, string>> = { 16: 'aes-128-gcm', 24: 'aes-192-gcm', 32: 'aes-256-gcm' };
const KW_IV = new Uint8Array([0xa6, 0xa6, 0xa6, 0xa6, 0xa6, 0xa6, 0xa6, 0xa6]);
/** Public KeyObjects kept by key material (peers' keys arrive as new objects with every message). */
const PUBLIC_KEY_CACHE_SIZE = 1024;
/** Random bytes are drawn from the CSPRNG this many at a time; requests up to RANDOM_POOLED come from the pool. */
const RANDOM_POOL_SIZE = 4096;
const RANDOM_POOLED = 64;
/** node:crypto's HKDF refuses longer info (WebCrypto does not): such calls use the fallback. */
const NODE_HKDF_MAX_INFO = 1024;

/** A plain Uint8Array copy of a Buffer (Buffers may be views of a shared pool). */
const plain = (b: Uint8Array) => new Uint8Array(b);
const joined = (a: Uint8Array, b: Uint8Array) => {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
};

/** Creates the node:crypto provider; `fallback` serves what the module lacks (HMAC, other ciphers, random bytes without randomFillSync). */
export function createNodeCryptoProvider<K extends NodeKeyObjectLike>(nodeCrypto: NodeCryptoLike<K>, fallback: CryptoProvider = webCryptoProvider): CryptoProvider {
  const cache = new WeakMap<CoseKey, { priv?: K; pub?: K }>();
  let pool: Uint8Array | undefined;
  let poolAt = 0;
  const slot = (key: CoseKey) => {
    let s = cache.get(key);
    if (!s) cache.set(key, (s = {}));
    return s;
  };
  const privateKeyObject = (key: CoseKey) => {
    if (!key.d) throw new CoseKeyMismatch('a private key is required');
    const s = slot(key);
    return (s.priv ??= nodeCrypto.createPrivateKey({ key: coseKeyToJwk(key), format: 'jwk' }));
  };
  // Public keys also by their material: a peer's key is rebuilt from the wire (x5chain, epk) for
  // every message, so a per-object cache alone would import it again each time. Public data only.
  const publicByMaterial = new Map<string, K>();
  const publicKeyObject = (key: CoseKey) => {
    const s = slot(key);
    if (!s.pub) {
      const id = key.x ? `${key.kty}:${key.crv}:${toHex(key.x)}:${key.y ? toHex(key.y) : ''}` : undefined;
      const known = id === undefined ? undefined : publicByMaterial.get(id);
      if (known !== undefined) {
        // Least recently used first: re-insert on a hit.
        publicByMaterial.delete(id!);
        publicByMaterial.set(id!, known);
        return (s.pub = known);
      }
      const jwk = coseKeyToJwk(key);
      delete jwk.d;
      s.pub = nodeCrypto.createPublicKey({ key: jwk, format: 'jwk' });
      if (id !== undefined) {
        if (publicByMaterial.size >= PUBLIC_KEY_CACHE_SIZE) publicByMaterial.delete(publicByMaterial.keys().next().value!);
        publicByMaterial.set(id, s.pub);
      }
    }
    return s.pub;
  };
  return {
    name: 'node-crypto',
    async sign(alg, key, data) {
      const hash = alg.scheme === 'ECDSA' ? NODE_HASH[alg.hash!] : null;
      return new Uint8Array(nodeCrypto.sign(hash, data, { key: privateKeyObject(key), dsaEncoding: 'ieee-p1363' }));
    },
    async verify(alg, key, data, signature) {
      const hash = alg.scheme === 'ECDSA' ? NODE_HASH[alg.hash!] : null;
      return nodeCrypto.verify(hash, data, { key: publicKeyObject(key), dsaEncoding: 'ieee-p1363' }, signature);
    },
    async ecdh(privateKey, publicKey) {
      if (privateKey.crv !== publicKey.crv) throw new CoseKeyMismatch('ECDH keys are on different curves');
      return new Uint8Array(nodeCrypto.diffieHellman({ privateKey: privateKeyObject(privateKey), publicKey: publicKeyObject(publicKey) }));
    },
    async generateKeyPair(crv: CoseCurve) {
      const pair =
        crv === 'Ed25519' || crv === 'X25519'
          ? nodeCrypto.generateKeyPairSync(crv === 'Ed25519' ? 'ed25519' : 'x25519')
          : nodeCrypto.generateKeyPairSync('ec', { namedCurve: crv === 'P-256' ? 'prime256v1' : 'secp384r1' });
      const key = coseKeyFromJwk(pair.privateKey.export({ format: 'jwk' }));
      // The COSE key was exported from this KeyObject: using it again (the ephemeral key of an
      // ECDH-ES recipient, right away) needs no import from JWK.
      slot(key).priv = pair.privateKey;
      return key;
    },
    async digest(hash, data) {
      if (!nodeCrypto.createHash) return fallback.digest(hash, data);
      return plain(nodeCrypto.createHash(NODE_HASH[hash]).update(data).digest());
    },
    hmac: fallback.hmac.bind(fallback),
    async hkdf(hash, ikm, salt, info, length) {
      if (!nodeCrypto.hkdfSync || info.length > NODE_HKDF_MAX_INFO) return fallback.hkdf(hash, ikm, salt, info, length);
      return new Uint8Array(nodeCrypto.hkdfSync(NODE_HASH[hash], ikm, salt, info, length));
    },
    async wrapKey(kek, cek) {
      const name = NODE_AES_KW[kek.length];
      if (!nodeCrypto.createCipheriv || name === undefined) return fallback.wrapKey(kek, cek);
      const c = nodeCrypto.createCipheriv(name, kek, KW_IV);
      return joined(c.update(cek), c.final());
    },
    async unwrapKey(kek, wrapped) {
      const name = NODE_AES_KW[kek.length];
      if (!nodeCrypto.createDecipheriv || name === undefined) return fallback.unwrapKey(kek, wrapped);
      // final() throws when the integrity check of RFC 3394 §2.2.3 fails, as WebCrypto's unwrapKey does.
      const d = nodeCrypto.createDecipheriv(name, kek, KW_IV);
      return joined(d.update(wrapped), d.final());
    },
    async encrypt(alg, key, iv, plaintext, aad) {
      const name = NODE_AES_GCM[key.length];
      if (alg.cipher !== 'AES-GCM' || alg.tagLength !== 16 || !nodeCrypto.createCipheriv || name === undefined) return fallback.encrypt(alg, key, iv, plaintext, aad);
      if (iv.length === 0) throw new CoseKeyMismatch('AES-GCM needs a non-empty IV');
      const c = nodeCrypto.createCipheriv(name, key, iv) as NodeGcmCipherLike;
      c.setAAD(aad);
      const body = joined(c.update(plaintext), c.final());
      return joined(body, c.getAuthTag());
    },
    async decrypt(alg, key, iv, ciphertext, aad) {
      const name = NODE_AES_GCM[key.length];
      if (alg.cipher !== 'AES-GCM' || alg.tagLength !== 16 || !nodeCrypto.createDecipheriv || name === undefined) return fallback.decrypt(alg, key, iv, ciphertext, aad);
      if (iv.length === 0 || ciphertext.length < 16) throw new CoseKeyMismatch('AES-GCM input too short');
      const d = nodeCrypto.createDecipheriv(name, key, iv) as NodeGcmDecipherLike;
      d.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
      d.setAAD(aad);
      // final() throws when the tag does not verify, as WebCrypto's decrypt does.
      return joined(d.update(ciphertext.subarray(0, ciphertext.length - 16)), d.final());
    },
    randomBytes(length) {
      const fill = nodeCrypto.randomFillSync;
      if (fill === undefined) return fallback.randomBytes(length);
      if (length > RANDOM_POOLED) {
        const out = new Uint8Array(length);
        fill.call(nodeCrypto, out);
        return out;
      }
      // Small requests (CEKs, IVs, nonces: several per message) share one CSPRNG draw. Each byte is
      // handed out once and wiped from the pool as it goes.
      if (pool === undefined || poolAt + length > pool.length) {
        pool = new Uint8Array(RANDOM_POOL_SIZE);
        fill.call(nodeCrypto, pool);
        poolAt = 0;
      }
      const out = pool.slice(poolAt, poolAt + length);
      pool.fill(0, poolAt, poolAt + length);
      poolAt += length;
      return out;
    },
  };
}
