/**
 * The EAT claims-set as the TEEP EAT profile uses it (RFC 9711 §4, RFC 8392 §3, RFC 8747 §3.1;
 * draft-ietf-teep-protocol-26 §5).
 *
 * ```cddl
 * ; RFC 9711 (claim keys from cddl/claim-labels.cddl of the EAT source)
 * cnf = 8           ; RFC 8747: { 1 => COSE_Key } / { 2 => COSE_Encrypt... } / { 3 => kid: bstr }
 * nonce-label = 10  ; eat_nonce: bstr .size (8..64)   (TEEP: a single bstr, never the array form)
 * ueid = 256        ; bstr .size (7..33)
 * oemid = 258       ; int (PEN) / bstr .size 3 (IEEE OUI) / bstr .size 16 (random)
 * hwmodel = 259     ; bstr .size (1..32)
 * hwversion = 260   ; [ version: tstr, ? scheme: int ]
 * profile = 265     ; eat_profile: general-uri / general-oid
 * swname = 270      ; tstr
 * swversion = 271   ; [ version: tstr, ? scheme: int ]
 * manifests = 272   ; [ + [ content-type: uint, content-format: bytes .cbor any / ... ] ]
 * ```
 *
 * Claims not listed here are kept as received in `extra` (in wire order) and re-encoded, so a
 * decoded claims-set re-encodes to identical bytes (claims-encode.ts). Byte strings are views of
 * the input.
 */
import { decodeCbor } from '../wire/cbor.js';
import { CborFloat, type CborMap, type CborValue } from '../wire/cbor-value.js';
import { isOtrpError } from '../errors.js';
import { EatInvalidClaim, EatMalformed } from './errors.js';

/** Claim keys (RFC 9711 §10 / IANA "CBOR Web Token (CWT) Claims"). */
export const EAT_CLAIM = {
  iss: 1,
  sub: 2,
  exp: 4,
  nbf: 5,
  iat: 6,
  cti: 7,
  cnf: 8,
  nonce: 10,
  ueid: 256,
  sueids: 257,
  oemid: 258,
  hwmodel: 259,
  hwversion: 260,
  uptime: 261,
  dbgstat: 263,
  profile: 265,
  submods: 266,
  swname: 270,
  swversion: 271,
  manifests: 272,
  measurements: 273,
} as const;

/** `[version, ? scheme]` (RFC 9711 §4.2.5, §4.2.7). */
export interface EatVersion {
  readonly version: string;
  readonly scheme?: number;
}

/** One entry of `manifests` (RFC 9711 §4.2.15): a CoAP content-format and the manifest bytes. */
export interface EatManifest {
  readonly contentType: number;
  /** `bytes .cbor any` (or other bytes per the content type), as received. */
  readonly body: Uint8Array;
}

/** RFC 8747 §3.1 confirmation: the TEEP profile uses `kid` (RFC 9679 thumbprint). */
export type EatCnf = { readonly kid: Uint8Array } | { readonly coseKey: CborMap } | { readonly encryptedCoseKey: CborValue };

export type NumericDate = number | CborFloat;

export interface EatClaims {
  readonly iss?: string;
  readonly sub?: string;
  readonly exp?: NumericDate;
  readonly nbf?: NumericDate;
  readonly iat?: NumericDate;
  readonly cti?: Uint8Array;
  readonly cnf?: EatCnf;
  readonly nonce?: Uint8Array;
  readonly ueid?: Uint8Array;
  readonly oemid?: number | Uint8Array;
  readonly hwmodel?: Uint8Array;
  readonly hwversion?: EatVersion;
  readonly profile?: string | Uint8Array;
  readonly swname?: string;
  readonly swversion?: EatVersion;
  readonly manifests?: readonly EatManifest[];
  /** Claims this codec does not interpret, in wire order. */
  readonly extra?: ReadonlyArray<readonly [number | string, CborValue]>;
  /** Claim keys in wire order (known claims by name, others by key). */
  readonly claimOrder?: ReadonlyArray<string | number>;
}

export type KnownClaim = Exclude<keyof typeof EAT_CLAIM, 'sueids' | 'uptime' | 'dbgstat' | 'submods' | 'measurements'>;

function invalid(name: string, want: string): EatInvalidClaim {
  return new EatInvalidClaim(`${name}: expected ${want}`);
}
function bstr(v: CborValue, name: string, min = 0, max = Infinity): Uint8Array {
  if (!(v instanceof Uint8Array)) throw invalid(name, 'bstr');
  if (v.length < min || v.length > max) throw new EatInvalidClaim(`${name}: ${v.length} bytes, expected ${min}..${max}`);
  return v;
}
function text(v: CborValue, name: string): string {
  if (typeof v !== 'string') throw invalid(name, 'tstr');
  return v;
}
function numericDate(v: CborValue, name: string): NumericDate {
  if ((typeof v === 'number' && Number.isInteger(v)) || v instanceof CborFloat) return v;
  throw invalid(name, 'NumericDate (int or float)');
}
function version(v: CborValue, name: string): EatVersion {
  if (!Array.isArray(v) || v.length < 1 || v.length > 2) throw invalid(name, '[version: tstr, ? scheme: int]');
  const out: EatVersion = { version: text(v[0] as CborValue, `${name}.version`) };
  if (v.length === 1) return out;
  const scheme = v[1];
  if (typeof scheme !== 'number' || !Number.isInteger(scheme)) throw invalid(`${name}.scheme`, 'int');
  return { ...out, scheme };
}
function cnf(v: CborValue): EatCnf {
  if (!(v instanceof Map) || v.size !== 1) throw invalid('cnf', 'a map with exactly one confirmation method');
  const [[k, val]] = [...v] as [[CborValue, CborValue]];
  if (k === 3) return { kid: bstr(val, 'cnf.kid', 1) };
  if (k === 1) {
    if (!(val instanceof Map)) throw invalid('cnf.COSE_Key', 'map');
    return { coseKey: val };
  }
  if (k === 2) return { encryptedCoseKey: val };
  throw invalid('cnf', 'key 1 (COSE_Key), 2 (Encrypted_COSE_Key) or 3 (kid)');
}
function manifests(v: CborValue): EatManifest[] {
  if (!Array.isArray(v) || v.length === 0) throw invalid('manifests', '[+ [content-type, bytes]]');
  return v.map((e, i) => {
    if (!Array.isArray(e) || e.length !== 2) throw invalid(`manifests[${i}]`, '[content-type: uint, bytes]');
    const ct = e[0];
    if (typeof ct !== 'number' || !Number.isInteger(ct) || ct < 0 || ct > 65535) throw invalid(`manifests[${i}].content-type`, 'uint (CoAP Content-Format)');
    return { contentType: ct, body: bstr(e[1] as CborValue, `manifests[${i}].body`) };
  });
}

export const DECODERS: Record<KnownClaim, (v: CborValue, name: string) => unknown> = {
  iss: text,
  sub: text,
  exp: numericDate,
  nbf: numericDate,
  iat: numericDate,
  cti: (v, n) => bstr(v, n),
  cnf: (v) => cnf(v),
  // TEEP profile (-26 §5): "When the eat_nonce claim is used, the value is a single bstr."
  nonce: (v, n) => bstr(v, n, 8, 64),
  ueid: (v, n) => bstr(v, n, 7, 33),
  oemid: (v, n) => {
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    const b = bstr(v, n);
    if (b.length !== 3 && b.length !== 16) throw new EatInvalidClaim(`${n}: ${b.length} bytes, expected 3 (IEEE OUI) or 16 (random)`);
    return b;
  },
  hwmodel: (v, n) => bstr(v, n, 1, 32),
  hwversion: version,
  profile: (v, n) => (typeof v === 'string' ? v : bstr(v, n, 1)),
  swname: text,
  swversion: version,
  manifests: (v) => manifests(v),
};

const NAME_OF = new Map<CborValue, KnownClaim>(Object.keys(DECODERS).map((n) => [EAT_CLAIM[n as KnownClaim], n as KnownClaim]));

/** Checks a decoded claims-set map. */
export function parseEatClaims(map: CborValue): EatClaims {
  if (!(map instanceof Map)) throw new EatMalformed('an EAT claims-set is a CBOR map');
  const out: Record<string, unknown> = {};
  const extra: Array<readonly [number | string, CborValue]> = [];
  const claimOrder: Array<string | number> = [];
  for (const [k, v] of map) {
    if (!((typeof k === 'number' && Number.isInteger(k)) || typeof k === 'string')) throw new EatMalformed('claim keys are int or tstr');
    const name = NAME_OF.get(k);
    if (name === undefined) {
      extra.push([k, v]);
      claimOrder.push(k);
    } else {
      out[name] = DECODERS[name](v, name);
      claimOrder.push(name);
    }
  }
  return { ...out, ...(extra.length ? { extra } : {}), claimOrder } as EatClaims;
}

/** Decodes a claims-set (the payload of the Evidence's COSE_Sign1); fails only with EatErrors. */
export function decodeEatClaims(bytes: Uint8Array): EatClaims {
  let value: CborValue;
  try {
    value = decodeCbor(bytes);
  } catch (e) {
    throw new EatMalformed(`not a well-formed CBOR item${isOtrpError(e) ? ` (${e.code})` : ''}`, { cause: e });
  }
  return parseEatClaims(value);
}
