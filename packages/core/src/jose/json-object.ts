/** Small shape helpers for JOSE JSON members (the jose layer's own, kept below otrp/). */
import { JoseMalformed } from './errors.js';

export type JsonObject = { [k: string]: unknown };

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function requireString(o: JsonObject, member: string, what: string): string {
  const v = o[member];
  if (typeof v !== 'string') throw new JoseMalformed(`${what}: "${member}" must be a string`);
  return v;
}

export function optionalObject(o: JsonObject, member: string, what: string): JsonObject | undefined {
  const v = o[member];
  if (v === undefined) return undefined;
  if (!isObject(v)) throw new JoseMalformed(`${what}: "${member}" must be an object`);
  return v;
}

/** Parses a BASE64URL-encoded JSON object header (RFC 7515 §4, RFC 7516 §4). */
export function decodeJsonHeader(b64: string, what: string, decode: (s: string) => Uint8Array): JsonObject {
  let h: unknown;
  try {
    h = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(decode(b64)));
  } catch (e) {
    throw new JoseMalformed(`${what}: protected header is not BASE64URL-encoded JSON`, { cause: e });
  }
  if (!isObject(h)) throw new JoseMalformed(`${what}: protected header is not a JSON object`);
  return h;
}
