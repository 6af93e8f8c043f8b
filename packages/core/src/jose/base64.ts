/**
 * The two base64 alphabets OTrP mixes (draft-ietf-teep-opentrustprotocol-03 §7.4: "JWE and JWS
 * related elements will be BASE64URL encoded. Other binary data elements specific to the OTrP
 * specification are BASE64-encoded"). We emit standard BASE64 with padding for OTrP fields and
 * accept either alphabet on input (notes §15 A6: the draft's own samples mix them).
 */
import { EncodingError } from '../errors.js';
import { decodeBase64url, encodeBase64url } from '../wire/base64url.js';

const STD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** BASE64 (RFC 4648 §4) with padding. */
export function encodeBase64(bytes: Uint8Array): string {
  const url = encodeBase64url(bytes);
  let s = '';
  for (const ch of url) s += ch === '-' ? '+' : ch === '_' ? '/' : ch;
  return s + '='.repeat((4 - (s.length % 4)) % 4);
}

/**
 * Lenient decoder for OTrP binary fields: BASE64 or BASE64URL, padding optional, whitespace (the
 * draft's line wraps) ignored. Throws EncodingError on anything else.
 */
export function decodeBase64Lenient(text: string): Uint8Array<ArrayBuffer> {
  let s = text.replace(/[\s]+/g, '');
  s = s.replace(/=+$/, '');
  let url = '';
  for (const ch of s) {
    if (ch === '+') url += '-';
    else if (ch === '/') url += '_';
    else url += ch;
  }
  try {
    return decodeBase64url(url);
  } catch (e) {
    // Lenient: accept non-zero trailing bits (some encoders leave them) by clearing them.
    if (e instanceof EncodingError && /padding bits/.test(e.message)) return decodeBase64url(fixTrailingBits(url));
    throw e;
  }
}

function fixTrailingBits(url: string): string {
  const last = url.length - 1;
  const idx = STD.indexOf(url[last] === '-' ? '+' : url[last] === '_' ? '/' : url[last]!);
  const mask = url.length % 4 === 2 ? 0x30 : 0x3c;
  const fixed = STD[idx & mask]!;
  return url.slice(0, last) + (fixed === '+' ? '-' : fixed === '/' ? '_' : fixed);
}

/** JOSE members are strict base64url (RFC 7515 §2); whitespace is not tolerated here. */
export { decodeBase64url, encodeBase64url };
