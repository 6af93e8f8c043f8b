/**
 * Plain records <-> CBOR maps with text keys, for the TEE command buffers (tee-commands.ts). Values
 * are Uint8Array, string, number, bigint, boolean, arrays and nested records; `undefined` members
 * are left out. Decoding refuses anything else, so a command handler only ever sees these shapes.
 */
import { decodeCbor, encodeCbor, type CborValue } from '@otrp/core';
import { TeeChannelError } from '../errors.js';

export type RecordValue = Uint8Array | string | number | bigint | boolean | null | readonly RecordValue[] | { readonly [k: string]: RecordValue | undefined };

function toCborValue(v: RecordValue | undefined): CborValue {
  if (v === undefined) return null;
  if (v === null || v instanceof Uint8Array || typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map((x: RecordValue) => toCborValue(x));
  const m = new Map<CborValue, CborValue>();
  for (const [k, x] of Object.entries(v as Record<string, RecordValue | undefined>)) if (x !== undefined) m.set(k, toCborValue(x));
  return m;
}

function fromCborValue(v: CborValue, depth: number): RecordValue {
  if (depth > 16) throw new TeeChannelError('command buffer nested too deeply');
  if (v === null || v instanceof Uint8Array || typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map((x) => fromCborValue(x, depth + 1));
  if (v instanceof Map) {
    const out: Record<string, RecordValue> = {};
    for (const [k, x] of v) {
      if (typeof k !== 'string') throw new TeeChannelError('command buffer map with a non-text key');
      out[k] = fromCborValue(x, depth + 1);
    }
    return out;
  }
  throw new TeeChannelError('command buffer holds an unsupported CBOR item');
}

export function encodeRecord(value: RecordValue): Uint8Array {
  return encodeCbor(toCborValue(value));
}

export function decodeRecord(bytes: Uint8Array): RecordValue {
  let v: CborValue;
  try {
    v = decodeCbor(bytes);
  } catch (e) {
    throw new TeeChannelError('command buffer is not CBOR', { cause: e });
  }
  return fromCborValue(v, 0);
}

// ---- field readers for decoded records (a wrong shape is ERR_TEE_CHANNEL) ----

export type Rec = { readonly [k: string]: RecordValue | undefined };

export function asRec(v: RecordValue | undefined, what: string): Rec {
  if (v !== null && typeof v === 'object' && !(v instanceof Uint8Array) && !Array.isArray(v)) return v as Rec;
  throw new TeeChannelError(`${what}: not a record`);
}

export function str(r: Rec, k: string): string {
  const v = r[k];
  if (typeof v !== 'string') throw new TeeChannelError(`${k}: not text`);
  return v;
}

export function optStr(r: Rec, k: string): string | undefined {
  return r[k] === undefined || r[k] === null ? undefined : str(r, k);
}

export function bytes(r: Rec, k: string): Uint8Array {
  const v = r[k];
  if (!(v instanceof Uint8Array)) throw new TeeChannelError(`${k}: not bytes`);
  return v;
}

export function optBytes(r: Rec, k: string): Uint8Array | undefined {
  return r[k] === undefined || r[k] === null ? undefined : bytes(r, k);
}

export function bytesList(r: Rec, k: string): Uint8Array[] {
  const v = r[k] ?? [];
  if (!Array.isArray(v) || !v.every((x) => x instanceof Uint8Array)) throw new TeeChannelError(`${k}: not a list of byte strings`);
  return v as Uint8Array[];
}

export function list(r: Rec, k: string): readonly RecordValue[] {
  const v = r[k] ?? [];
  if (!Array.isArray(v)) throw new TeeChannelError(`${k}: not a list`);
  return v;
}
