/**
 * COSE header buckets (RFC 9052 §3): labels, decoding of the protected/unprotected pair with the
 * rules every structure shares, and the `crit` check of RFC 9052 §3.1.
 *
 * ```cddl
 * Headers = (
 *     protected : empty_or_serialized_map,
 *     unprotected : header_map
 * )
 * header_map = { Generic_Headers, * label => values }
 * empty_or_serialized_map = bstr .cbor header_map / bstr .size 0
 * ```
 */
import { decodeCbor, encodeCbor } from '../wire/cbor.js';
import type { CborValue } from '../wire/cbor-value.js';
import { CoseHeaderUnsupported, CoseMalformed } from './errors.js';

/** IANA "COSE Header Parameters" (RFC 9052 §3.1, RFC 9053 §6.4, RFC 9360 §2). */
export const COSE_HEADER = {
  alg: 1,
  crit: 2,
  contentType: 3,
  kid: 4,
  iv: 5,
  partialIv: 6,
  counterSignature: 7,
  x5bag: 32,
  x5chain: 33,
  x5t: 34,
  x5u: 35,
  epk: -1,
  staticKey: -2,
  staticKeyId: -3,
  salt: -20,
  partyUIdentity: -21,
  partyUNonce: -22,
  partyUOther: -23,
  partyVIdentity: -24,
  partyVNonce: -25,
  partyVOther: -26,
} as const;

export type CoseLabel = number | string;
/** A header map; labels are ints or text (RFC 9052 §1.5). Wire order is kept. */
export type CoseHeaderMap = Map<CoseLabel, CborValue>;

/** The headers of one layer (message, signer or recipient) as received. */
export interface CoseHeaders {
  /**
   * The received protected bstr: Sig/Enc/MAC structures are built over these bytes, never a
   * re-encoding (zero-length when the bucket holds no attributes).
   */
  readonly protectedBytes: Uint8Array;
  readonly protected: CoseHeaderMap;
  readonly unprotected: CoseHeaderMap;
}

/** Labels this layer processes itself, so they may be marked critical. */
const UNDERSTOOD: readonly CoseLabel[] = [
  COSE_HEADER.alg,
  COSE_HEADER.crit,
  COSE_HEADER.contentType,
  COSE_HEADER.kid,
  COSE_HEADER.iv,
  COSE_HEADER.partialIv,
  COSE_HEADER.x5chain,
  COSE_HEADER.x5t,
];

export interface HeaderDecodeOptions {
  /** Extra labels the application processes (so they may appear in `crit`). */
  understoodHeaders?: readonly CoseLabel[];
}

const isLabel = (v: unknown): v is CoseLabel => (typeof v === 'number' && Number.isInteger(v)) || typeof v === 'string';

function checkHeaderMap(v: CborValue, where: string): CoseHeaderMap {
  if (!(v instanceof Map)) throw new CoseMalformed(`${where} header is not a map`);
  for (const [label, value] of v) {
    if (!isLabel(label)) throw new CoseMalformed(`${where} header has a label that is neither int nor tstr`);
    checkKnownValue(label, value, where);
  }
  return v as CoseHeaderMap;
}

/** Type checks of the generic headers (RFC 9052 §3.1 Table 3). */
function checkKnownValue(label: CoseLabel, value: CborValue, where: string): void {
  const bad = (what: string) => new CoseMalformed(`${where} header ${label} must be ${what}`);
  switch (label) {
    case COSE_HEADER.alg:
      if (!isLabel(value)) throw bad('an int or tstr');
      break;
    case COSE_HEADER.contentType:
      if (!(typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value) && value >= 0))) throw bad('a uint or tstr');
      break;
    case COSE_HEADER.kid:
    case COSE_HEADER.iv:
    case COSE_HEADER.partialIv:
      if (!(value instanceof Uint8Array)) throw bad('a bstr');
      break;
    default:
  }
}

/**
 * Decodes and checks one protected/unprotected pair: protected is a bstr that is empty or holds a
 * map, unprotected is a map, no label appears in both buckets, IV and Partial IV are not both
 * present, and `crit` (protected only, RFC 9052 §3.1) names only labels present and understood.
 */
export function decodeHeaders(protectedBstr: CborValue, unprotected: CborValue, options: HeaderDecodeOptions = {}): CoseHeaders {
  if (!(protectedBstr instanceof Uint8Array)) throw new CoseMalformed('protected header is not a byte string');
  let prot: CoseHeaderMap = new Map();
  if (protectedBstr.length > 0) {
    let decoded: CborValue;
    try {
      decoded = decodeCbor(protectedBstr);
    } catch (e) {
      throw new CoseMalformed('protected header is not well-formed CBOR', { cause: e });
    }
    prot = checkHeaderMap(decoded, 'protected');
  }
  const unprot = checkHeaderMap(unprotected, 'unprotected');
  for (const label of unprot.keys()) {
    if (prot.has(label)) throw new CoseMalformed(`header ${label} appears in both buckets`);
  }
  if (unprot.has(COSE_HEADER.crit)) throw new CoseMalformed('crit must be a protected header');
  const has = (l: CoseLabel) => prot.has(l) || unprot.has(l);
  if (has(COSE_HEADER.iv) && has(COSE_HEADER.partialIv)) throw new CoseMalformed('IV and Partial IV are both present');
  const crit = prot.get(COSE_HEADER.crit);
  if (crit !== undefined) {
    if (!Array.isArray(crit) || crit.length === 0 || !crit.every(isLabel)) throw new CoseMalformed('crit must be a non-empty array of labels');
    const understood = [...UNDERSTOOD, ...(options.understoodHeaders ?? [])];
    for (const label of crit) {
      if (!prot.has(label)) throw new CoseMalformed(`critical header ${label} is not in the protected bucket`);
      if (!understood.includes(label)) throw new CoseHeaderUnsupported(`critical header ${label} is not understood`);
    }
  }
  // RFC 9052 §4.4/§5.3/§6.3: "if there are no protected attributes, a zero-length byte string is
  // used" in the structures; so a received encoded empty map (0xA0) counts as h'' (the Examples'
  // sign1-tests/sign-pass-01 signs exactly that). Otherwise the received bytes are used as they are.
  return { protectedBytes: prot.size === 0 ? new Uint8Array(0) : protectedBstr, protected: prot, unprotected: unprot };
}

/** A header's value from either bucket (protected first). */
export function headerValue(headers: CoseHeaders, label: CoseLabel): CborValue | undefined {
  return headers.protected.has(label) ? headers.protected.get(label) : headers.unprotected.get(label);
}

/** Header input accepted by the create functions: a Map, or undefined for none. */
export type HeaderInput = ReadonlyMap<CoseLabel, CborValue> | undefined;

/**
 * Builds the protected bstr: empty when the map is empty (RFC 9052 §3: "zero-length byte string"
 * SHOULD be used for an empty map), else the map in the order given.
 */
export function encodeProtected(map: ReadonlyMap<CoseLabel, CborValue>): Uint8Array {
  return map.size === 0 ? new Uint8Array(0) : encodeCbor(new Map(map) as CborValue);
}

/**
 * Merges caller headers with the ones a create function sets (those first in each bucket, unless
 * the caller gives the label), and checks that no label ends up in both buckets.
 */
export function buildHeaders(
  protectedIn: HeaderInput,
  unprotectedIn: HeaderInput,
  set: { protected?: [CoseLabel, CborValue][]; unprotected?: [CoseLabel, CborValue][] },
): { protected: CoseHeaderMap; unprotected: CoseHeaderMap } {
  const prot: CoseHeaderMap = new Map();
  const unprot: CoseHeaderMap = new Map();
  for (const [l, v] of set.protected ?? []) if (!unprotectedIn?.has(l)) prot.set(l, v);
  for (const [l, v] of protectedIn ?? []) prot.set(l, v);
  for (const [l, v] of set.unprotected ?? []) if (!prot.has(l) && !unprotectedIn?.has(l)) unprot.set(l, v);
  for (const [l, v] of unprotectedIn ?? []) unprot.set(l, v);
  for (const l of unprot.keys()) if (prot.has(l)) throw new CoseMalformed(`header ${l} given in both buckets`);
  return { protected: prot, unprotected: unprot };
}
