/**
 * Small helpers shared by the SUIT codecs: strict decoding into typed errors, bstr wrapping and
 * constant-time comparison. Internal to suit/.
 */
import { bytesEqual, concatBytes } from '../wire/bytes.js';
import { decodeCbor } from '../wire/cbor.js';
import { toHex } from '../wire/hex.js';
import { CborTag, type CborMap, type CborValue } from '../wire/cbor-value.js';
import { SuitMalformed } from './errors.js';

/**
 * Decodes one item. Preferred serialization is required so that a bstr header rebuilt from a length
 * (see `bstrWrap`) is byte-for-byte the received one: SUIT digests cover the header (manifest-37 §8.3).
 */
export function decodeSuitCbor(bytes: Uint8Array, what: string): CborValue {
  try {
    return decodeCbor(bytes, { requirePreferred: true });
  } catch (e) {
    throw new SuitMalformed(`${what}: not well-formed CBOR`, { cause: e });
  }
}

/** The CBOR encoding of `content` as a definite-length byte string (header + content). */
export function bstrWrap(content: Uint8Array): Uint8Array {
  const n = content.length;
  let header: number[];
  if (n < 24) header = [0x40 | n];
  else if (n < 0x100) header = [0x58, n];
  else if (n < 0x10000) header = [0x59, n >>> 8, n & 0xff];
  else header = [0x5a, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
  const out = new Uint8Array(header.length + n);
  out.set(header, 0);
  out.set(content, header.length);
  return out;
}

export function isMap(v: CborValue): v is CborMap {
  return v instanceof Map;
}

export function isBytes(v: CborValue): v is Uint8Array {
  return v instanceof Uint8Array;
}

export function isUint(v: CborValue): v is number | bigint {
  return (typeof v === 'number' && Number.isInteger(v) && v >= 0) || (typeof v === 'bigint' && v >= 0n);
}

export function isInt(v: CborValue): v is number | bigint {
  return (typeof v === 'number' && Number.isInteger(v)) || typeof v === 'bigint';
}

/** A small non-negative integer used as an index or length; anything else is malformed. */
export function asIndex(v: CborValue, what: string): number {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffff) return v;
  throw new SuitMalformed(`${what}: expected a small unsigned integer`);
}

export function expectMap(v: CborValue, what: string): CborMap {
  if (!isMap(v)) throw new SuitMalformed(`${what}: expected a map`);
  return v;
}

export function expectBytes(v: CborValue, what: string): Uint8Array {
  if (!isBytes(v)) throw new SuitMalformed(`${what}: expected a byte string`);
  return v;
}

export function expectArray(v: CborValue, what: string): CborValue[] {
  if (!Array.isArray(v)) throw new SuitMalformed(`${what}: expected an array`);
  return v;
}

/** Removes an optional tag; any other tag is malformed. */
export function untag(v: CborValue, tag: number, what: string): { value: CborValue; tagged: boolean } {
  if (v instanceof CborTag) {
    if (Number(v.tag) !== tag) throw new SuitMalformed(`${what}: unexpected CBOR tag ${String(v.tag)}`);
    return { value: v.value, tagged: true };
  }
  return { value: v, tagged: false };
}

/** SUIT_Component_Identifier = [* bstr] (manifest-37 §8.4.5.1). */
export function decodeComponentId(v: CborValue, what: string): Uint8Array[] {
  return expectArray(v, what).map((p) => expectBytes(p, what));
}

/** Constant-time for equal lengths: also the comparison for digests and MACs. */
export { bytesEqual, concatBytes, toHex };

export function componentIdEqual(a: readonly Uint8Array[], b: readonly Uint8Array[]): boolean {
  return a.length === b.length && a.every((p, i) => bytesEqual(p, b[i]!));
}
