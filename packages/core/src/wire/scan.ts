/**
 * The well-formedness pre-scan (RFC 8949 §3, App. C), run before cborg builds anything.
 *
 * It walks one item iteratively (an explicit stack, no recursion) and enforces, before a single
 * value is allocated: the depth limit (cborg recurses per level and overflows the stack on ~100k
 * nested arrays), declared lengths and counts against the bytes that remain (a bstr claiming 2^32
 * bytes in a 10-byte input fails here), indefinite lengths only when allowed, reserved and ill-formed
 * initial bytes, a break only inside an indefinite item, string chunks of the right type (§3.2.3),
 * two-byte simple values >= 32 (§3.3), and, on request, preferred serialization (§4.1).
 * UTF-8 is checked when the text is decoded (tokenizer.ts).
 */
import { CborDepthExceeded, CborIndefinite, CborMalformed, CborNotPreferred, CborTruncated } from './errors.js';
import { AI, MT, isMinimalHead, readHeadInto, type MutableHead } from './head.js';
import { preferredFloatWidth, readFloat, type FloatWidth } from './float.js';

export interface ScanOptions {
  maxDepth: number;
  allowIndefinite: boolean;
  requirePreferred: boolean;
}

export interface ScanResult {
  /** Offset just after the item. */
  end: number;
  /** Some map key is not a number, bigint, text string or false/true/null/undefined: duplicate
   * keys of that kind are found by content after decoding, not by cborg's Map lookup. */
  objectKeys: boolean;
}

const enum Kind {
  Array,
  Map,
  Tag,
  Chunks,
}

interface Frame {
  kind: Kind;
  /** Items still expected (Infinity for indefinite length). */
  remaining: number;
  /** Items seen (for maps: even = a key comes next). */
  seen: number;
  /** For Chunks: the major type every chunk must have. */
  major: number;
}

/** The head being looked at (scanItem runs to completion without calling out: one object will do). */
const h: MutableHead = { major: 0, ai: 0, arg: 0, length: 0 };

export function scanItem(data: Uint8Array, start: number, opts: ScanOptions): ScanResult {
  const stack: Frame[] = [];
  let depth = 0;
  let objectKeys = false;
  let pos = start;
  for (;;) {
    readHeadInto(data, pos, h);
    const top = stack[stack.length - 1];
    if (h.major === MT.SIMPLE_FLOAT && h.ai === AI.INDEFINITE) {
      if (!top || top.remaining !== Infinity) throw new CborMalformed('break outside an indefinite-length item', { offset: pos });
      if (top.kind === Kind.Map && top.seen % 2 === 1) throw new CborMalformed('break after a map key without its value', { offset: pos });
      pos += 1;
      stack.pop();
      if (top.kind !== Kind.Chunks) depth--;
    } else {
      if (top?.kind === Kind.Chunks && (h.major !== top.major || h.ai === AI.INDEFINITE)) {
        throw new CborMalformed('an indefinite-length string holds a chunk that is not a definite string of its type', { offset: pos });
      }
      if (top?.kind === Kind.Map && top.seen % 2 === 0 && isObjectKey(h.major, h.ai)) objectKeys = true;
      if (opts.requirePreferred && !isMinimalHead(h)) throw new CborNotPreferred('argument not in its shortest form', { offset: pos });
      const left = data.length - pos - h.length;
      switch (h.major) {
        case MT.UINT:
        case MT.NEGINT:
          if (h.ai === AI.INDEFINITE) throw new CborMalformed('indefinite length on an integer', { offset: pos });
          pos += h.length;
          break;
        case MT.BYTES:
        case MT.TEXT:
          if (h.ai === AI.INDEFINITE) {
            if (!opts.allowIndefinite) throw new CborIndefinite('indefinite-length string not allowed', { offset: pos });
            stack.push({ kind: Kind.Chunks, remaining: Infinity, seen: 0, major: h.major });
            pos += 1;
            continue;
          }
          if (h.arg > left) throw new CborTruncated(`string of ${h.arg} bytes but only ${left} remain`, { offset: pos });
          pos += h.length + Number(h.arg);
          break;
        case MT.ARRAY:
        case MT.MAP: {
          if (depth >= opts.maxDepth) throw new CborDepthExceeded(`nesting deeper than ${opts.maxDepth}`, { offset: pos });
          const kind = h.major === MT.ARRAY ? Kind.Array : Kind.Map;
          if (h.ai === AI.INDEFINITE) {
            if (!opts.allowIndefinite) throw new CborIndefinite('indefinite-length array or map not allowed', { offset: pos });
            stack.push({ kind, remaining: Infinity, seen: 0, major: h.major });
            depth++;
            pos += 1;
            continue;
          }
          // Every item takes at least one byte: a count beyond the remaining bytes cannot be satisfied.
          const items = h.major === MT.MAP ? Number(h.arg) * 2 : Number(h.arg);
          if (items > left) throw new CborTruncated(`${h.major === MT.MAP ? 'map' : 'array'} of ${h.arg} entries but only ${left} bytes remain`, { offset: pos });
          pos += h.length;
          if (items > 0) {
            stack.push({ kind, remaining: items, seen: 0, major: h.major });
            depth++;
            continue;
          }
          break;
        }
        case MT.TAG:
          if (h.ai === AI.INDEFINITE) throw new CborMalformed('indefinite length on a tag', { offset: pos });
          if (depth >= opts.maxDepth) throw new CborDepthExceeded(`nesting deeper than ${opts.maxDepth}`, { offset: pos });
          stack.push({ kind: Kind.Tag, remaining: 1, seen: 0, major: h.major });
          depth++;
          pos += h.length;
          continue;
        default:
          if (h.ai === AI.ONE_BYTE && (h.arg as number) < 32) {
            throw new CborMalformed(`two-byte simple value ${h.arg} (must be >= 32)`, { offset: pos });
          }
          if (h.ai >= AI.TWO_BYTES && opts.requirePreferred) {
            const width = (1 << (h.ai - AI.ONE_BYTE)) as FloatWidth;
            const value = readFloat(data, pos + 1, width);
            if (preferredFloatWidth(value) !== width) throw new CborNotPreferred(`float ${value} not in its shortest form`, { offset: pos });
          }
          pos += h.length;
      }
    }
    // One complete item ended at `pos`: count it in its parents, closing every finished container.
    for (;;) {
      const f = stack[stack.length - 1];
      if (!f) return { end: pos, objectKeys };
      if (f.kind === Kind.Chunks) break;
      f.seen++;
      if (--f.remaining > 0) break;
      stack.pop();
      depth--;
    }
  }
}

/** Map keys that cborg's Map cannot compare by value (see ScanResult.objectKeys). */
function isObjectKey(major: number, ai: number): boolean {
  if (major === MT.UINT || major === MT.NEGINT || major === MT.TEXT) return false;
  if (major === MT.SIMPLE_FLOAT) return !(ai >= AI.FALSE && ai <= AI.UNDEFINED);
  return true;
}
