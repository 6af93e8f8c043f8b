/**
 * The default crypto provider: WebCrypto (`crypto.subtle`) for everything it has, and
 * @noble/ciphers for ChaCha20/Poly1305 (RFC 9053 §4.3), which WebCrypto on Node 20 lacks.
 * Imported CryptoKeys are cached per COSE key object, so reusing a key object is cheap.
 */
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import type { ContentAlgorithm, CoseCurve, HashName, SignAlgorithm } from './algorithms.js';
import type { CryptoProvider } from './crypto-provider.js';
import { CURVE_SIZE, type CoseKey } from './key.js';
import { coseKeyFromJwk, coseKeyToJwk } from './key-jwk.js';
import { CoseKeyMismatch } from './errors.js';
import { toBuffer } from './bytes.js';

type Usage = 'sign' | 'verify' | 'deriveBits';

/** WebCrypto import parameters of a curve for a given use (signature or key agreement). */
function importParams(crv: CoseCurve | undefined, agreement: boolean): EcKeyImportParams | Algorithm {
  switch (crv) {
    case 'P-256':
    case 'P-384':
      return { name: agreement ? 'ECDH' : 'ECDSA', namedCurve: crv };
    case 'Ed25519':
    case 'X25519':
      return { name: crv };
    default:
      throw new CoseKeyMismatch('key has no supported curve');
  }
}

/** Creates a provider over `subtle` (default: the global `crypto.subtle`). */
export function createWebCryptoProvider(subtle: SubtleCrypto = globalThis.crypto.subtle): CryptoProvider {
  const cache = new WeakMap<CoseKey, Map<string, Promise<CryptoKey>>>();

  function importCoseKey(key: CoseKey, usage: Usage): Promise<CryptoKey> {
    const isPrivate = usage === 'sign' || (usage === 'deriveBits' && key.d !== undefined);
    const slot = `${usage}:${isPrivate}`;
    let perKey = cache.get(key);
    if (!perKey) cache.set(key, (perKey = new Map()));
    let p = perKey.get(slot);
    if (!p) {
      const jwk = coseKeyToJwk(key);
      if (!isPrivate) delete jwk.d;
      else if (!jwk.d) throw new CoseKeyMismatch('a private key is required');
      // ECDH public keys take no usages (WebCrypto §ECDH import).
      const usages: KeyUsage[] = usage === 'deriveBits' && !isPrivate ? [] : [usage];
      p = subtle.importKey('jwk', jwk as JsonWebKey, importParams(key.crv, usage === 'deriveBits'), false, usages);
      perKey.set(slot, p);
      p.catch(() => perKey.delete(slot));
    }
    return p;
  }

  const ecdsaParams = (alg: SignAlgorithm): EcdsaParams | Algorithm =>
    alg.scheme === 'ECDSA' ? { name: 'ECDSA', hash: alg.hash! } : { name: 'Ed25519' };

  const rawKey = (bytes: Uint8Array, alg: Algorithm | HmacImportParams, usages: KeyUsage[]) =>
    subtle.importKey('raw', toBuffer(bytes), alg, false, usages);

  return {
    name: 'webcrypto',
    async sign(alg, key, data) {
      return new Uint8Array(await subtle.sign(ecdsaParams(alg), await importCoseKey(key, 'sign'), toBuffer(data)));
    },
    async verify(alg, key, data, signature) {
      return subtle.verify(ecdsaParams(alg), await importCoseKey(key, 'verify'), toBuffer(signature), toBuffer(data));
    },
    async ecdh(privateKey, publicKey) {
      if (privateKey.crv !== publicKey.crv) throw new CoseKeyMismatch('ECDH keys are on different curves');
      const priv = await importCoseKey(privateKey, 'deriveBits');
      const pub = await importCoseKey({ ...publicKey, d: undefined } as CoseKey, 'deriveBits');
      const bits = CURVE_SIZE[privateKey.crv!] * 8;
      return new Uint8Array(await subtle.deriveBits({ name: priv.algorithm.name, public: pub } as EcdhKeyDeriveParams, priv, bits));
    },
    async generateKeyPair(crv) {
      const agreement = crv === 'X25519';
      const usages: KeyUsage[] = agreement ? ['deriveBits'] : ['sign', 'verify'];
      // EC2 pairs are generated for ECDSA; the same JWK imports for ECDH as well.
      const pair = (await subtle.generateKey(importParams(crv, agreement) as EcKeyGenParams, true, usages)) as CryptoKeyPair;
      return coseKeyFromJwk(await subtle.exportKey('jwk', pair.privateKey));
    },
    async digest(hash: HashName, data) {
      return new Uint8Array(await subtle.digest(hash, toBuffer(data)));
    },
    async hmac(hash, key, data) {
      const k = await rawKey(key, { name: 'HMAC', hash }, ['sign']);
      return new Uint8Array(await subtle.sign('HMAC', k, toBuffer(data)));
    },
    async hkdf(hash, ikm, salt, info, length) {
      const k = await rawKey(ikm, 'HKDF' as unknown as Algorithm, ['deriveBits']);
      const params: HkdfParams = { name: 'HKDF', hash, salt: toBuffer(salt), info: toBuffer(info) };
      return new Uint8Array(await subtle.deriveBits(params, k, length * 8));
    },
    async wrapKey(kek, cek) {
      const k = await rawKey(kek, { name: 'AES-KW' }, ['wrapKey']);
      // Any extractable raw key will do as the wrapped object; HMAC accepts every length.
      const c = await subtle.importKey('raw', toBuffer(cek), { name: 'HMAC', hash: 'SHA-256' }, true, ['sign']);
      return new Uint8Array(await subtle.wrapKey('raw', c, k, 'AES-KW'));
    },
    async unwrapKey(kek, wrapped) {
      const k = await rawKey(kek, { name: 'AES-KW' }, ['unwrapKey']);
      const c = await subtle.unwrapKey('raw', toBuffer(wrapped), k, 'AES-KW', { name: 'HMAC', hash: 'SHA-256' }, true, ['sign']);
      return new Uint8Array(await subtle.exportKey('raw', c));
    },
    async encrypt(alg: ContentAlgorithm, key, iv, plaintext, aad) {
      if (alg.cipher === 'ChaCha20-Poly1305') return chacha20poly1305(key, iv, aad).encrypt(plaintext);
      const k = await rawKey(key, { name: alg.cipher }, ['encrypt']);
      return new Uint8Array(await subtle.encrypt(cipherParams(alg, iv, aad), k, toBuffer(plaintext)));
    },
    async decrypt(alg: ContentAlgorithm, key, iv, ciphertext, aad) {
      if (alg.cipher === 'ChaCha20-Poly1305') return chacha20poly1305(key, iv, aad).decrypt(ciphertext);
      const k = await rawKey(key, { name: alg.cipher }, ['decrypt']);
      return new Uint8Array(await subtle.decrypt(cipherParams(alg, iv, aad), k, toBuffer(ciphertext)));
    },
    randomBytes(length) {
      return globalThis.crypto.getRandomValues(new Uint8Array(length));
    },
  };
}

function cipherParams(alg: ContentAlgorithm, iv: Uint8Array, aad: Uint8Array): AesGcmParams | AesCtrParams {
  // AES-CTR: the whole 16-byte IV is the initial counter block, incremented per block
  // (draft-ietf-suit-firmware-encryption §"AES-CTR", RFC 9459 §4).
  return alg.cipher === 'AES-CTR'
    ? { name: 'AES-CTR', counter: toBuffer(iv), length: 128 }
    : { name: 'AES-GCM', iv: toBuffer(iv), additionalData: toBuffer(aad), tagLength: alg.tagLength * 8 };
}

/** The default provider (global WebCrypto). */
export const webCryptoProvider: CryptoProvider = createWebCryptoProvider();
