/**
 * The encoder: one item of the otrp data model (cbor-value.ts) in preferred serialization
 * (RFC 8949 §4.1), maps in insertion order (the drafts' vectors are not sorted), or in core
 * deterministic encoding (RFC 8949 §4.2.1: map keys sorted bytewise by their encoding) on request.
 *
 * It writes through ByteWriter rather than cborg's encoder because cborg has no token for simple
 * values and always picks its own float width; the same writer serves the EDN parser.
 */
import { CborFloat, CborSimple, CborTag, type CborValue } from './cbor-value.js';
import { CborUnencodable, CborError } from './errors.js';
import { MT } from './head.js';
import { ByteWriter } from './writer.js';

const utf8 = new TextEncoder();
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const TWO_POW_64 = 2 ** 64;

export function encodeItem(w: ByteWriter, v: CborValue, deterministic: boolean): void {
  try {
    write(w, v, deterministic);
  } catch (e) {
    if (e instanceof CborError) throw e;
    // A cyclic or absurdly deep value overflows the stack; report it as unencodable input.
    throw new CborUnencodable('value is cyclic or nested too deeply to encode', { cause: e });
  }
}

function write(w: ByteWriter, v: CborValue, det: boolean): void {
  switch (typeof v) {
    case 'number':
      if (Number.isInteger(v) && Math.abs(v) < TWO_POW_64) {
        if (Number.isSafeInteger(v)) v >= 0 ? w.head(MT.UINT, v) : w.head(MT.NEGINT, -1 - v);
        else v >= 0 ? w.head(MT.UINT, BigInt(v)) : w.head(MT.NEGINT, -1n - BigInt(v));
      } else {
        w.float(v);
      }
      return;
    case 'bigint':
      if (v >= 0n) w.head(MT.UINT, v);
      else w.head(MT.NEGINT, -1n - v);
      return;
    case 'string': {
      if (LONE_SURROGATE.test(v)) throw new CborUnencodable('text string holds a lone surrogate (not valid UTF-8)');
      const b = utf8.encode(v);
      w.head(MT.TEXT, b.length);
      w.bytes(b);
      return;
    }
    case 'boolean':
      w.byte(v ? 0xf5 : 0xf4);
      return;
    case 'undefined':
      w.byte(0xf7);
      return;
    case 'object':
      if (v === null) w.byte(0xf6);
      else if (v instanceof Uint8Array) {
        w.head(MT.BYTES, v.length);
        w.bytes(v);
      } else if (Array.isArray(v)) {
        w.head(MT.ARRAY, v.length);
        for (const item of v) write(w, item, det);
      } else if (v instanceof Map) writeMap(w, v, det);
      else if (v instanceof CborTag) {
        w.head(MT.TAG, v.tag);
        write(w, v.value, det);
      } else if (v instanceof CborFloat) w.float(v.value, det ? undefined : v.width);
      else if (v instanceof CborSimple) w.simple(v.value);
      else throw new CborUnencodable(`${(v as object).constructor?.name ?? 'object'} is not in the CBOR data model (maps must be Map)`);
      return;
    default:
      throw new CborUnencodable(`a ${typeof v} cannot be encoded as CBOR`);
  }
}

function writeMap(w: ByteWriter, m: Map<CborValue, CborValue>, det: boolean): void {
  w.head(MT.MAP, m.size);
  if (!det) {
    for (const [k, v] of m) {
      write(w, k, det);
      write(w, v, det);
    }
    return;
  }
  // RFC 8949 §4.2.1: sort by the bytewise lexicographic order of the keys' deterministic encodings.
  const entries = [...m].map(([k, v]) => {
    const kw = new ByteWriter(16);
    write(kw, k, true);
    return { key: kw.finish(), value: v };
  });
  entries.sort((a, b) => compareBytes(a.key, b.key));
  for (const e of entries) {
    w.bytes(e.key);
    write(w, e.value, det);
  }
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}
