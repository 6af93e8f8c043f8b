/**
 * RSAES-PKCS1-v1_5 key transport for JWE `RSA1_5` (RFC 7518 §4.2, RFC 8017 §7.2), the OTrP draft's
 * mandatory key management algorithm (§7.5.3), which neither WebCrypto nor panva/jose offers.
 *
 * Unwrapping uses IMPLICIT REJECTION (the Marvin-attack countermeasure of
 * draft-irtf-cfrg-rsa-guidance and RFC 7516 §11.5): when the padding is wrong, a deterministic
 * pseudo-random CEK of the right length is derived from a private-key secret and the ciphertext, and
 * returned as if it were the real CEK. Content decryption then fails with the very same error as
 * for a wrong key, so the padding check is no oracle. See docs/otrp-decisions.md.
 */
import type { RawRsa } from './raw-rsa.js';
import { rsaPublicNumbers, type JosePrivateKey } from './keys.js';

const subtle = () => globalThis.crypto.subtle;
/** Minimum PKCS#1 v1.5 padding string length (RFC 8017 §7.2.1). */
const MIN_PS = 8;

function bytesToBigInt(b: Uint8Array): bigint {
  let n = 0n;
  for (const x of b) n = (n << 8n) | BigInt(x);
  return n;
}

function bigIntToBytes(n: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return out;
}

function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let r = 1n;
  base %= mod;
  while (exp > 0n) {
    if (exp & 1n) r = (r * base) % mod;
    base = (base * base) % mod;
    exp >>= 1n;
  }
  return r;
}

/** RSAES-PKCS1-V1_5-ENCRYPT (RFC 8017 §7.2.1) of `cek` to the RSA public key `spki` (public op, no secret). */
export async function wrapRsa15(spki: Uint8Array, cek: Uint8Array): Promise<Uint8Array> {
  const { n, e } = await rsaPublicNumbers(spki);
  const k = n[0] === 0 ? n.length - 1 : n.length;
  const psLen = k - 3 - cek.length;
  const em = new Uint8Array(k);
  em[1] = 2;
  const ps = em.subarray(2, 2 + psLen);
  globalThis.crypto.getRandomValues(ps);
  for (let i = 0; i < ps.length; i++) while (ps[i] === 0) ps[i] = globalThis.crypto.getRandomValues(new Uint8Array(1))[0]!;
  em.set(cek, 3 + psLen);
  return bigIntToBytes(modPow(bytesToBigInt(em), bytesToBigInt(e), bytesToBigInt(n)), k);
}

const rejectionKeys = new WeakMap<Uint8Array, CryptoKey>();

/**
 * The implicit-rejection key: SHA-256 of the raw RSA decryption of a fixed block, a value only the
 * private key holder can compute (like Marvin's KDK = hash of d), cached per key.
 */
async function rejectionKey(rawRsa: RawRsa, key: JosePrivateKey, k: number): Promise<CryptoKey> {
  const cached = rejectionKeys.get(key.pkcs8);
  if (cached) return cached;
  const fixed = new Uint8Array(k);
  fixed.set(new TextEncoder().encode('otrp RSA1_5 implicit rejection'), k - 30);
  const secret = await subtle().digest('SHA-256', rawRsa.decrypt(key.pkcs8, fixed) as Uint8Array<ArrayBuffer>);
  const hmacKey = await subtle().importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  rejectionKeys.set(key.pkcs8, hmacKey);
  return hmacKey;
}

/** HMAC-SHA-256 in counter mode over the ciphertext: the synthetic CEK. */
async function syntheticCek(kdk: CryptoKey, ciphertext: Uint8Array, length: number): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  for (let i = 0, off = 0; off < length; i++, off += 32) {
    const input = new Uint8Array(ciphertext.length + 1);
    input[0] = i;
    input.set(ciphertext, 1);
    const block = new Uint8Array(await subtle().sign('HMAC', kdk, input));
    out.set(block.subarray(0, Math.min(32, length - off)), off);
  }
  return out;
}

/**
 * RSAES-PKCS1-V1_5-DECRYPT with implicit rejection: always returns `cekLength` bytes, the real CEK
 * when the padding is right and the message has exactly that length, a synthetic one otherwise.
 * The padding check runs over every byte without early exit and selects with masks.
 */
export async function unwrapRsa15(rawRsa: RawRsa, key: JosePrivateKey, encryptedKey: Uint8Array, cekLength: number): Promise<Uint8Array> {
  const { n } = await rsaPublicNumbers(key.spki);
  const k = n[0] === 0 ? n.length - 1 : n.length;
  const kdk = await rejectionKey(rawRsa, key, k);
  const synthetic = await syntheticCek(kdk, encryptedKey, cekLength);
  let em: Uint8Array;
  try {
    em = encryptedKey.length === k ? rawRsa.decrypt(key.pkcs8, encryptedKey) : new Uint8Array(k);
  } catch {
    em = new Uint8Array(k); // c >= n: all-zero block fails the padding check below
  }
  if (em.length !== k) em = new Uint8Array(k);
  // good = em[0]==0 && em[1]==2 && first zero after PS at index >= 2+MIN_PS && message length == cekLength
  let good = ((em[0]! | (em[1]! ^ 2)) === 0 ? 1 : 0);
  let zeroIndex = 0;
  let found = 0;
  for (let i = 2; i < k; i++) {
    const isZero = em[i] === 0 ? 1 : 0;
    const first = isZero & (found ^ 1);
    zeroIndex |= first * i;
    found |= isZero;
  }
  good &= found;
  good &= zeroIndex >= 2 + MIN_PS ? 1 : 0;
  good &= k - zeroIndex - 1 === cekLength ? 1 : 0;
  const mask = -good & 0xff;
  const out = new Uint8Array(cekLength);
  const start = k - cekLength;
  for (let i = 0; i < cekLength; i++) out[i] = (em[start + i]! & mask) | (synthetic[i]! & ~mask & 0xff);
  return out;
}
