/**
 * A growable byte buffer that writes CBOR heads, used by the encoder (preferred serialization) and
 * by the EDN parser, which may ask for a particular head width (`_0`..`_3`, `_i`) or an
 * indefinite-length head (RFC 8949 §3.2; RFC 8610 App. G.2 encoding indicators).
 */
import { CborUnencodable } from './errors.js';
import { AI, minimalAi } from './head.js';
import { fitsFloatWidth, preferredFloatWidth, writeFloat, type FloatWidth } from './float.js';

const MAX_UINT64 = 0xffff_ffff_ffff_ffffn;

export class ByteWriter {
  private buf: Uint8Array<ArrayBuffer>;
  private len = 0;

  /** `capacity`: the initial buffer size (it grows by doubling). */
  constructor(capacity = 256) {
    this.buf = new Uint8Array(Math.max(1, capacity));
  }

  get length(): number {
    return this.len;
  }

  /** The buffer size reached so far. */
  get capacity(): number {
    return this.buf.length;
  }

  /** Forgets what was written; the buffer is kept for reuse. */
  reset(): void {
    this.len = 0;
  }

  private reserve(n: number): number {
    const at = this.len;
    if (at + n > this.buf.length) {
      let size = this.buf.length * 2;
      while (size < at + n) size *= 2;
      const next = new Uint8Array(size);
      next.set(this.buf.subarray(0, at));
      this.buf = next;
    }
    this.len = at + n;
    return at;
  }

  byte(b: number): void {
    const at = this.reserve(1); // before reading this.buf: reserve may replace it
    this.buf[at] = b;
  }

  bytes(b: Uint8Array): void {
    const at = this.reserve(b.length);
    this.buf.set(b, at);
  }

  /**
   * A head with argument `arg`; `ai` forces the additional information (0..23 = the argument itself,
   * 24..27 = 1..8 following bytes), otherwise the shortest form is used.
   */
  head(major: number, arg: number | bigint, ai?: number): void {
    if (arg < 0 || arg > MAX_UINT64 || (typeof arg === 'number' && !Number.isInteger(arg))) {
      throw new CborUnencodable(`argument ${arg} is outside 0..2^64-1`);
    }
    const use = ai ?? minimalAi(arg);
    if (use < 24) {
      if (use !== Number(arg)) throw new CborUnencodable(`argument ${arg} does not fit the initial byte`);
      this.byte((major << 5) | use);
      return;
    }
    const n = 1 << (use - AI.ONE_BYTE);
    if (use > AI.EIGHT_BYTES || (typeof arg === 'number' ? arg >= 2 ** (8 * n) : arg >= 1n << BigInt(8 * n))) {
      throw new CborUnencodable(`argument ${arg} does not fit in ${n} byte(s)`);
    }
    const at = this.reserve(1 + n);
    this.buf[at] = (major << 5) | use;
    if (n === 8) {
      const big = BigInt(arg);
      writeUint32(this.buf, at + 1, Number(big >> 32n));
      writeUint32(this.buf, at + 5, Number(big & 0xffff_ffffn));
    } else {
      let v = Number(arg);
      for (let i = n; i >= 1; i--) {
        this.buf[at + i] = v & 0xff;
        v = Math.floor(v / 256);
      }
    }
  }

  /** The initial byte of an indefinite-length item (RFC 8949 §3.2.1, §3.2.2). */
  indefinite(major: number): void {
    this.byte((major << 5) | AI.INDEFINITE);
  }

  /** The "break" stop code 0xff. */
  break(): void {
    this.byte(0xff);
  }

  /** A float in `width` bytes, or in its preferred (shortest exact) width (RFC 8949 §4.1). */
  float(v: number, width?: FloatWidth): void {
    const w = width ?? preferredFloatWidth(v);
    if (!fitsFloatWidth(v, w)) throw new CborUnencodable(`${v} is not exact in a ${w}-byte float`);
    const at = this.reserve(1 + w);
    this.buf[at] = 0xe0 | (w === 2 ? AI.TWO_BYTES : w === 4 ? AI.FOUR_BYTES : AI.EIGHT_BYTES);
    writeFloat(this.buf, at + 1, v, w);
  }

  /** A simple value (RFC 8949 §3.3): 0..23 in the initial byte, 32..255 in one extra byte. */
  simple(n: number): void {
    if (!Number.isInteger(n) || n < 0 || n > 255 || (n >= 24 && n < 32)) throw new CborUnencodable(`simple(${n}) is not a valid simple value`);
    this.head(7, n);
  }

  /** A copy of the bytes written so far. */
  finish(): Uint8Array<ArrayBuffer> {
    return this.buf.slice(0, this.len);
  }
}

function writeUint32(out: Uint8Array, p: number, v: number): void {
  out[p] = v >>> 24;
  out[p + 1] = (v >>> 16) & 0xff;
  out[p + 2] = (v >>> 8) & 0xff;
  out[p + 3] = v & 0xff;
}
