/**
 * COSE_Key <-> JWK (RFC 7517, RFC 7518 §6, RFC 8037 for OKP). The mapping is member for member:
 * EC2 <-> "EC", OKP <-> "OKP", Symmetric <-> "oct"; kid is bytes in COSE and a string in JWK, so it
 * is carried as UTF-8 (JWK kids in practice are text).
 */
import { CURVE_SIZE, checkCoseKey, type CoseKey } from './key.js';
import type { CoseCurve } from './algorithms.js';
import { fromBase64url, toBase64url } from './bytes.js';
import { CoseKeyInvalid } from './errors.js';

/** The JWK members this module reads and writes. */
export interface Jwk {
  kty: string;
  crv?: string;
  x?: string;
  y?: string;
  d?: string;
  k?: string;
  kid?: string;
  alg?: string;
  [member: string]: unknown;
}

const KTY_TO_JWK = { EC2: 'EC', OKP: 'OKP', Symmetric: 'oct' } as const;
const CURVES: readonly CoseCurve[] = ['P-256', 'P-384', 'Ed25519', 'X25519'];

/** The JWK of a COSE key (no `alg`: COSE and JOSE algorithm names differ). */
export function coseKeyToJwk(key: CoseKey): Jwk {
  checkCoseKey(key);
  const jwk: Jwk = { kty: KTY_TO_JWK[key.kty] };
  if (key.kty === 'Symmetric') jwk.k = toBase64url(key.k!);
  else {
    jwk.crv = key.crv!;
    jwk.x = toBase64url(key.x!);
    if (key.y) jwk.y = toBase64url(key.y);
    if (key.d) jwk.d = toBase64url(key.d);
  }
  if (key.kid) jwk.kid = new TextDecoder().decode(key.kid);
  return jwk;
}

/** The COSE key of a JWK. `kid` becomes its UTF-8 bytes. */
export function coseKeyFromJwk(jwk: unknown): CoseKey {
  if (jwk === null || typeof jwk !== 'object' || Array.isArray(jwk)) throw new CoseKeyInvalid('JWK is not an object');
  const j = jwk as Record<string, unknown>;
  const b = (name: string): Uint8Array | undefined => {
    const v = j[name];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw new CoseKeyInvalid(`JWK member ${name} is not a string`);
    return fromBase64url(v);
  };
  if (j.kid !== undefined && typeof j.kid !== 'string') throw new CoseKeyInvalid('JWK kid is not a string');
  const kid = typeof j.kid === 'string' ? { kid: new TextEncoder().encode(j.kid) } : {};
  if (j.kty === 'oct') return checkCoseKey({ kty: 'Symmetric', k: b('k')!, ...kid });
  if (j.kty !== 'EC' && j.kty !== 'OKP') throw new CoseKeyInvalid('unsupported JWK kty');
  const crv = CURVES.find((c) => c === j.crv);
  if (!crv) throw new CoseKeyInvalid('unsupported JWK curve');
  const n = CURVE_SIZE[crv];
  // WebCrypto and some tools drop leading zero bytes of EC coordinates; RFC 7518 §6.2.1.2 requires full length.
  const pad = (v: Uint8Array | undefined) => (v && v.length < n ? new Uint8Array([...new Uint8Array(n - v.length), ...v]) : v);
  const x = pad(b('x'));
  const y = pad(b('y'));
  const d = pad(b('d'));
  return checkCoseKey({
    kty: j.kty === 'EC' ? 'EC2' : 'OKP',
    crv,
    ...(x && { x }),
    ...(y && { y }),
    ...(d && { d }),
    ...kid,
  });
}
