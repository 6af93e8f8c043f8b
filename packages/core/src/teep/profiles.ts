/**
 * TEEP wire profiles: the integers that changed between drafts, chosen per peer.
 *
 * - `draft-26` (default): draft-ietf-teep-protocol-26 §4, §6 and §14, identical to the IANA "TEEP"
 *   registry group (created 2026-03-19 from -26).
 * - `pre-26`: the numbering of drafts -12..-25 (ietf-teep/teep-protocol master before the
 *   2026-02-18 renumbering), which every TEEP stack deployed before 2026 speaks: Success 5, Error 6,
 *   labels 5..23 shifted by one (label 5 was selected-teep-cipher-suite), and
 *   ERR_MANIFEST_PROCESSING_FAILED 17. Suites ES256/EdDSA (-7/-8) were the mandatory ones until
 *   mid-2025, so the profile offers and accepts them next to ESP256/Ed25519.
 *
 * The profile covers the TEEP framing only; manifests inside are SUIT -37 either way.
 */
import { InvalidArgument } from '../errors.js';
import type { TeepErrorName } from './errors.js';

/** The five messages (-26 §4 "teep-message"). */
export const TEEP_MESSAGE_KINDS = ['query-request', 'query-response', 'update', 'success', 'error'] as const;
export type TeepMessageKind = (typeof TEEP_MESSAGE_KINDS)[number];

/** Option labels by their CDDL names (-26 §6 "Mapping of TEEP Message Parameters to CBOR Labels"). */
export type TeepLabelName =
  | 'supported-teep-cipher-suites'
  | 'challenge'
  | 'versions'
  | 'supported-suit-cose-profiles'
  | 'selected-teep-cipher-suite'
  | 'selected-version'
  | 'attestation-payload'
  | 'tc-list'
  | 'ext-list'
  | 'manifest-list'
  | 'msg'
  | 'err-msg'
  | 'attestation-payload-format'
  | 'requested-tc-list'
  | 'unneeded-manifest-list'
  | 'component-id'
  | 'tc-manifest-sequence-number'
  | 'have-binary'
  | 'suit-reports'
  | 'token'
  | 'supported-freshness-mechanisms'
  | 'err-lang'
  | 'err-code';

/** A TEEP cipher suite: an ordered list of COSE operations `[cose-type, cose-alg]` (-26 §8.1). */
export type TeepCipherSuite = readonly (readonly number[])[];
/** A SUIT COSE profile `[digest, auth, key-exchange, encryption]` (draft-ietf-suit-mti). */
export type SuitCoseProfile = readonly number[];

export type TeepProfileName = 'draft-26' | 'pre-26';

export interface TeepProfile {
  readonly name: TeepProfileName;
  readonly messageTypes: Readonly<Record<TeepMessageKind, number>>;
  /** Labels the profile defines; a label name missing here does not exist in that profile. */
  readonly labels: Readonly<Partial<Record<TeepLabelName, number>>>;
  readonly errorCodes: Readonly<Record<TeepErrorName, number>>;
  /** Suites offered by a TAM and accepted by an Agent by default, preferred first. */
  readonly cipherSuites: readonly TeepCipherSuite[];
  /** SUIT COSE profiles supported by default. */
  readonly suitCoseProfiles: readonly SuitCoseProfile[];
}

/** COSE_Sign1 as a TEEP operation type (-26: "cose-sign1 = 18", the CoAP Content-Format value). */
export const COSE_SIGN1_TYPE = 18;

/** -26 §8.1: teep-cipher-suite-sign1-esp256 and -sign1-ed25519, both mandatory for the TAM. */
export const TEEP_CIPHER_SUITE = {
  sign1Esp256: [[COSE_SIGN1_TYPE, -9]],
  sign1Ed25519: [[COSE_SIGN1_TYPE, -19]],
  /** pre-26 (drafts up to ~-24): ES256 and EdDSA. */
  sign1Es256: [[COSE_SIGN1_TYPE, -7]],
  sign1EdDsa: [[COSE_SIGN1_TYPE, -8]],
} as const satisfies Record<string, TeepCipherSuite>;

/** SUIT COSE profiles (draft-ietf-suit-mti; -26 §8.2 makes the first four mandatory for the TAM). */
export const SUIT_COSE_PROFILE = {
  sha256Esp256EcdhA128ctr: [-16, -9, -29, -65534],
  sha256Ed25519EcdhA128ctr: [-16, -19, -29, -65534],
  sha256Esp256EcdhA128gcm: [-16, -9, -29, 1],
  sha256Ed25519EcdhChachaPoly: [-16, -19, -29, 24],
  /** pre-26 names (ES256 / EdDSA instead of the fully specified algorithms). */
  sha256Es256EcdhA128ctr: [-16, -7, -29, -65534],
  sha256EddsaEcdhA128ctr: [-16, -8, -29, -65534],
  sha256Es256EcdhA128gcm: [-16, -7, -29, 1],
  sha256EddsaEcdhChachaPoly: [-16, -8, -29, 24],
} as const satisfies Record<string, SuitCoseProfile>;

/** data-item-requested bits (-26 §4.2, IANA "TEEP data-item-requested Bits"). */
export const TEEP_DATA_ITEM = { attestation: 1, trustedComponents: 2, extensions: 4, suitReports: 8 } as const;

/** Freshness mechanisms (-26 §9, IANA "TEEP Freshness Mechanisms"). */
export const TEEP_FRESHNESS = { nonce: 0, timestamp: 1 } as const;

const ERROR_CODES_COMMON = {
  ERR_PERMANENT_ERROR: 1,
  ERR_UNSUPPORTED_EXTENSION: 2,
  ERR_UNSUPPORTED_FRESHNESS_MECHANISMS: 3,
  ERR_UNSUPPORTED_MSG_VERSION: 4,
  ERR_UNSUPPORTED_CIPHER_SUITES: 5,
  ERR_BAD_CERTIFICATE: 6,
  ERR_ATTESTATION_REQUIRED: 7,
  ERR_UNSUPPORTED_SUIT_REPORT: 8,
  ERR_CERTIFICATE_EXPIRED: 9,
  ERR_TEMPORARY_ERROR: 10,
} as const;

/** draft-ietf-teep-protocol-26 (= IANA registry). */
export const DRAFT_26: TeepProfile = Object.freeze({
  name: 'draft-26',
  messageTypes: Object.freeze({ 'query-request': 1, 'query-response': 2, update: 3, success: 4, error: 5 }),
  labels: Object.freeze({
    'supported-teep-cipher-suites': 1,
    challenge: 2,
    versions: 3,
    'supported-suit-cose-profiles': 4,
    'selected-version': 5,
    'attestation-payload': 6,
    'tc-list': 7,
    'ext-list': 8,
    'manifest-list': 9,
    msg: 10,
    'err-msg': 11,
    'attestation-payload-format': 12,
    'requested-tc-list': 13,
    'unneeded-manifest-list': 14,
    'component-id': 15,
    'tc-manifest-sequence-number': 16,
    'have-binary': 17,
    'suit-reports': 18,
    token: 19,
    'supported-freshness-mechanisms': 20,
    'err-lang': 21,
    'err-code': 22,
  }),
  errorCodes: Object.freeze({ ...ERROR_CODES_COMMON, ERR_MANIFEST_PROCESSING_FAILED: 11 }),
  cipherSuites: [TEEP_CIPHER_SUITE.sign1Esp256, TEEP_CIPHER_SUITE.sign1Ed25519],
  suitCoseProfiles: [
    SUIT_COSE_PROFILE.sha256Esp256EcdhA128ctr,
    SUIT_COSE_PROFILE.sha256Ed25519EcdhA128ctr,
    SUIT_COSE_PROFILE.sha256Esp256EcdhA128gcm,
    SUIT_COSE_PROFILE.sha256Ed25519EcdhChachaPoly,
  ],
});

/** Drafts -12..-25 (err-lang, label 22, was added in 2025; err-code 23 is Update's option). */
export const PRE_26: TeepProfile = Object.freeze({
  name: 'pre-26',
  messageTypes: Object.freeze({ 'query-request': 1, 'query-response': 2, update: 3, success: 5, error: 6 }),
  labels: Object.freeze({
    'supported-teep-cipher-suites': 1,
    challenge: 2,
    versions: 3,
    'supported-suit-cose-profiles': 4,
    'selected-teep-cipher-suite': 5,
    'selected-version': 6,
    'attestation-payload': 7,
    'tc-list': 8,
    'ext-list': 9,
    'manifest-list': 10,
    msg: 11,
    'err-msg': 12,
    'attestation-payload-format': 13,
    'requested-tc-list': 14,
    'unneeded-manifest-list': 15,
    'component-id': 16,
    'tc-manifest-sequence-number': 17,
    'have-binary': 18,
    'suit-reports': 19,
    token: 20,
    'supported-freshness-mechanisms': 21,
    'err-lang': 22,
    'err-code': 23,
  }),
  errorCodes: Object.freeze({ ...ERROR_CODES_COMMON, ERR_MANIFEST_PROCESSING_FAILED: 17 }),
  cipherSuites: [TEEP_CIPHER_SUITE.sign1Esp256, TEEP_CIPHER_SUITE.sign1Ed25519, TEEP_CIPHER_SUITE.sign1Es256, TEEP_CIPHER_SUITE.sign1EdDsa],
  suitCoseProfiles: [
    SUIT_COSE_PROFILE.sha256Esp256EcdhA128ctr,
    SUIT_COSE_PROFILE.sha256Ed25519EcdhA128ctr,
    SUIT_COSE_PROFILE.sha256Esp256EcdhA128gcm,
    SUIT_COSE_PROFILE.sha256Ed25519EcdhChachaPoly,
    SUIT_COSE_PROFILE.sha256Es256EcdhA128ctr,
    SUIT_COSE_PROFILE.sha256EddsaEcdhA128ctr,
    SUIT_COSE_PROFILE.sha256Es256EcdhA128gcm,
    SUIT_COSE_PROFILE.sha256EddsaEcdhChachaPoly,
  ],
});

export const TEEP_PROFILES: Readonly<Record<TeepProfileName, TeepProfile>> = Object.freeze({ 'draft-26': DRAFT_26, 'pre-26': PRE_26 });

/** The profile for a name (default `draft-26`); an unknown name is an InvalidArgument. */
export function teepProfile(name: string = 'draft-26'): TeepProfile {
  const p = (TEEP_PROFILES as Record<string, TeepProfile | undefined>)[name];
  if (!p) throw new InvalidArgument(`unknown TEEP profile '${name}' (expected draft-26 or pre-26)`);
  return p;
}

/** Accepts a profile object or name. */
export function resolveTeepProfile(profile: TeepProfile | TeepProfileName | undefined): TeepProfile {
  return typeof profile === 'object' ? profile : teepProfile(profile);
}

/** The message kind of a type number, or undefined. */
export function messageKindOf(profile: TeepProfile, type: number): TeepMessageKind | undefined {
  return TEEP_MESSAGE_KINDS.find((k) => profile.messageTypes[k] === type);
}

/** The label name of an option label number, or undefined when the profile does not define it. */
export function labelNameOf(profile: TeepProfile, label: number): TeepLabelName | undefined {
  for (const [name, n] of Object.entries(profile.labels)) if (n === label) return name as TeepLabelName;
  return undefined;
}

/** The err-code name of a number, or undefined for codes the profile does not define (unknown errors, -26 §4.6). */
export function errorNameOf(profile: TeepProfile, code: number): TeepErrorName | undefined {
  for (const [name, n] of Object.entries(profile.errorCodes)) if (n === code) return name as TeepErrorName;
  return undefined;
}
