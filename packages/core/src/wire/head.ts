/**
 * CBOR heads (RFC 8949 §3): the initial byte (major type + additional information) and the argument
 * that follows it. Shared by the pre-scan, the cborg tokenizer, the printers and the writer.
 */
import { CborMalformed, CborTruncated } from './errors.js';

/** Major types, RFC 8949 §3.1 (IANA "Concise Binary Object Representation (CBOR)" data model). */
export const MT = {
  UINT: 0,
  NEGINT: 1,
  BYTES: 2,
  TEXT: 3,
  ARRAY: 4,
  MAP: 5,
  TAG: 6,
  SIMPLE_FLOAT: 7,
} as const;

/** Additional-information values with a meaning of their own, RFC 8949 §3 and §3.3. */
export const AI = {
  ONE_BYTE: 24,
  TWO_BYTES: 25,
  FOUR_BYTES: 26,
  EIGHT_BYTES: 27,
  INDEFINITE: 31,
  FALSE: 20,
  TRUE: 21,
  NULL: 22,
  UNDEFINED: 23,
} as const;

export interface Head {
  readonly major: number;
  readonly ai: number;
  /** The argument: a count, length, value or tag number; for floats the raw bits (unused). */
  readonly arg: number | bigint;
  /** Bytes taken by the head itself (1, 2, 3, 5 or 9). */
  readonly length: number;
}

const TWO_POW_32 = 0x1_0000_0000;

/**
 * Reads the head at `pos`. Reserved additional information 28..30 is not well-formed (RFC 8949
 * §3, App. F), so it is an error here; AI 31 is returned as is (the callers know where it may occur).
 */
export function readHead(data: Uint8Array, pos: number): Head {
  const h: MutableHead = { major: 0, ai: 0, arg: 0, length: 0 };
  readHeadInto(data, pos, h);
  return h;
}

/** A Head the hot decoding loops fill in place (no object per item). */
export interface MutableHead {
  major: number;
  ai: number;
  arg: number | bigint;
  length: number;
}

/** readHead into `out` (same checks, same errors); the decoders' loops reuse one object. */
export function readHeadInto(data: Uint8Array, pos: number, out: MutableHead): void {
  if (pos >= data.length) throw new CborTruncated('input ends where an item was expected', { offset: pos });
  const ib = data[pos]!;
  const major = ib >> 5;
  const ai = ib & 0x1f;
  out.major = major;
  out.ai = ai;
  if (ai < 24 || ai === AI.INDEFINITE) {
    out.arg = ai;
    out.length = 1;
    return;
  }
  if (ai > AI.EIGHT_BYTES) throw new CborMalformed(`reserved additional information ${ai}`, { offset: pos });
  const n = 1 << (ai - AI.ONE_BYTE);
  if (pos + 1 + n > data.length) throw new CborTruncated('input ends inside a head', { offset: pos });
  if (n === 1) out.arg = data[pos + 1]!;
  else if (n === 2) out.arg = (data[pos + 1]! << 8) | data[pos + 2]!;
  else if (n === 4) out.arg = readUint32(data, pos + 1);
  else {
    const hi = readUint32(data, pos + 1);
    const lo = readUint32(data, pos + 5);
    out.arg = hi < 0x20_0000 ? hi * TWO_POW_32 + lo : (BigInt(hi) << 32n) | BigInt(lo);
  }
  out.length = 1 + n;
}

function readUint32(data: Uint8Array, p: number): number {
  return ((data[p]! << 24) >>> 0) + ((data[p + 1]! << 16) | (data[p + 2]! << 8) | data[p + 3]!);
}

/** The additional information preferred serialization uses for `arg` (RFC 8949 §4.1: shortest form). */
export function minimalAi(arg: number | bigint): number {
  if (arg < 24) return Number(arg);
  if (arg <= 0xff) return AI.ONE_BYTE;
  if (arg <= 0xffff) return AI.TWO_BYTES;
  if (arg <= 0xffff_ffff) return AI.FOUR_BYTES;
  return AI.EIGHT_BYTES;
}

/** True when the head's argument is in its shortest form (floats are checked separately). */
export function isMinimalHead(h: Head): boolean {
  if (h.major === MT.SIMPLE_FLOAT && h.ai >= AI.TWO_BYTES) return true;
  return h.ai >= AI.INDEFINITE || h.ai === minimalAi(h.arg);
}
