/**
 * Small byte helpers used inside cose (not exported from the package); base64url and hex come from
 * the wire layer, wrapped so that bad JWK members are key errors.
 */
import { decodeBase64url, encodeBase64url } from '../wire/base64url.js';
import { fromHex as wireFromHex } from '../wire/hex.js';
import { CoseKeyInvalid } from './errors.js';

export { concatBytes, bytesEqual } from '../wire/bytes.js';
/** Constant-time comparison for equal-length secrets (MAC tags). */
export { bytesEqual as timingSafeEqual } from '../wire/bytes.js';

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
