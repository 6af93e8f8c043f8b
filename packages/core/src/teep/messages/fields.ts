/**
 * CDDL-level checks shared by the TEEP message codecs (draft-ietf-teep-protocol-26 Appendix C).
 * Each check takes the decoded CBOR value and a field name for the error message, and returns the
 * value typed, or throws a TeepError. Byte strings are returned as received (views), never copied.
 */
import { CborTag, type CborMap, type CborValue } from '../../wire/cbor-value.js';
import { TeepFieldSize, TeepInvalidField } from '../errors.js';
import type { SuitCoseProfile, TeepCipherSuite } from '../profiles.js';

/** `SUIT_Component_Identifier = [* bstr]` (draft-ietf-suit-manifest-37 §8.4.5.1). */
export type SuitComponentIdentifier = readonly Uint8Array[];

const utf8 = new TextEncoder();

function typeName(v: CborValue): string {
  if (v === null) return 'null';
  if (v instanceof Uint8Array) return 'bstr';
  if (Array.isArray(v)) return 'array';
  if (v instanceof Map) return 'map';
  if (v instanceof CborTag) return `tag ${String(v.tag)}`;
  if (typeof v === 'string') return 'text';
  if (typeof v === 'number' || typeof v === 'bigint') return Number.isInteger(Number(v)) || typeof v === 'bigint' ? 'int' : 'float';
  return typeof v;
}

function wrongType(field: string, want: string, v: CborValue): TeepInvalidField {
  return new TeepInvalidField(`${field}: expected ${want}, got ${typeName(v)}`);
}

export function expectBstr(v: CborValue, field: string, min = 0, max = Infinity): Uint8Array {
  if (!(v instanceof Uint8Array)) throw wrongType(field, 'bstr', v);
  if (v.length < min || v.length > max) throw new TeepFieldSize(`${field}: ${v.length} bytes, expected ${min}..${max}`);
  return v;
}

/** `token => bstr .size (8..64)` (-26 §4.2). */
export function expectToken(v: CborValue, field = 'token'): Uint8Array {
  return expectBstr(v, field, 8, 64);
}

/** `challenge => bstr .size (8..512)` (-26 §4.2). */
export function expectChallenge(v: CborValue, field = 'challenge'): Uint8Array {
  return expectBstr(v, field, 8, 512);
}

/** `text .size (min..max)`: the size of a text string counts UTF-8 bytes (RFC 8610 §3.8.1). */
export function expectText(v: CborValue, field: string, min = 0, max = Infinity): string {
  if (typeof v !== 'string') throw wrongType(field, 'text', v);
  const n = utf8.encode(v).length;
  if (n < min || n > max) throw new TeepFieldSize(`${field}: ${n} bytes of text, expected ${min}..${max}`);
  return v;
}

export function expectBool(v: CborValue, field: string): boolean {
  if (typeof v !== 'boolean') throw wrongType(field, 'bool', v);
  return v;
}

/** `uint`, up to `max` (e.g. `uint .size 4` is 0..2^32-1); always a JS number. */
export function expectUint(v: CborValue, field: string, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v === 'bigint') {
    if (v < 0n) throw wrongType(field, 'uint', v);
    throw new TeepFieldSize(`${field}: ${v} is out of range (max ${max})`);
  }
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw wrongType(field, 'uint', v);
  if (v > max) throw new TeepFieldSize(`${field}: ${v} is out of range (max ${max})`);
  return v;
}

/** A `uint` of any size (e.g. a SUIT sequence number): a number when safe, else a bigint. */
export function expectBigUint(v: CborValue, field: string): number | bigint {
  if (typeof v === 'bigint') {
    if (v < 0n) throw wrongType(field, 'uint', v);
    return v;
  }
  return expectUint(v, field);
}

/** `int` within the safe JS range (COSE algorithm and type identifiers). */
export function expectInt(v: CborValue, field: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    if (typeof v === 'bigint') throw new TeepFieldSize(`${field}: ${v} is out of range`);
    throw wrongType(field, 'int', v);
  }
  return v;
}

export const UINT32_MAX = 0xffff_ffff;

/** An array; `nonEmpty` for the CDDL `[+ ...]`. */
export function expectArray(v: CborValue, field: string, nonEmpty: boolean): CborValue[] {
  if (!Array.isArray(v)) throw wrongType(field, 'array', v);
  if (nonEmpty && v.length === 0) throw new TeepFieldSize(`${field}: empty array, expected at least one entry`);
  return v;
}

export function expectMap(v: CborValue, field: string): CborMap {
  if (!(v instanceof Map)) throw wrongType(field, 'map', v);
  return v;
}

/** `[+ T]` with each entry checked by `each`. */
export function expectList<T>(v: CborValue, field: string, each: (e: CborValue, field: string) => T): T[] {
  return expectArray(v, field, true).map((e, i) => each(e, `${field}[${i}]`));
}

/** `[+ bstr]`: manifest-list (`bstr .cbor SUIT_Envelope`) and suit-reports keep their bytes as received. */
export function expectBstrList(v: CborValue, field: string): Uint8Array[] {
  return expectList(v, field, (e, f) => expectBstr(e, f));
}

/** `[+ version]`, `[+ ext-info]` (`uint .size 4`), `[+ $freshness-mechanism]`. */
export function expectUintList(v: CborValue, field: string, max = UINT32_MAX): number[] {
  return expectList(v, field, (e, f) => expectUint(e, f, max));
}

/**
 * One `$teep-cipher-suite`: `[+ teep-operation]`, each operation `[cose-type, cose-alg]`. The socket
 * is extensible, so only the shape is checked (`[+ [+ int]]`); whether a suite is supported is a
 * negotiation matter (Error 5), not a decode failure.
 */
export function expectCipherSuite(v: CborValue, field: string): TeepCipherSuite {
  return expectList(v, field, (op, f) => expectList(op, f, (n, g) => expectInt(n, g)));
}

export function expectCipherSuites(v: CborValue, field: string): TeepCipherSuite[] {
  return expectList(v, field, expectCipherSuite);
}

/** One `$suit-cose-profile`, checked by shape only (`[+ int]`); support is negotiated (Error 8). */
export function expectSuitCoseProfile(v: CborValue, field: string): SuitCoseProfile {
  return expectList(v, field, (n, f) => expectInt(n, f));
}

export function expectSuitCoseProfiles(v: CborValue, field: string): SuitCoseProfile[] {
  return expectList(v, field, expectSuitCoseProfile);
}

/** `SUIT_Component_Identifier = [* bstr]`. */
export function expectComponentId(v: CborValue, field: string): SuitComponentIdentifier {
  return expectArray(v, field, false).map((e, i) => expectBstr(e, `${field}[${i}]`));
}

/**
 * `system-property-claims = { system-component-id => SUIT_Component_Identifier, + $$SUIT_Parameters }`
 * (draft-ietf-suit-report §4). Kept as the received map; key 0 is checked, parameters are SUIT's.
 */
export function expectSystemPropertyClaims(v: CborValue, field: string): CborMap {
  const m = expectMap(v, field);
  if (!m.has(0)) throw new TeepInvalidField(`${field}: system-component-id (0) is missing`);
  expectComponentId(m.get(0) as CborValue, `${field}.system-component-id`);
  if (m.size < 2) throw new TeepFieldSize(`${field}: expected at least one SUIT parameter besides system-component-id`);
  for (const k of m.keys()) if (typeof k !== 'number' || !Number.isInteger(k)) throw wrongType(`${field} key`, 'int', k);
  return m;
}
