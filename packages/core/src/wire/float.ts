/**
 * IEEE 754 half/single/double conversions for CBOR major type 7 (RFC 8949 §3.3, App. D) and the
 * preferred (shortest exact) float width of RFC 8949 §4.1.
 */

export type FloatWidth = 2 | 4 | 8;

/** Decodes a binary16 value (RFC 8949 App. D). */
export function decodeHalf(bits: number): number {
  const exp = (bits >> 10) & 0x1f;
  const mant = bits & 0x3ff;
  let v: number;
  if (exp === 0) v = mant * 2 ** -24;
  else if (exp !== 31) v = (mant + 1024) * 2 ** (exp - 25);
  else v = mant === 0 ? Infinity : NaN;
  return bits & 0x8000 ? -v : v;
}

/** The binary16 bits that hold `v` exactly, or undefined when binary16 cannot. NaN gives 0x7e00. */
export function encodeHalf(v: number): number | undefined {
  if (Number.isNaN(v)) return 0x7e00;
  const sign = v < 0 || Object.is(v, -0) ? 0x8000 : 0;
  const a = Math.abs(v);
  if (a === Infinity) return sign | 0x7c00;
  if (a === 0) return sign;
  if (a > 65504) return undefined;
  if (a < 2 ** -14) {
    const m = a * 2 ** 24;
    return Number.isInteger(m) ? sign | m : undefined;
  }
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  const m = (a / 2 ** e - 1) * 1024;
  if (!Number.isInteger(m)) return undefined;
  return sign | ((e + 15) << 10) | m;
}

/** Shortest width that keeps `v` exactly (RFC 8949 §4.1); NaN and the infinities fit in 2 bytes. */
export function preferredFloatWidth(v: number): FloatWidth {
  if (encodeHalf(v) !== undefined) return 2;
  if (Object.is(Math.fround(v), v)) return 4;
  return 8;
}

/** True when `v` is exactly representable in `width` bytes. */
export function fitsFloatWidth(v: number, width: FloatWidth): boolean {
  if (width === 8 || Number.isNaN(v)) return true;
  if (width === 4) return Object.is(Math.fround(v), v);
  return encodeHalf(v) !== undefined;
}

/** Reads the float of `width` bytes at `pos` (the bytes after the initial byte). */
export function readFloat(data: Uint8Array, pos: number, width: FloatWidth): number {
  if (width === 2) return decodeHalf((data[pos]! << 8) | data[pos + 1]!);
  const view = new DataView(data.buffer, data.byteOffset + pos, width);
  return width === 4 ? view.getFloat32(0) : view.getFloat64(0);
}

/**
 * Writes `v` (which must fit, see fitsFloatWidth) as `width` big-endian bytes into `out` at `pos`.
 * NaN is always the quiet NaN of its width (7e00, 7fc00000, 7ff8000000000000), as binary16 already
 * was: a JS number does not carry a NaN payload reliably (a received signalling NaN comes back
 * quieted, platform-dependently), so a received payload is not kept.
 */
export function writeFloat(out: Uint8Array, pos: number, v: number, width: FloatWidth): void {
  if (Number.isNaN(v) && width !== 2) {
    out.set(width === 4 ? [0x7f, 0xc0, 0, 0] : [0x7f, 0xf8, 0, 0, 0, 0, 0, 0], pos);
    return;
  }
  if (width === 2) {
    const bits = encodeHalf(v)!;
    out[pos] = bits >> 8;
    out[pos + 1] = bits & 0xff;
    return;
  }
  const view = new DataView(out.buffer, out.byteOffset + pos, width);
  if (width === 4) view.setFloat32(0, v);
  else view.setFloat64(0, v);
}
