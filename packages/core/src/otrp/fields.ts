/**
 * Readers for OTrP JSON members, liberal where the draft's own text and samples disagree (notes §15
 * A6-A8: booleans as "true"/"1", arrays as one or comma-separated strings, BASE64 or BASE64URL) and
 * strict everywhere else: a wrong type, a missing mandatory member or an undefined member is
 * ERR_REQUEST_INVALID (§13.1.1: "undefined member or structure included").
 */
import { OtrpRequestInvalid, OtrpUnsupportedMsgVersion } from './errors.js';
import { decodeBase64Lenient, encodeBase64 } from '../jose/base64.js';

export type JsonObject = { [k: string]: unknown };

export const OTRP_VERSION = '1.0';

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function object(v: unknown, where: string): JsonObject {
  if (!isObject(v)) throw new OtrpRequestInvalid(`${where}: must be a JSON object`);
  return v;
}

/** Rejects members other than `allowed` (plus `tolerated` legacy ones, which are ignored). */
export function onlyMembers(o: JsonObject, allowed: readonly string[], where: string, tolerated: readonly string[] = []): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k) && !tolerated.includes(k)) throw new OtrpRequestInvalid(`${where}: undefined member "${k}"`);
  }
}

export function str(o: JsonObject, k: string, where: string): string {
  const v = o[k];
  if (typeof v !== 'string') throw new OtrpRequestInvalid(`${where}: "${k}" must be a string`);
  return v;
}

export function optStr(o: JsonObject, k: string, where: string): string | undefined {
  return o[k] === undefined ? undefined : str(o, k, where);
}

/** A boolean, or the draft samples' "true"/"false"/"1"/"0" (A7). */
export function bool(o: JsonObject, k: string, where: string): boolean {
  const v = o[k];
  if (v === true || v === 'true' || v === '1') return true;
  if (v === false || v === 'false' || v === '0') return false;
  if (typeof v === 'string' && /^\s*(true|false)\s*$/.test(v)) return v.trim() === 'true'; // A.2.2.1: " false"
  throw new OtrpRequestInvalid(`${where}: "${k}" must be a boolean`);
}

export function optBool(o: JsonObject, k: string, where: string): boolean | undefined {
  return o[k] === undefined ? undefined : bool(o, k, where);
}

/** An array of strings, or one string (A8; a comma-separated list when `commaList`). */
export function strList(o: JsonObject, k: string, where: string, commaList = false): string[] {
  const v = o[k];
  if (typeof v === 'string') return commaList ? v.split(',').map((s) => s.trim()).filter((s) => s !== '') : [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  throw new OtrpRequestInvalid(`${where}: "${k}" must be an array of strings`);
}

export function optStrList(o: JsonObject, k: string, where: string, commaList = false): string[] | undefined {
  return o[k] === undefined ? undefined : strList(o, k, where, commaList);
}

/** BASE64 binary (A6: BASE64URL accepted). */
export function bytes(o: JsonObject, k: string, where: string): Uint8Array {
  const s = str(o, k, where);
  try {
    return decodeBase64Lenient(s);
  } catch (e) {
    throw new OtrpRequestInvalid(`${where}: "${k}" is not BASE64`, { cause: e });
  }
}

export function b64(b: Uint8Array): string {
  return encodeBase64(b);
}

/** `ver` must be "1.0" (§7.6). */
export function checkVersion(o: JsonObject, where: string): void {
  const v = str(o, 'ver', where);
  if (v !== OTRP_VERSION) throw new OtrpUnsupportedMsgVersion(`${where}: version ${v} is not supported`);
}

/** Drops undefined members, so built messages carry no `"x": undefined` holes. */
export function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
