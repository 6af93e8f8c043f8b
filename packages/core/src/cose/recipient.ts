/**
 * One COSE_recipient layer (RFC 9052 §5.1, RFC 9053 §6): how the CEK reaches a recipient.
 * direct (§6.1.1), AES key wrap (§6.2.1) and ECDH-ES with HKDF-SHA256 (§6.3.1), either wrapping the
 * CEK with the derived key (+A128KW) or using the derived key as the CEK (+HKDF-256).
 *
 * ```cddl
 * COSE_recipient = [
 *     Headers,
 *     ciphertext : bstr / nil,
 *     ? recipients : [+COSE_recipient]
 * ]
 * ```
 */
import type { CborValue } from '../wire/cbor-value.js';
import { RECIPIENT_KINDS, getAlgorithm, type ContentAlgorithm, type KeyAgreementAlgorithm, type MacAlgorithm, type RecipientAlgorithm } from './algorithms.js';
import type { CryptoProvider } from './crypto-provider.js';
import { checkCoseKey, coseKeyFromMap, coseKeyToMap, publicCoseKey, type CoseKey } from './key.js';
import { COSE_HEADER, buildHeaders, encodeProtected, headerValue, type CoseHeaders, type CoseLabel, type HeaderInput } from './headers.js';
import { encodeKdfContext, type KdfContextOptions } from './kdf-context.js';
import { bytesEqual } from './bytes.js';
import { CoseDecryptFailed, CoseKeyMismatch, CoseMalformed } from './errors.js';
import { guardAsync } from './guard.js';

/** What the CEK is for: content encryption (COSE_Encrypt) or the MAC (COSE_Mac). */
export type CekAlgorithm = ContentAlgorithm | MacAlgorithm;

export interface RecipientOptions {
  /** Recipient algorithm id: A128KW, A256KW, direct, ECDH-ES+A128KW, ECDH-ES+HKDF-256. */
  alg: number;
  /** Symmetric key (KW, direct) or the recipient's public key (ECDH-ES). */
  key: CoseKey;
  protectedHeaders?: HeaderInput;
  unprotectedHeaders?: HeaderInput;
  /** Put the key's kid in the unprotected `kid` header (default true when the key has one). */
  includeKid?: boolean;
  /** COSE_KDF_Context inputs beyond the headers (ECDH-ES only). */
  kdf?: KdfContextOptions;
  /** Sender ephemeral key pair to use instead of a fresh one (tests, known answers). */
  ephemeralKey?: CoseKey;
}

/** True when the recipient algorithm fixes the CEK itself (direct, direct key agreement). */
export function determinesCek(alg: RecipientAlgorithm): boolean {
  return alg.kind === 'direct' || (alg.kind === 'key-agreement' && alg.wrap === null);
}

export function recipientAlgOf(id: unknown): RecipientAlgorithm {
  return getAlgorithm(id, ...RECIPIENT_KINDS);
}

function symmetric(key: CoseKey, length: number, what: string): Uint8Array {
  checkCoseKey(key);
  if (key.kty !== 'Symmetric') throw new CoseKeyMismatch(`${what} needs a symmetric key`);
  if (key.k!.length !== length) throw new CoseKeyMismatch(`${what} needs a ${length}-byte key`);
  return key.k!;
}

function checkAgreementKey(alg: KeyAgreementAlgorithm, key: CoseKey): void {
  checkCoseKey(key);
  if (!key.crv || !alg.curves.includes(key.crv)) throw new CoseKeyMismatch(`key does not fit ${alg.name}`);
}

/** Derives the KEK or CEK of an ECDH-ES recipient (RFC 9053 §6.3.1, HKDF over COSE_KDF_Context). */
async function agree(provider: CryptoProvider, alg: KeyAgreementAlgorithm, content: CekAlgorithm, secret: Uint8Array, headers: CoseHeaders, kdf: KdfContextOptions | undefined) {
  const target = alg.wrap ?? content;
  const salt = headerValue(headers, COSE_HEADER.salt) ?? new Uint8Array(0);
  if (!(salt instanceof Uint8Array)) throw new CoseMalformed('salt must be a bstr');
  const info = encodeKdfContext(target.id, target.keyLength, headers, kdf);
  return provider.hkdf(alg.kdfHash, secret, salt, info, target.keyLength);
}

/**
 * Builds one recipient for `cek` (undefined when this recipient determines the CEK) and returns the
 * recipient array and the CEK.
 */
export async function createRecipient(provider: CryptoProvider, content: CekAlgorithm, cek: Uint8Array | undefined, r: RecipientOptions): Promise<{ item: CborValue; cek: Uint8Array }> {
  const alg = recipientAlgOf(r.alg);
  const kid: [CoseLabel, CborValue][] = r.key.kid && r.includeKid !== false ? [[COSE_HEADER.kid, r.key.kid]] : [];
  const algHeader: [CoseLabel, CborValue] = [COSE_HEADER.alg, alg.id];
  if (alg.kind === 'direct' || alg.kind === 'key-wrap') {
    // RFC 9053 §6.1.1 / §6.2.1: the protected bucket of these recipients is empty.
    const h = buildHeaders(undefined, r.unprotectedHeaders, { unprotected: [algHeader, ...kid] });
    if ((r.protectedHeaders?.size ?? 0) > 0) throw new CoseMalformed(`${alg.name} recipients have no protected headers`);
    if (alg.kind === 'direct') {
      const k = symmetric(r.key, content.keyLength, 'direct');
      if (cek && !bytesEqual(cek, k)) throw new CoseKeyMismatch('direct: the CEK is the shared key');
      return { item: [new Uint8Array(0), h.unprotected as CborValue, new Uint8Array(0)], cek: k };
    }
    const kek = symmetric(r.key, alg.keyLength, alg.name);
    const wrapped = await guardAsync(() => provider.wrapKey(kek, cek!), (e) => new CoseKeyMismatch('key wrap failed', { cause: e }));
    return { item: [new Uint8Array(0), h.unprotected as CborValue, wrapped], cek: cek! };
  }
  checkAgreementKey(alg, r.key);
  const eph = r.ephemeralKey ?? (await provider.generateKeyPair(r.key.crv!));
  if (eph.crv !== r.key.crv || !eph.d) throw new CoseKeyMismatch('ephemeral key must be a private key on the recipient curve');
  const h = buildHeaders(r.protectedHeaders, r.unprotectedHeaders, {
    protected: [algHeader],
    unprotected: [[COSE_HEADER.epk, coseKeyToMap({ kty: eph.kty, crv: eph.crv!, x: eph.x!, ...(eph.y && { y: eph.y }) })], ...kid],
  });
  const headers: CoseHeaders = { protectedBytes: encodeProtected(h.protected), ...h };
  // A public key object is passed as it is (providers cache their import per key object).
  const peer = r.key.d === undefined ? r.key : publicCoseKey(r.key);
  const secret = await guardAsync(() => provider.ecdh(eph, peer), (e) => new CoseKeyMismatch('key agreement failed', { cause: e }));
  const derived = await agree(provider, alg, content, secret, headers, r.kdf);
  if (alg.wrap === null) {
    if (cek && !bytesEqual(cek, derived)) throw new CoseKeyMismatch('direct key agreement derives the CEK');
    return { item: [headers.protectedBytes, h.unprotected as CborValue, new Uint8Array(0)], cek: derived };
  }
  const wrapped = await guardAsync(() => provider.wrapKey(derived, cek!), (e) => new CoseKeyMismatch('key wrap failed', { cause: e }));
  return { item: [headers.protectedBytes, h.unprotected as CborValue, wrapped], cek: cek! };
}

/** True when a fixed `key` can serve the recipient (kid equal when both have one, key type fits). */
export function keyFitsRecipient(key: CoseKey, alg: RecipientAlgorithm, headers: CoseHeaders): boolean {
  const kid = headerValue(headers, COSE_HEADER.kid);
  if (kid instanceof Uint8Array && key.kid && !bytesEqual(kid, key.kid)) return false;
  if (alg.kind === 'key-agreement') return key.crv !== undefined && alg.curves.includes(key.crv);
  return key.kty === 'Symmetric';
}

/**
 * Recovers the CEK from one recipient with the recipient's key. Wrong keys, failed unwraps and bad
 * ephemeral keys are all ERR_COSE_DECRYPT_FAILED with a fixed message.
 */
export async function recipientCek(
  provider: CryptoProvider,
  content: CekAlgorithm,
  alg: RecipientAlgorithm,
  headers: CoseHeaders,
  ciphertext: Uint8Array,
  key: CoseKey,
  kdf: KdfContextOptions | undefined,
): Promise<Uint8Array> {
  if (alg.kind === 'direct') {
    if (ciphertext.length !== 0) throw new CoseMalformed('direct recipient must have an empty ciphertext');
    return symmetric(key, content.keyLength, 'direct');
  }
  if (alg.kind === 'key-wrap') {
    if (headers.protectedBytes.length !== 0) throw new CoseMalformed(`${alg.name} recipient must have an empty protected header`);
    const kek = symmetric(key, alg.keyLength, alg.name);
    return unwrap(provider, kek, ciphertext);
  }
  checkAgreementKey(alg, key);
  if (!key.d) throw new CoseKeyMismatch('decryption needs the private key');
  const epk = guardEpk(headerValue(headers, COSE_HEADER.epk));
  if (epk.crv !== key.crv) throw new CoseDecryptFailed();
  let secret: Uint8Array;
  try {
    secret = await provider.ecdh(key, epk);
  } catch (e) {
    throw new CoseDecryptFailed({ cause: e });
  }
  const derived = await guardAsync(() => agree(provider, alg, content, secret, headers, kdf), (e) => new CoseDecryptFailed({ cause: e }));
  if (alg.wrap === null) {
    if (ciphertext.length !== 0) throw new CoseMalformed('direct key agreement recipient must have an empty ciphertext');
    return derived;
  }
  return unwrap(provider, derived, ciphertext);
}

function guardEpk(v: CborValue | undefined): CoseKey {
  if (v === undefined) throw new CoseMalformed('ephemeral key (epk) header missing');
  try {
    return coseKeyFromMap(v);
  } catch (e) {
    throw new CoseMalformed('ephemeral key (epk) is not a valid COSE_Key', { cause: e });
  }
}

async function unwrap(provider: CryptoProvider, kek: Uint8Array, wrapped: Uint8Array): Promise<Uint8Array> {
  try {
    return await provider.unwrapKey(kek, wrapped);
  } catch (e) {
    throw new CoseDecryptFailed({ cause: e });
  }
}
