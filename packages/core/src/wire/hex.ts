/**
 * Hex (base16, RFC 4648 §8) for Uint8Array, without Node's Buffer so the core stays runtime-neutral.
 */
import { EncodingError } from '../errors.js';

const DIGITS = '0123456789abcdef';

/** Lowercase hex of `bytes`. */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    s += DIGITS[b >> 4]! + DIGITS[b & 15]!;
  }
  return s;
}

/**
 * Parses hex, upper or lower case. With `ignoreWhitespace` (for hex files and pasted dumps) spaces,
 * tabs and line breaks anywhere are skipped; anything else that is not a hex digit, or an odd
 * number of digits, is an EncodingError (ERR_ENCODING).
 */
export function fromHex(text: string, options: { ignoreWhitespace?: boolean } = {}): Uint8Array<ArrayBuffer> {
  const s = options.ignoreWhitespace ? text.replace(/\s+/g, '') : text;
  if (s.length % 2 !== 0) throw new EncodingError('hex text has an odd number of digits');
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = nibble(s.charCodeAt(2 * i));
    const lo = nibble(s.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) throw new EncodingError(`invalid hex digit near offset ${2 * i}`);
    out[i] = (hi << 4) | lo;
  }
  return out;
}

function nibble(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}
