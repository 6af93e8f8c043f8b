/**
 * The few DER encodings OCSP response creation needs (X.690 §8, §10), written out so core needs no
 * direct asn1js dependency; parsing goes through pkijs (ocsp.ts).
 */
export function tlv(tag: number, content: Uint8Array): Uint8Array {
  const n = content.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : n < 0x10000 ? [0x82, n >> 8, n & 0xff] : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  const out = new Uint8Array(1 + len.length + n);
  out[0] = tag;
  out.set(len, 1);
  out.set(content, 1 + len.length);
  return out;
}

import { concatBytes as concat } from '../wire/bytes.js';

export { concat };

export const seq = (...parts: Uint8Array[]) => tlv(0x30, concat(...parts));
export const octets = (b: Uint8Array) => tlv(0x04, b);
export const explicit = (n: number, inner: Uint8Array) => tlv(0xa0 + n, inner);
export const NULL = new Uint8Array([0x05, 0x00]);

/** INTEGER from unsigned big-endian bytes (minimal, non-negative). */
export function integer(bytes: Uint8Array): Uint8Array {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const b = bytes.subarray(i);
  return tlv(0x02, b[0]! & 0x80 ? concat(new Uint8Array([0]), b) : b);
}

export function bitString(bytes: Uint8Array): Uint8Array {
  return tlv(0x03, concat(new Uint8Array([0]), bytes));
}

/** OBJECT IDENTIFIER from dotted text. */
export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map(Number);
  const out: number[] = [arcs[0]! * 40 + arcs[1]!];
  for (const arc of arcs.slice(2)) {
    const stack = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) stack.unshift((v & 0x7f) | 0x80);
    out.push(...stack);
  }
  return tlv(0x06, new Uint8Array(out));
}

/** GeneralizedTime YYYYMMDDHHMMSSZ (RFC 5280 §4.1.2.5.2: no fractional seconds). */
export function generalizedTime(d: Date): Uint8Array {
  const iso = d.toISOString();
  const s = iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 10) + iso.slice(11, 13) + iso.slice(14, 16) + iso.slice(17, 19) + 'Z';
  return tlv(0x18, new TextEncoder().encode(s));
}

/** The content bytes of the BIT STRING subjectPublicKey of a DER SPKI (what issuerKeyHash hashes). */
export function spkiKeyBits(spki: Uint8Array): Uint8Array {
  const skip = (pos: number): { start: number; end: number } => {
    let p = pos + 1;
    let len = spki[p]!;
    p++;
    if (len & 0x80) {
      const n = len & 0x7f;
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + spki[p++]!;
    }
    return { start: p, end: p + len };
  };
  const outer = skip(0);
  const alg = skip(outer.start);
  const bits = skip(alg.end);
  return spki.subarray(bits.start + 1, bits.end); // skip the unused-bits octet
}

/** ECDSA signature: WebCrypto's r||s to DER Ecdsa-Sig-Value (RFC 3279 §2.2.3). */
export function ecdsaDer(raw: Uint8Array): Uint8Array {
  const h = raw.length / 2;
  return seq(integer(raw.subarray(0, h)), integer(raw.subarray(h)));
}
