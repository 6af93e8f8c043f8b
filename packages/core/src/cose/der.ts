/**
 * A tiny DER reader (X.690 §8, definite lengths only), just enough to find the algorithm OIDs of
 * SubjectPublicKeyInfo / PrivateKeyInfo and the SubjectPublicKeyInfo inside a certificate, without
 * pulling an ASN.1 library into the cose layer. Every error is CoseKeyInvalid.
 */
import { CoseKeyInvalid } from './errors.js';

export interface DerNode {
  tag: number;
  /** The whole TLV. */
  der: Uint8Array;
  /** The value octets. */
  value: Uint8Array;
}

/** Reads the TLV at `offset`; returns it and the offset after it. */
export function readDer(bytes: Uint8Array, offset = 0): { node: DerNode; next: number } {
  const fail = (): never => {
    throw new CoseKeyInvalid('malformed DER');
  };
  if (offset + 2 > bytes.length) fail();
  const tag = bytes[offset]!;
  if ((tag & 0x1f) === 0x1f) fail(); // high tag numbers do not occur in the structures read here
  let len = bytes[offset + 1]!;
  let p = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || p + n > bytes.length) fail();
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + bytes[p++]!;
  }
  if (p + len > bytes.length) fail();
  return { node: { tag, der: bytes.subarray(offset, p + len), value: bytes.subarray(p, p + len) }, next: p + len };
}

/** The children of a constructed node. */
export function derChildren(node: DerNode): DerNode[] {
  if (!(node.tag & 0x20)) throw new CoseKeyInvalid('malformed DER: not constructed');
  const out: DerNode[] = [];
  for (let p = 0; p < node.value.length; ) {
    const r = readDer(node.value, p);
    out.push(r.node);
    p = r.next;
  }
  return out;
}

/** Reads exactly one TLV spanning all of `bytes`. */
export function readDerExact(bytes: Uint8Array): DerNode {
  const { node, next } = readDer(bytes);
  if (next !== bytes.length) throw new CoseKeyInvalid('malformed DER: trailing bytes');
  return node;
}

/** Dotted form of an OBJECT IDENTIFIER value. */
export function oidToString(value: Uint8Array): string {
  if (value.length === 0) throw new CoseKeyInvalid('malformed DER: empty OID');
  const parts: number[] = [];
  let n = 0;
  for (const b of value) {
    n = n * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      parts.push(n);
      n = 0;
    }
  }
  const first = parts.shift()!;
  return [Math.min(2, Math.floor(first / 40)), first - 40 * Math.min(2, Math.floor(first / 40)), ...parts].join('.');
}

export const DER_TAG = { INTEGER: 0x02, BIT_STRING: 0x03, OCTET_STRING: 0x04, NULL: 0x05, OID: 0x06, SEQUENCE: 0x30 } as const;
