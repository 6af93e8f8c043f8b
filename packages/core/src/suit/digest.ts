/**
 * SUIT_Digest (draft-ietf-suit-manifest-37 §10).
 *
 * ```cddl
 * SUIT_Digest = [
 *   suit-digest-algorithm-id : suit-cose-hash-algs,
 *   suit-digest-bytes : bstr,
 *   * $$SUIT_Digest-extensions
 * ]
 * ```
 */
import { encodeCbor } from '../wire/cbor.js';
import type { HashName } from '../cose/algorithms.js';
import type { CryptoProvider } from '../cose/crypto-provider.js';
import type { CborValue } from '../wire/cbor-value.js';
import { bytesEqual, decodeSuitCbor, expectArray, expectBytes, isInt } from './cbor-util.js';
import { SuitMalformed, SuitUnsupportedAlgorithm } from './errors.js';
import { SUIT_DIGEST_ALG } from './labels.js';

export interface SuitDigest {
  readonly algorithmId: number;
  readonly bytes: Uint8Array;
}

/** WebCrypto names of the supported digest algorithms; SHAKE is optional (§10) and not supported. */
const DIGEST_ALGS: ReadonlyMap<number, { name: HashName; size: number }> = new Map([
  [SUIT_DIGEST_ALG.sha256, { name: 'SHA-256', size: 32 }],
  [SUIT_DIGEST_ALG.sha384, { name: 'SHA-384', size: 48 }],
  [SUIT_DIGEST_ALG.sha512, { name: 'SHA-512', size: 64 }],
]);

export function decodeDigest(value: CborValue, what = 'SUIT_Digest'): SuitDigest {
  const a = expectArray(value, what);
  if (a.length < 2) throw new SuitMalformed(`${what}: expected [algorithm-id, digest-bytes]`);
  const alg = a[0]!;
  if (!isInt(alg) || typeof alg !== 'number') throw new SuitMalformed(`${what}: algorithm-id must be an integer`);
  return { algorithmId: alg, bytes: expectBytes(a[1]!, what) };
}

/** Decodes `bstr .cbor SUIT_Digest` content. */
export function decodeDigestBytes(bytes: Uint8Array, what = 'SUIT_Digest'): SuitDigest {
  return decodeDigest(decodeSuitCbor(bytes, what), what);
}

export function encodeDigest(d: SuitDigest): Uint8Array {
  return encodeCbor([d.algorithmId, d.bytes]);
}

/**
 * Hashes `data` with the digest algorithm `algorithmId`, through `provider` when given (the
 * node:crypto provider hashes synchronously; WebCrypto costs a job and a promise hop per call),
 * else with WebCrypto.
 */
export async function computeDigest(algorithmId: number, data: Uint8Array, provider?: CryptoProvider): Promise<SuitDigest> {
  const alg = DIGEST_ALGS.get(algorithmId);
  if (!alg) throw new SuitUnsupportedAlgorithm(`unsupported digest algorithm ${algorithmId}`);
  const bytes = provider
    ? await provider.digest(alg.name, data)
    : new Uint8Array(await crypto.subtle.digest(alg.name, data as Uint8Array<ArrayBuffer>));
  return { algorithmId, bytes };
}

/** True when `data` hashes to `digest` (constant-time comparison). */
export async function digestMatches(digest: SuitDigest, data: Uint8Array, provider?: CryptoProvider): Promise<boolean> {
  const actual = await computeDigest(digest.algorithmId, data, provider);
  return bytesEqual(actual.bytes, digest.bytes);
}
