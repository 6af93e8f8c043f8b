/**
 * The one table of COSE algorithms otrp supports (RFC 9053, RFC 9864 fully-specified algorithms,
 * draft-ietf-suit-firmware-encryption for A128CTR).
 *
 * Each entry is a descriptor that says everything the code below needs (kind, curve, hash, key and
 * tag lengths), so that nothing below this module enumerates algorithm ids: structures look an id up
 * here and hand the descriptor to the crypto provider. An id that is not in the table is a
 * `CoseUnsupportedAlg`, never a crash.
 *
 * Registry: https://www.iana.org/assignments/cose/cose.xhtml#algorithms
 */
import { CoseUnsupportedAlg } from './errors.js';

/** Curves of COSE_Key (IANA "COSE Elliptic Curves"). */
export type CoseCurve = 'P-256' | 'P-384' | 'Ed25519' | 'X25519';
export type HashName = 'SHA-256' | 'SHA-384' | 'SHA-512';

interface Base {
  readonly id: number;
  readonly name: string;
}

/** Signature algorithm (COSE_Sign1, COSE_Sign). ECDSA signatures are raw r‖s (RFC 9053 §2.1). */
export interface SignAlgorithm extends Base {
  readonly kind: 'sign';
  readonly scheme: 'ECDSA' | 'EdDSA';
  /** Hash for ECDSA; EdDSA hashes internally. */
  readonly hash?: HashName;
  /** Curves a key may have for this algorithm. */
  readonly curves: readonly CoseCurve[];
}

/** MAC algorithm (COSE_Mac0). */
export interface MacAlgorithm extends Base {
  readonly kind: 'mac';
  readonly hash: HashName;
  readonly keyLength: number;
  readonly tagLength: number;
}

/** Content encryption (COSE_Encrypt0, COSE_Encrypt). */
export interface ContentAlgorithm extends Base {
  readonly kind: 'content';
  readonly cipher: 'AES-GCM' | 'ChaCha20-Poly1305' | 'AES-CTR';
  readonly keyLength: number;
  readonly ivLength: number;
  /** false for AES-CTR: no tag, no Enc_structure, no external AAD (RFC 9459 §4). */
  readonly aead: boolean;
  readonly tagLength: number;
}

/** AES key wrap of the CEK with a shared symmetric key (RFC 9053 §6.2.1). */
export interface KeyWrapAlgorithm extends Base {
  readonly kind: 'key-wrap';
  readonly keyLength: number;
}

/** The shared key is the CEK (RFC 9053 §6.1.1). */
export interface DirectAlgorithm extends Base {
  readonly kind: 'direct';
}

/**
 * ECDH-ES with HKDF (RFC 9053 §6.3.1): ephemeral-static key agreement, HKDF over the
 * COSE_KDF_Context; the derived key either wraps the CEK (`wrap`) or is the CEK (`wrap` null).
 */
export interface KeyAgreementAlgorithm extends Base {
  readonly kind: 'key-agreement';
  readonly kdfHash: HashName;
  readonly wrap: KeyWrapAlgorithm | null;
  readonly curves: readonly CoseCurve[];
}

export type RecipientAlgorithm = KeyWrapAlgorithm | DirectAlgorithm | KeyAgreementAlgorithm;
export type CoseAlgorithm = SignAlgorithm | MacAlgorithm | ContentAlgorithm | RecipientAlgorithm;
export type CoseAlgorithmKind = CoseAlgorithm['kind'];

/** Algorithm ids by their registry names. */
export const COSE_ALG = {
  ES256: -7,
  ESP256: -9,
  ES384: -35,
  EdDSA: -8,
  Ed25519: -19,
  'HMAC 256/256': 5,
  A128KW: -3,
  A256KW: -5,
  direct: -6,
  'ECDH-ES+HKDF-256': -25,
  'ECDH-ES+A128KW': -29,
  A128GCM: 1,
  A256GCM: 3,
  A128CTR: -65534,
  'ChaCha20/Poly1305': 24,
} as const;

/**
 * The fully specified signature algorithm (RFC 9864) for a curve: ESP256 for P-256, Ed25519 for
 * Ed25519; undefined for other curves. The TEEP suites for EATs and SUIT reports use these, not the
 * polymorphic ES256 / EdDSA that a signer picks by default.
 */
export function fullySpecifiedSignAlg(crv: string | undefined): number | undefined {
  return crv === 'P-256' ? COSE_ALG.ESP256 : crv === 'Ed25519' ? COSE_ALG.Ed25519 : undefined;
}

const A128KW: KeyWrapAlgorithm = { kind: 'key-wrap', id: COSE_ALG.A128KW, name: 'A128KW', keyLength: 16 };
const A256KW: KeyWrapAlgorithm = { kind: 'key-wrap', id: COSE_ALG.A256KW, name: 'A256KW', keyLength: 32 };
const ECDH_CURVES = ['P-256', 'P-384', 'X25519'] as const;

/** Every supported algorithm. Order is irrelevant; ids are unique. */
export const COSE_ALGORITHMS: readonly CoseAlgorithm[] = [
  // RFC 9053 §2.1 (ECDSA, alg chosen by the key's curve is the signer's job) and RFC 9864 §2 (fully specified).
  { kind: 'sign', id: COSE_ALG.ES256, name: 'ES256', scheme: 'ECDSA', hash: 'SHA-256', curves: ['P-256'] },
  { kind: 'sign', id: COSE_ALG.ESP256, name: 'ESP256', scheme: 'ECDSA', hash: 'SHA-256', curves: ['P-256'] },
  { kind: 'sign', id: COSE_ALG.ES384, name: 'ES384', scheme: 'ECDSA', hash: 'SHA-384', curves: ['P-384'] },
  // RFC 9053 §2.2; Ed448 is not supported, so EdDSA means Ed25519 here.
  { kind: 'sign', id: COSE_ALG.EdDSA, name: 'EdDSA', scheme: 'EdDSA', curves: ['Ed25519'] },
  { kind: 'sign', id: COSE_ALG.Ed25519, name: 'Ed25519', scheme: 'EdDSA', curves: ['Ed25519'] },
  // RFC 9053 §3.1
  { kind: 'mac', id: COSE_ALG['HMAC 256/256'], name: 'HMAC 256/256', hash: 'SHA-256', keyLength: 32, tagLength: 32 },
  // RFC 9053 §6.2.1, §6.1.1, §6.3.1
  A128KW,
  A256KW,
  { kind: 'direct', id: COSE_ALG.direct, name: 'direct' },
  { kind: 'key-agreement', id: COSE_ALG['ECDH-ES+HKDF-256'], name: 'ECDH-ES+HKDF-256', kdfHash: 'SHA-256', wrap: null, curves: ECDH_CURVES },
  { kind: 'key-agreement', id: COSE_ALG['ECDH-ES+A128KW'], name: 'ECDH-ES+A128KW', kdfHash: 'SHA-256', wrap: A128KW, curves: ECDH_CURVES },
  // RFC 9053 §4.1, §4.3; draft-ietf-suit-firmware-encryption §"AES-CTR" (RFC 9459 A128CTR, IV 16 bytes)
  { kind: 'content', id: COSE_ALG.A128GCM, name: 'A128GCM', cipher: 'AES-GCM', keyLength: 16, ivLength: 12, aead: true, tagLength: 16 },
  { kind: 'content', id: COSE_ALG.A256GCM, name: 'A256GCM', cipher: 'AES-GCM', keyLength: 32, ivLength: 12, aead: true, tagLength: 16 },
  { kind: 'content', id: COSE_ALG.A128CTR, name: 'A128CTR', cipher: 'AES-CTR', keyLength: 16, ivLength: 16, aead: false, tagLength: 0 },
  {
    kind: 'content',
    id: COSE_ALG['ChaCha20/Poly1305'],
    name: 'ChaCha20/Poly1305',
    cipher: 'ChaCha20-Poly1305',
    keyLength: 32,
    ivLength: 12,
    aead: true,
    tagLength: 16,
  },
];

const BY_ID = new Map<number, CoseAlgorithm>(COSE_ALGORITHMS.map((a) => [a.id, a]));

type ByKind = {
  sign: SignAlgorithm;
  mac: MacAlgorithm;
  content: ContentAlgorithm;
  'key-wrap': KeyWrapAlgorithm;
  direct: DirectAlgorithm;
  'key-agreement': KeyAgreementAlgorithm;
};

/** The descriptor for `id`, or undefined. */
export function findAlgorithm(id: unknown): CoseAlgorithm | undefined {
  return typeof id === 'number' ? BY_ID.get(id) : undefined;
}

/**
 * The descriptor for `id`, which must be of one of `kinds` (e.g. a MAC id in a signature header is
 * as unsupported as an unknown id). Throws CoseUnsupportedAlg.
 */
export function getAlgorithm<K extends keyof ByKind>(id: unknown, ...kinds: K[]): ByKind[K] {
  const a = findAlgorithm(id);
  if (a === undefined || (kinds.length > 0 && !kinds.includes(a.kind as K))) {
    const shown = typeof id === 'number' || typeof id === 'string' ? String(id) : typeof id;
    throw new CoseUnsupportedAlg(`unsupported COSE algorithm ${shown}${kinds.length ? ` (expected ${kinds.join(' or ')})` : ''}`);
  }
  return a as ByKind[K];
}

/** The recipient algorithm kinds. */
export const RECIPIENT_KINDS = ['key-wrap', 'direct', 'key-agreement'] as const;
