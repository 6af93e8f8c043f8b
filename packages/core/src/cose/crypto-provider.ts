/**
 * The crypto-provider interface: every primitive the COSE structures need, keyed by the algorithm
 * descriptors of algorithms.ts (never by raw ids). Providers are passed explicitly through a
 * `provider` option; `webCryptoProvider` (crypto.subtle, global in Node 20 and browsers, plus
 * @noble/ciphers for ChaCha20/Poly1305, which WebCrypto lacks) is the default.
 *
 * Contract: `verify` returns false for a wrong signature and may throw for unusable input; the
 * structures wrap any thrown non-OtrpError into their own typed error.
 */
import type { ContentAlgorithm, CoseCurve, HashName, SignAlgorithm } from './algorithms.js';
import type { CoseKey } from './key.js';

export interface CryptoProvider {
  readonly name: string;
  /** Signs `data`; ECDSA signatures are raw r‖s (RFC 9053 §2.1). */
  sign(alg: SignAlgorithm, key: CoseKey, data: Uint8Array): Promise<Uint8Array>;
  verify(alg: SignAlgorithm, key: CoseKey, data: Uint8Array, signature: Uint8Array): Promise<boolean>;
  /** Raw ECDH shared secret (x coordinate for EC2, RFC 7748 output for X25519). */
  ecdh(privateKey: CoseKey, publicKey: CoseKey): Promise<Uint8Array>;
  /** A fresh key pair on `crv`, returned as one private COSE key (with x, y, d). */
  generateKeyPair(crv: CoseCurve): Promise<CoseKey>;
  digest(hash: HashName, data: Uint8Array): Promise<Uint8Array>;
  hmac(hash: HashName, key: Uint8Array, data: Uint8Array): Promise<Uint8Array>;
  /** HKDF (RFC 5869) output of `length` bytes. */
  hkdf(hash: HashName, ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Promise<Uint8Array>;
  /** AES key wrap (RFC 3394) of `cek` under `kek` (16 or 32 bytes). */
  wrapKey(kek: Uint8Array, cek: Uint8Array): Promise<Uint8Array>;
  unwrapKey(kek: Uint8Array, wrapped: Uint8Array): Promise<Uint8Array>;
  /** Content encryption; AEAD output is ciphertext‖tag, `aad` is ignored by non-AEAD ciphers. */
  encrypt(alg: ContentAlgorithm, key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Promise<Uint8Array>;
  decrypt(alg: ContentAlgorithm, key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array, aad: Uint8Array): Promise<Uint8Array>;
  randomBytes(length: number): Uint8Array;
}

/** Options shared by every create/verify function. */
export interface ProviderOption {
  /** Crypto provider; default `webCryptoProvider`. */
  provider?: CryptoProvider;
}
