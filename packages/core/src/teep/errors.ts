/**
 * TEEP errors (draft-ietf-teep-protocol-26).
 *
 * Each failure is one subclass with a stable `code`. Where the draft has a wire err-code for the
 * failure, the class names it in `teepError` (a name from {@link TEEP_ERROR_NAMES}, not a number:
 * the number depends on the profile, e.g. ERR_MANIFEST_PROCESSING_FAILED is 11 in draft-26 and 17
 * in pre-26; see profiles.ts). Only the Agent turns these into Error messages; the TAM drops a bad
 * Agent message or answers with an Update carrying err-code (docs/teep-decisions.md has the table).
 */
import { OtrpError } from '../errors.js';

/**
 * TEEP err-code names (-26 §4.6 / IANA "TEEP Error Codes"; numbers per profile in profiles.ts).
 */
export const TEEP_ERROR_NAMES = [
  'ERR_PERMANENT_ERROR',
  'ERR_UNSUPPORTED_EXTENSION',
  'ERR_UNSUPPORTED_FRESHNESS_MECHANISMS',
  'ERR_UNSUPPORTED_MSG_VERSION',
  'ERR_UNSUPPORTED_CIPHER_SUITES',
  'ERR_BAD_CERTIFICATE',
  'ERR_ATTESTATION_REQUIRED',
  'ERR_UNSUPPORTED_SUIT_REPORT',
  'ERR_CERTIFICATE_EXPIRED',
  'ERR_TEMPORARY_ERROR',
  'ERR_MANIFEST_PROCESSING_FAILED',
] as const;
export type TeepErrorName = (typeof TEEP_ERROR_NAMES)[number];

/** Base of every TEEP failure. `teepError` is the err-code an Agent would send for it. */
export abstract class TeepError extends OtrpError {
  abstract override readonly code: TeepErrorCode;
  abstract readonly teepError: TeepErrorName;
}

// ---- message decoding / CDDL validation (all map to ERR_PERMANENT_ERROR, -26 §4.6: "incorrect
// fields or fields that are inconsistent with other fields") ----

/** Not well-formed CBOR, or not the `[type, options, * any]` framework. */
export class TeepMalformedMessage extends TeepError {
  readonly code = 'ERR_TEEP_MALFORMED_MESSAGE';
  readonly teepError = 'ERR_PERMANENT_ERROR';
}

/**
 * A message type the profile does not define. The framework reserves `$teep-type-extension` for
 * extensions, so an unknown type is an unsupported extension (-26 §4.6, err-code 2).
 */
export class TeepUnknownMessageType extends TeepError {
  readonly code = 'ERR_TEEP_UNKNOWN_MESSAGE_TYPE';
  readonly teepError = 'ERR_UNSUPPORTED_EXTENSION';
}

/** A decoder for one message type was given another type. */
export class TeepUnexpectedMessage extends TeepError {
  readonly code = 'ERR_TEEP_UNEXPECTED_MESSAGE';
  readonly teepError = 'ERR_PERMANENT_ERROR';
}

/** A required positional element or map entry is absent. */
export class TeepMissingField extends TeepError {
  readonly code = 'ERR_TEEP_MISSING_FIELD';
  readonly teepError = 'ERR_PERMANENT_ERROR';
}

/** A field has the wrong CBOR type or a value outside its CDDL type. */
export class TeepInvalidField extends TeepError {
  readonly code = 'ERR_TEEP_INVALID_FIELD';
  readonly teepError = 'ERR_PERMANENT_ERROR';
}

/** A field is outside its `.size` bounds (token 8..64, challenge 8..512, texts, lists `[+ ...]`). */
export class TeepFieldSize extends TeepError {
  readonly code = 'ERR_TEEP_FIELD_SIZE';
  readonly teepError = 'ERR_PERMANENT_ERROR';
}

/** A QueryRequest with the attestation bit clear carries no token (-26 §4.2; docs/teep-decisions.md). */
export class TeepTokenRequired extends TeepError {
  readonly code = 'ERR_TEEP_TOKEN_REQUIRED';
  readonly teepError = 'ERR_PERMANENT_ERROR';
}

/** Fields that are each valid but break a cross-field MUST (e.g. a challenge with the attestation bit clear). */
export class TeepInconsistentFields extends TeepError {
  readonly code = 'ERR_TEEP_INCONSISTENT_FIELDS';
  readonly teepError = 'ERR_PERMANENT_ERROR';
}

/**
 * A message after the negotiation that is not protected with the selected cipher suite (-26 §8.1:
 * "the selected TEEP cipher suite MUST be used in both directions"). Error 1, not 5: the message
 * offers no suites (docs/teep-decisions.md §3).
 */
export class TeepCipherSuiteMismatch extends TeepError {
  readonly code = 'ERR_TEEP_CIPHER_SUITE_MISMATCH';
  readonly teepError = 'ERR_PERMANENT_ERROR';
}

// ---- negotiation and processing failures, one per draft err-code (used by the session layer) ----

export class TeepUnsupportedExtension extends TeepError {
  readonly code = 'ERR_TEEP_UNSUPPORTED_EXTENSION';
  readonly teepError = 'ERR_UNSUPPORTED_EXTENSION';
}
export class TeepUnsupportedFreshnessMechanisms extends TeepError {
  readonly code = 'ERR_TEEP_UNSUPPORTED_FRESHNESS_MECHANISMS';
  readonly teepError = 'ERR_UNSUPPORTED_FRESHNESS_MECHANISMS';
}
export class TeepUnsupportedMsgVersion extends TeepError {
  readonly code = 'ERR_TEEP_UNSUPPORTED_MSG_VERSION';
  readonly teepError = 'ERR_UNSUPPORTED_MSG_VERSION';
}
export class TeepUnsupportedCipherSuites extends TeepError {
  readonly code = 'ERR_TEEP_UNSUPPORTED_CIPHER_SUITES';
  readonly teepError = 'ERR_UNSUPPORTED_CIPHER_SUITES';
}
export class TeepBadCertificate extends TeepError {
  readonly code = 'ERR_TEEP_BAD_CERTIFICATE';
  readonly teepError = 'ERR_BAD_CERTIFICATE';
}
export class TeepAttestationRequired extends TeepError {
  readonly code = 'ERR_TEEP_ATTESTATION_REQUIRED';
  readonly teepError = 'ERR_ATTESTATION_REQUIRED';
}
/**
 * The TAM asked for attestation and this Agent has no attestation source. Not ERR_ATTESTATION_REQUIRED,
 * which asks the receiver to attest itself (-26 §4.6, §7.1.2): the TAM would answer with its own
 * attestation and the exchange would go round.
 */
export class TeepAttestationUnavailable extends TeepError {
  readonly code = 'ERR_TEEP_ATTESTATION_UNAVAILABLE';
  readonly teepError = 'ERR_PERMANENT_ERROR';
}
export class TeepUnsupportedSuitReport extends TeepError {
  readonly code = 'ERR_TEEP_UNSUPPORTED_SUIT_REPORT';
  readonly teepError = 'ERR_UNSUPPORTED_SUIT_REPORT';
}
export class TeepCertificateExpired extends TeepError {
  readonly code = 'ERR_TEEP_CERTIFICATE_EXPIRED';
  readonly teepError = 'ERR_CERTIFICATE_EXPIRED';
}
export class TeepTemporaryError extends TeepError {
  readonly code = 'ERR_TEEP_TEMPORARY_ERROR';
  readonly teepError = 'ERR_TEMPORARY_ERROR';
}
export class TeepManifestProcessingFailed extends TeepError {
  readonly code = 'ERR_TEEP_MANIFEST_PROCESSING_FAILED';
  readonly teepError = 'ERR_MANIFEST_PROCESSING_FAILED';
}

// ---- session failures on the TAM side: the TAM drops the message (never an Error message, -26 §7) ----

/** The token or challenge of a response was already answered: a replay (-26 §4.2 "ignore any subsequent messages"). */
export class TeepReplayed extends TeepError {
  readonly code = 'ERR_TEEP_REPLAYED';
  readonly teepError = 'ERR_PERMANENT_ERROR';
}
/** The token or challenge is past its expiry (-26 §4.2 "MUST ignore any messages with expired tokens"). */
export class TeepTokenExpired extends TeepError {
  readonly code = 'ERR_TEEP_TOKEN_EXPIRED';
  readonly teepError = 'ERR_PERMANENT_ERROR';
}
/** The response carries no token/challenge of an outstanding request of this session. */
export class TeepTokenUnknown extends TeepError {
  readonly code = 'ERR_TEEP_TOKEN_UNKNOWN';
  readonly teepError = 'ERR_PERMANENT_ERROR';
}
/** A SUIT report's suit-report-nonce differs from the request's token (-26 §4.3, §4.5, §4.6, §7.1.2). */
export class TeepReportNonceMismatch extends TeepError {
  readonly code = 'ERR_TEEP_REPORT_NONCE_MISMATCH';
  readonly teepError = 'ERR_PERMANENT_ERROR';
}
/** A SUIT report could not be authenticated or decoded. */
export class TeepReportInvalid extends TeepError {
  readonly code = 'ERR_TEEP_REPORT_INVALID';
  readonly teepError = 'ERR_PERMANENT_ERROR';
}
/** The message is signed by a different peer key than the one this session talks to. */
export class TeepPeerMismatch extends TeepError {
  readonly code = 'ERR_TEEP_PEER_MISMATCH';
  readonly teepError = 'ERR_PERMANENT_ERROR';
}
/** The session is not in a state where it can take this message or call (closed, backing off). */
export class TeepSessionState extends TeepError {
  readonly code = 'ERR_TEEP_SESSION_STATE';
  readonly teepError = 'ERR_PERMANENT_ERROR';
}

/** Every code a TeepError can carry, for `switch (err.code)`. */
export type TeepErrorCode =
  | 'ERR_TEEP_MALFORMED_MESSAGE'
  | 'ERR_TEEP_UNKNOWN_MESSAGE_TYPE'
  | 'ERR_TEEP_UNEXPECTED_MESSAGE'
  | 'ERR_TEEP_MISSING_FIELD'
  | 'ERR_TEEP_INVALID_FIELD'
  | 'ERR_TEEP_FIELD_SIZE'
  | 'ERR_TEEP_TOKEN_REQUIRED'
  | 'ERR_TEEP_INCONSISTENT_FIELDS'
  | 'ERR_TEEP_CIPHER_SUITE_MISMATCH'
  | 'ERR_TEEP_UNSUPPORTED_EXTENSION'
  | 'ERR_TEEP_UNSUPPORTED_FRESHNESS_MECHANISMS'
  | 'ERR_TEEP_UNSUPPORTED_MSG_VERSION'
  | 'ERR_TEEP_UNSUPPORTED_CIPHER_SUITES'
  | 'ERR_TEEP_BAD_CERTIFICATE'
  | 'ERR_TEEP_ATTESTATION_REQUIRED'
  | 'ERR_TEEP_ATTESTATION_UNAVAILABLE'
  | 'ERR_TEEP_UNSUPPORTED_SUIT_REPORT'
  | 'ERR_TEEP_CERTIFICATE_EXPIRED'
  | 'ERR_TEEP_TEMPORARY_ERROR'
  | 'ERR_TEEP_MANIFEST_PROCESSING_FAILED'
  | 'ERR_TEEP_REPLAYED'
  | 'ERR_TEEP_TOKEN_EXPIRED'
  | 'ERR_TEEP_TOKEN_UNKNOWN'
  | 'ERR_TEEP_REPORT_NONCE_MISMATCH'
  | 'ERR_TEEP_REPORT_INVALID'
  | 'ERR_TEEP_PEER_MISMATCH'
  | 'ERR_TEEP_SESSION_STATE';

export type AnyTeepError =
  | TeepMalformedMessage
  | TeepUnknownMessageType
  | TeepUnexpectedMessage
  | TeepMissingField
  | TeepInvalidField
  | TeepFieldSize
  | TeepTokenRequired
  | TeepInconsistentFields
  | TeepCipherSuiteMismatch
  | TeepUnsupportedExtension
  | TeepUnsupportedFreshnessMechanisms
  | TeepUnsupportedMsgVersion
  | TeepUnsupportedCipherSuites
  | TeepBadCertificate
  | TeepAttestationRequired
  | TeepAttestationUnavailable
  | TeepUnsupportedSuitReport
  | TeepCertificateExpired
  | TeepTemporaryError
  | TeepManifestProcessingFailed
  | TeepReplayed
  | TeepTokenExpired
  | TeepTokenUnknown
  | TeepReportNonceMismatch
  | TeepReportInvalid
  | TeepPeerMismatch
  | TeepSessionState;
