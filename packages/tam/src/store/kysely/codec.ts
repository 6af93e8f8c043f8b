/**
 * Conversions between the store's records and SQL values, plus argument checks. Buffer lives only
 * here and in the backends: callers give and get Uint8Array (a copy, so later writes to a caller's
 * array cannot change what the store returns, and no one keeps a view of a driver buffer).
 */
import { StoreInvalidArgument } from '../errors.js';
import type { JsonValue } from '../records.js';

export function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function toBufferOrNull(bytes: Uint8Array | null | undefined): Buffer | null {
  return bytes == null ? null : toBuffer(bytes);
}

export function fromBuffer(buf: Uint8Array): Uint8Array {
  return new Uint8Array(buf);
}

export function fromBufferOrNull(buf: Uint8Array | null): Uint8Array | null {
  return buf === null ? null : new Uint8Array(buf);
}

/** int8 from either backend (number from SQLite, decimal string from pg). */
export function num(v: number | string | bigint): number {
  return typeof v === 'number' ? v : Number(v);
}

export function numOrNull(v: number | string | bigint | null): number | null {
  return v === null ? null : num(v);
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

export function fromHex(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, 'hex'));
}

export function jsonText(v: JsonValue | undefined): string | null {
  return v === undefined || v === null ? null : JSON.stringify(v);
}

export function parseJson(text: string | null): JsonValue {
  return text === null ? null : (JSON.parse(text) as JsonValue);
}

// ---- argument checks: bad input ends in ERR_STORE_INVALID_ARGUMENT, never a driver error ----

export function checkId(v: unknown, what: string): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > 1024) {
    throw new StoreInvalidArgument(`${what} must be a non-empty string of at most 1024 characters`);
  }
  return v;
}

export function checkText(v: unknown, what: string): string {
  if (typeof v !== 'string') throw new StoreInvalidArgument(`${what} must be a string`);
  return v;
}

export function checkTextOrNull(v: unknown, what: string): string | null {
  return v === undefined || v === null ? null : checkText(v, what);
}

export function checkBytes(v: unknown, what: string): Uint8Array {
  if (!(v instanceof Uint8Array)) throw new StoreInvalidArgument(`${what} must be a Uint8Array`);
  return v;
}

export function checkBytesOrNull(v: unknown, what: string): Uint8Array | null {
  return v === undefined || v === null ? null : checkBytes(v, what);
}

/** A non-negative safe integer (sequence numbers, epoch ms). */
export function checkUint(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw new StoreInvalidArgument(`${what} must be a non-negative safe integer`);
  }
  return v;
}

export function checkUintOrNull(v: unknown, what: string): number | null {
  return v === undefined || v === null ? null : checkUint(v, what);
}

export function checkOneOf<T extends string>(v: unknown, allowed: readonly T[], what: string): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new StoreInvalidArgument(`${what} must be one of ${allowed.join(', ')}`);
  }
  return v as T;
}

export function checkBoolean(v: unknown, what: string): boolean {
  if (typeof v !== 'boolean') throw new StoreInvalidArgument(`${what} must be a boolean`);
  return v;
}

/** JSON that survives a round trip (no functions, no cycles, no undefined inside arrays). */
export function checkJson(v: unknown, what: string): JsonValue {
  if (v === undefined) return null;
  try {
    return JSON.parse(JSON.stringify(v)) as JsonValue;
  } catch (e) {
    throw new StoreInvalidArgument(`${what} must be JSON-serializable`, { cause: e });
  }
}

export function checkPaging(options: { limit?: number; offset?: number } | undefined): { limit: number; offset: number } {
  const limit = options?.limit ?? 100;
  const offset = options?.offset ?? 0;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > 1000) {
    throw new StoreInvalidArgument('limit must be an integer from 1 to 1000');
  }
  if (!Number.isSafeInteger(offset) || offset < 0) throw new StoreInvalidArgument('offset must be a non-negative integer');
  return { limit, offset };
}
