/**
 * A provider whose public-key operations (sign, verify, ECDH, key generation) use node:crypto's
 * one-shot functions, which cost about 70% of WebCrypto's CPU for ECDSA on Node 20. Symmetric
 * operations are delegated to `fallback` (WebCrypto by default).
 *
 * core must not import node:*, so the module is passed in and typed structurally here (the subset
 * used, as kysely's SqliteDatabase does). Callers in tam, device and cli pass the module they import
 * themselves: `createNodeCryptoProvider(nodeCrypto)` where `nodeCrypto` is Node's crypto module.
 */
import type { CoseCurve } from './algorithms.js';
import type { CryptoProvider } from './crypto-provider.js';
import type { CoseKey } from './key.js';
import { coseKeyFromJwk, coseKeyToJwk, type Jwk } from './key-jwk.js';
import { CoseKeyMismatch } from './errors.js';
import { webCryptoProvider } from './webcrypto-provider.js';

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
}

const NODE_HASH = { 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' } as const;

/** Creates the node:crypto provider; `fallback` serves digest, HMAC, HKDF, AES and random bytes. */
export function createNodeCryptoProvider<K extends NodeKeyObjectLike>(nodeCrypto: NodeCryptoLike<K>, fallback: CryptoProvider = webCryptoProvider): CryptoProvider {
  const cache = new WeakMap<CoseKey, { priv?: K; pub?: K }>();
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
  const publicKeyObject = (key: CoseKey) => {
    const s = slot(key);
    if (!s.pub) {
      const jwk = coseKeyToJwk(key);
      delete jwk.d;
      s.pub = nodeCrypto.createPublicKey({ key: jwk, format: 'jwk' });
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
      return coseKeyFromJwk(pair.privateKey.export({ format: 'jwk' }));
    },
    digest: fallback.digest.bind(fallback),
    hmac: fallback.hmac.bind(fallback),
    hkdf: fallback.hkdf.bind(fallback),
    wrapKey: fallback.wrapKey.bind(fallback),
    unwrapKey: fallback.unwrapKey.bind(fallback),
    encrypt: fallback.encrypt.bind(fallback),
    decrypt: fallback.decrypt.bind(fallback),
    randomBytes: fallback.randomBytes.bind(fallback),
  };
}
