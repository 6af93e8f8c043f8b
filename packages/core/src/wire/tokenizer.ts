/**
 * A cborg tokenizer (cborg's `DecodeTokenizer`) over input the pre-scan (scan.ts) already found
 * well-formed and within limits. cborg builds the tree from these tokens; this file decides what
 * each leaf becomes in the otrp data model (cbor-value.ts), which cborg's own tokenizer cannot:
 * byte strings are views of the input (never copies: later layers sign and hash them), floats are
 * boxed in CborFloat, other simple values in CborSimple, integers beyond 2^53 are bigints, and text
 * is decoded with a fatal UTF-8 decoder (RFC 8949 §3.1: a text string must be valid UTF-8).
 */
import { concatBytes } from './bytes.js';
import { Token, Type } from 'cborg';
import { CborFloat, CborSimple } from './cbor-value.js';
import { CborInvalidUtf8 } from './errors.js';
import { AI, MT, readHeadInto, type MutableHead } from './head.js';
import { preferredFloatWidth, readFloat, type FloatWidth } from './float.js';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
/** The head being read; every use copies what it needs before the next read (no object per token). */
const head: MutableHead = { major: 0, ai: 0, arg: 0, length: 0 };

export class ScannedTokenizer {
  private p: number;

  constructor(
    private readonly data: Uint8Array,
    start: number,
    private readonly end: number,
  ) {
    this.p = start;
  }

  pos(): number {
    return this.p;
  }

  done(): boolean {
    return this.p >= this.end;
  }

  next(): Token {
    const data = this.data;
    const at = this.p;
    readHeadInto(data, at, head);
    // Copied out before anything else reads a head into the shared object (chunks() does).
    const { major, ai, arg } = head;
    this.p += head.length;
    switch (major) {
      case MT.UINT:
        return new Token(Type.uint, arg);
      case MT.NEGINT:
        return new Token(Type.negint, typeof arg === 'number' && arg < Number.MAX_SAFE_INTEGER ? -1 - arg : -1n - BigInt(arg));
      case MT.BYTES:
        return new Token(Type.bytes, ai === AI.INDEFINITE ? concat(this.chunks()) : this.take(Number(arg)));
      case MT.TEXT:
        if (ai === AI.INDEFINITE) return new Token(Type.string, this.chunks().map((c) => text(c, at)).join(''));
        return new Token(Type.string, text(this.take(Number(arg)), at));
      case MT.ARRAY:
        return new Token(Type.array, ai === AI.INDEFINITE ? Infinity : Number(arg));
      case MT.MAP:
        return new Token(Type.map, ai === AI.INDEFINITE ? Infinity : Number(arg));
      case MT.TAG:
        return new Token(Type.tag, arg);
      default:
        return simpleOrFloat(data, at, ai, arg as number);
    }
  }

  private take(n: number): Uint8Array {
    const v = this.data.subarray(this.p, this.p + n);
    this.p += n;
    return v;
  }

  /** The chunks of an indefinite-length string, up to and including the break. */
  private chunks(): Uint8Array[] {
    const out: Uint8Array[] = [];
    while (this.data[this.p] !== 0xff) {
      readHeadInto(this.data, this.p, head);
      this.p += head.length;
      out.push(this.take(Number(head.arg)));
    }
    this.p += 1;
    return out;
  }
}

function simpleOrFloat(data: Uint8Array, at: number, ai: number, arg: number): Token {
  switch (ai) {
    case AI.FALSE:
      return new Token(Type.false, false);
    case AI.TRUE:
      return new Token(Type.true, true);
    case AI.NULL:
      return new Token(Type.null, null);
    case AI.UNDEFINED:
      return new Token(Type.undefined, undefined);
    case AI.INDEFINITE:
      return new Token(Type.break, undefined);
    case AI.TWO_BYTES:
    case AI.FOUR_BYTES:
    case AI.EIGHT_BYTES: {
      const width = (1 << (ai - AI.ONE_BYTE)) as FloatWidth;
      const value = readFloat(data, at + 1, width);
      // Keep a non-preferred width so the item re-encodes to the bytes received (cbor-value.ts).
      return new Token(Type.float, new CborFloat(value, preferredFloatWidth(value) === width ? undefined : width));
    }
    default:
      // A terminal token type carries the box through cborg unchanged.
      return new Token(Type.float, new CborSimple(arg));
  }
}

function text(bytes: Uint8Array, at: number): string {
  try {
    return utf8.decode(bytes);
  } catch (e) {
    throw new CborInvalidUtf8('text string is not valid UTF-8', { offset: at, cause: e });
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  return concatBytes(...parts);
}
