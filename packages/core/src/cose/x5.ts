/**
 * The certificate headers of RFC 9360: x5chain (33) and x5t (34).
 *
 * ```cddl
 * COSE_X509 = bstr / [ 2*certs: bstr ]     ; one certificate as a bare bstr, several as an array, leaf first
 * COSE_CertHash = [ hashAlg: (int / tstr), hashValue: bstr ]
 * ```
 */
import type { CborValue } from '../wire/cbor-value.js';
import type { HashName } from './algorithms.js';
import type { CryptoProvider } from './crypto-provider.js';
import { COSE_HEADER, headerValue, type CoseHeaders } from './headers.js';
import { CoseMalformed, CoseUnsupportedAlg } from './errors.js';
import { bytesEqual } from './bytes.js';
import { webCryptoProvider } from './webcrypto-provider.js';

/** Hash algorithms usable in x5t (IANA "COSE Algorithms": SHA-256 -16, SHA-384 -43, SHA-512 -44). */
export const X5T_HASH = { 'SHA-256': -16, 'SHA-384': -43, 'SHA-512': -44 } as const satisfies Record<HashName, number>;

/** The x5chain header value for DER certificates, leaf first (RFC 9360 §2). */
export function encodeX5chain(certificates: readonly Uint8Array[]): CborValue {
  if (certificates.length === 0) throw new CoseMalformed('x5chain needs at least one certificate');
  return certificates.length === 1 ? certificates[0]! : [...certificates];
}

/** The certificates of an x5chain header value, leaf first. */
export function decodeX5chain(value: CborValue): Uint8Array[] {
  if (value instanceof Uint8Array) return [value];
  if (Array.isArray(value) && value.length >= 1 && value.every((c) => c instanceof Uint8Array)) return value as Uint8Array[];
  throw new CoseMalformed('x5chain must be a bstr or an array of bstr');
}

/** The x5chain of a header pair, or undefined when absent. */
export function readX5chain(headers: CoseHeaders): Uint8Array[] | undefined {
  const v = headerValue(headers, COSE_HEADER.x5chain);
  return v === undefined ? undefined : decodeX5chain(v);
}

/** The x5t header value (COSE_CertHash) of a DER certificate. */
export async function encodeX5t(certificate: Uint8Array, hash: HashName = 'SHA-256', provider: CryptoProvider = webCryptoProvider): Promise<CborValue> {
  return [X5T_HASH[hash], await provider.digest(hash, certificate)];
}

/** True when `certificate` matches the x5t value. */
export async function matchesX5t(value: CborValue, certificate: Uint8Array, provider: CryptoProvider = webCryptoProvider): Promise<boolean> {
  if (!Array.isArray(value) || value.length !== 2 || !(value[1] instanceof Uint8Array)) throw new CoseMalformed('x5t must be [hashAlg, hashValue]');
  const hash = (Object.keys(X5T_HASH) as HashName[]).find((h) => X5T_HASH[h] === value[0]);
  if (!hash) throw new CoseUnsupportedAlg(`unsupported x5t hash algorithm ${String(value[0])}`);
  return bytesEqual(await provider.digest(hash, certificate), value[1]);
}
