/**
 * Encoding of an EAT claims-set (see claims.ts for the claims and their CDDL). Claims are written in
 * `claimOrder` (the received order), then in table order, and checked with the decoder's rules, so
 * the encoder never emits a claims-set the decoder refuses. Preferred serialization, as the TEEP EAT
 * profile requires (-26 §5).
 */
import { encodeCbor } from '../wire/cbor.js';
import type { CborMap, CborValue } from '../wire/cbor-value.js';
import { DECODERS, EAT_CLAIM, parseEatClaims, type EatClaims, type EatManifest, type EatVersion, type KnownClaim } from './claims.js';
import { EatInvalidClaim } from './errors.js';

function encodeValue(name: KnownClaim, v: unknown): CborValue {
  switch (name) {
    case 'cnf': {
      const c = v as Record<string, CborValue>;
      if ('kid' in c) return new Map([[3, c.kid as CborValue]]);
      if ('coseKey' in c) return new Map([[1, c.coseKey as CborValue]]);
      return new Map([[2, c.encryptedCoseKey as CborValue]]);
    }
    case 'hwversion':
    case 'swversion': {
      const ver = v as EatVersion;
      return ver.scheme === undefined ? [ver.version] : [ver.version, ver.scheme];
    }
    case 'manifests':
      return (v as EatManifest[]).map((m) => [m.contentType, m.body]);
    default:
      return v as CborValue;
  }
}

/** Builds the claims-set map (in `claimOrder`, then table order) and checks it with the decoder's rules. */
export function eatClaimsToMap(claims: EatClaims): CborMap {
  const out: CborMap = new Map();
  const extra = new Map<CborValue, CborValue>((claims.extra ?? []).map(([k, v]) => [k, v]));
  const put = (key: string | number): void => {
    const known = typeof key === 'string' && key in DECODERS ? (key as KnownClaim) : undefined;
    if (known !== undefined) {
      const v = (claims as Record<string, unknown>)[known];
      if (v !== undefined && !out.has(EAT_CLAIM[known])) out.set(EAT_CLAIM[known], encodeValue(known, v));
    } else if (extra.has(key) && !out.has(key)) {
      out.set(key, extra.get(key) as CborValue);
    }
  };
  try {
    for (const k of claims.claimOrder ?? []) put(k);
    for (const k of Object.keys(DECODERS)) put(k);
    for (const k of extra.keys()) put(k as string | number);
  } catch (e) {
    if (e instanceof EatInvalidClaim) throw e;
    throw new EatInvalidClaim('claims do not have the documented shapes', { cause: e });
  }
  parseEatClaims(out);
  return out;
}

/** Encodes a claims-set in preferred serialization (the TEEP profile requires it, -26 §5). */
export function encodeEatClaims(claims: EatClaims): Uint8Array {
  return encodeCbor(eatClaimsToMap(claims));
}
