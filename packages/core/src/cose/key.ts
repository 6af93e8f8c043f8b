/**
 * COSE_Key (RFC 9052 §7, RFC 9053 §7): the one key type of the cose layer. Keys are plain data;
 * crypto providers import them on use (and cache the import per key object).
 *
 * ```cddl
 * COSE_Key = {
 *     1 => tstr / int,          ; kty
 *     ? 2 => bstr,              ; kid
 *     ? 3 => tstr / int,        ; alg
 *     ? 4 => [+ (tstr / int) ], ; key_ops
 *     ? 5 => bstr,              ; Base IV
 *     * label => values
 * }
 * ```
 * Supported: EC2 P-256/P-384 (x, y, d; compressed points are not), OKP Ed25519/X25519 (x, d),
 * Symmetric (k).
 */
import { decodeCbor, encodeCbor } from '../wire/cbor.js';
import type { CborMap, CborValue } from '../wire/cbor-value.js';
import type { CoseCurve } from './algorithms.js';
import { CoseKeyInvalid } from './errors.js';

/** COSE Key Common Parameters and Key Type Parameters (IANA "COSE Key Common Parameters", "COSE Key Type Parameters"). */
export const COSE_KEY_LABEL = {
  kty: 1,
  kid: 2,
  alg: 3,
  keyOps: 4,
  baseIv: 5,
  crv: -1,
  x: -2,
  y: -3,
  d: -4,
  k: -1,
} as const;

/** IANA "COSE Key Types". */
export const COSE_KTY = { OKP: 1, EC2: 2, Symmetric: 4 } as const;
/** IANA "COSE Elliptic Curves". */
export const COSE_CRV = { 'P-256': 1, 'P-384': 2, X25519: 4, Ed25519: 6 } as const;

export type CoseKty = keyof typeof COSE_KTY;

/** A COSE key. `d` (EC2/OKP) or `k` (Symmetric) make it private/secret. */
export interface CoseKey {
  readonly kty: CoseKty;
  readonly crv?: CoseCurve;
  readonly x?: Uint8Array;
  readonly y?: Uint8Array;
  readonly d?: Uint8Array;
  readonly k?: Uint8Array;
  readonly kid?: Uint8Array;
  /** Algorithm the key is restricted to (RFC 9052 §7.1), a COSE algorithm id. */
  readonly alg?: number;
  readonly keyOps?: readonly (number | string)[];
}

const CURVE_KTY: Record<CoseCurve, CoseKty> = { 'P-256': 'EC2', 'P-384': 'EC2', Ed25519: 'OKP', X25519: 'OKP' };
export const CURVE_SIZE: Record<CoseCurve, number> = { 'P-256': 32, 'P-384': 48, Ed25519: 32, X25519: 32 };

const invert = <T extends Record<string, number>>(t: T) => new Map(Object.entries(t).map(([k, v]) => [v, k as keyof T]));
const KTY_BY_ID = invert(COSE_KTY);
const CRV_BY_ID = invert(COSE_CRV);

/** Checks the members a key must have for its kty/crv and their lengths; returns the key. */
export function checkCoseKey(key: CoseKey): CoseKey {
  const fail = (m: string): never => {
    throw new CoseKeyInvalid(m);
  };
  if (key === null || typeof key !== 'object') fail('key is not an object');
  const isBytes = (v: unknown) => v === undefined || v instanceof Uint8Array;
  for (const m of ['x', 'y', 'd', 'k', 'kid'] as const) if (!isBytes(key[m])) fail(`key member ${m} is not bytes`);
  if (key.kty === 'Symmetric') {
    if (!key.k || key.k.length === 0) fail('symmetric key without k');
    if (key.crv || key.x || key.y || key.d) fail('symmetric key with curve members');
    return key;
  }
  if (key.kty !== 'EC2' && key.kty !== 'OKP') fail('unsupported key type');
  if (!key.crv || CURVE_KTY[key.crv] !== key.kty) fail('unsupported or mismatched curve');
  const n = CURVE_SIZE[key.crv!];
  if (!key.x) fail('key without public part x');
  if (key.x!.length !== n) fail('wrong length of x');
  if (key.kty === 'EC2' && key.y?.length !== n) fail('EC2 key without a y coordinate of the right length');
  if (key.kty === 'OKP' && key.y !== undefined) fail('OKP key with y');
  if (key.d !== undefined && key.d.length !== n) fail('wrong length of d');
  if (key.k !== undefined) fail('asymmetric key with k');
  return key;
}

/** The public part of a key (drops d); symmetric keys have none. */
export function publicCoseKey(key: CoseKey): CoseKey {
  if (key.kty === 'Symmetric') throw new CoseKeyInvalid('symmetric keys have no public part');
  const { d: _d, ...pub } = key;
  return pub;
}

/** True when the key can sign / decrypt (has d or k). */
export function isPrivateCoseKey(key: CoseKey): boolean {
  return key.d !== undefined || key.k !== undefined;
}

/** The COSE_Key map of `key`, members in the registry's usual order (kty, kid, alg, crv, x, y, d). */
export function coseKeyToMap(key: CoseKey): CborMap {
  checkCoseKey(key);
  const m: CborMap = new Map<CborValue, CborValue>([[COSE_KEY_LABEL.kty, COSE_KTY[key.kty]]]);
  if (key.kid) m.set(COSE_KEY_LABEL.kid, key.kid);
  if (key.alg !== undefined) m.set(COSE_KEY_LABEL.alg, key.alg);
  if (key.keyOps) m.set(COSE_KEY_LABEL.keyOps, [...key.keyOps]);
  if (key.kty === 'Symmetric') {
    m.set(COSE_KEY_LABEL.k, key.k!);
    return m;
  }
  m.set(COSE_KEY_LABEL.crv, COSE_CRV[key.crv!]);
  m.set(COSE_KEY_LABEL.x, key.x!);
  if (key.y) m.set(COSE_KEY_LABEL.y, key.y);
  if (key.d) m.set(COSE_KEY_LABEL.d, key.d);
  return m;
}

/** Encodes a COSE_Key as CBOR. */
export function encodeCoseKey(key: CoseKey): Uint8Array {
  return encodeCbor(coseKeyToMap(key));
}

/** Reads a COSE_Key from its decoded map (e.g. the `epk` header). Unknown labels are ignored. */
export function coseKeyFromMap(map: CborValue): CoseKey {
  if (!(map instanceof Map)) throw new CoseKeyInvalid('COSE_Key is not a map');
  const kty = KTY_BY_ID.get(map.get(COSE_KEY_LABEL.kty) as number);
  if (!kty) throw new CoseKeyInvalid('unsupported COSE_Key kty');
  const bytes = (label: number): Uint8Array | undefined => {
    const v = map.get(label);
    if (v === undefined) return undefined;
    if (!(v instanceof Uint8Array)) throw new CoseKeyInvalid(`COSE_Key label ${label} is not a byte string`);
    return v;
  };
  const alg = map.get(COSE_KEY_LABEL.alg);
  if (alg !== undefined && typeof alg !== 'number') throw new CoseKeyInvalid('COSE_Key alg must be an int');
  const ops = map.get(COSE_KEY_LABEL.keyOps);
  if (ops !== undefined && !(Array.isArray(ops) && ops.every((o) => typeof o === 'number' || typeof o === 'string')))
    throw new CoseKeyInvalid('COSE_Key key_ops must be an array of labels');
  const common = {
    ...(bytes(COSE_KEY_LABEL.kid) && { kid: bytes(COSE_KEY_LABEL.kid) }),
    ...(alg !== undefined && { alg }),
    ...(ops !== undefined && { keyOps: ops as (number | string)[] }),
  };
  if (kty === 'Symmetric') return checkCoseKey({ kty, k: bytes(COSE_KEY_LABEL.k)!, ...common });
  const crvId = map.get(COSE_KEY_LABEL.crv);
  const crv = CRV_BY_ID.get(crvId as number);
  if (!crv) throw new CoseKeyInvalid('unsupported COSE_Key curve');
  const y = map.get(COSE_KEY_LABEL.y);
  if (typeof y === 'boolean') throw new CoseKeyInvalid('compressed EC2 points are not supported');
  const key: CoseKey = {
    kty,
    crv,
    ...(bytes(COSE_KEY_LABEL.x) && { x: bytes(COSE_KEY_LABEL.x) }),
    ...(kty === 'EC2' && bytes(COSE_KEY_LABEL.y) && { y: bytes(COSE_KEY_LABEL.y) }),
    ...(bytes(COSE_KEY_LABEL.d) && { d: bytes(COSE_KEY_LABEL.d) }),
    ...common,
  };
  return checkCoseKey(key);
}

/** Decodes a CBOR-encoded COSE_Key. */
export function decodeCoseKey(bytes: Uint8Array): CoseKey {
  let v: CborValue;
  try {
    v = decodeCbor(bytes);
  } catch (e) {
    throw new CoseKeyInvalid('COSE_Key is not well-formed CBOR', { cause: e });
  }
  return coseKeyFromMap(v);
}
