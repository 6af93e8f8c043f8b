/**
 * Small byte helpers used inside cose (not exported from the package); base64url and hex come from
 * the wire layer, wrapped so that bad JWK members are key errors.
 */
import { decodeBase64url, encodeBase64url } from '../wire/base64url.js';
import { fromHex as wireFromHex } from '../wire/hex.js';
import { CoseKeyInvalid } from './errors.js';

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Constant-time comparison for equal-length secrets (MAC tags). */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function toBase64url(bytes: Uint8Array): string {
  return encodeBase64url(bytes);
}

/** Decodes unpadded base64url (RFC 4648 §5); throws CoseKeyInvalid (used for JWK members). */
export function fromBase64url(text: string): Uint8Array {
  try {
    return decodeBase64url(text);
  } catch (e) {
    throw new CoseKeyInvalid('invalid base64url', { cause: e });
  }
}

/** Hex text (whitespace ignored) as bytes, or undefined when it is not hex. */
export function fromHex(text: string): Uint8Array | undefined {
  try {
    return wireFromHex(text, { ignoreWhitespace: true });
  } catch {
    return undefined;
  }
}

/** A copy as a fresh ArrayBuffer-backed Uint8Array (WebCrypto wants BufferSource). */
export function toBuffer(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes) as Uint8Array<ArrayBuffer>;
}
