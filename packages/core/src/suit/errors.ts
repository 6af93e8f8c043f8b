/**
 * SUIT errors (draft-ietf-suit-manifest-37, trust-domains-12, firmware-encryption, suit-report).
 *
 * Every SUIT failure is one subclass with a stable `code`. On the wire, a TEEP Agent reports any of
 * them as TEEP `ERR_MANIFEST_PROCESSING_FAILED` (err-code 11 in draft-ietf-teep-protocol-26, 17 in the
 * pre-26 numbering) together with a SUIT report whose `suit-report-result-reason` is the error's
 * `reportReason` (draft-ietf-suit-report, SUIT_Report_Reasons):
 *
 * | code                                 | report reason                  |
 * |--------------------------------------|--------------------------------|
 * | ERR_SUIT_MALFORMED                   | 1 cbor-parse                   |
 * | ERR_SUIT_UNSUPPORTED_VERSION         | 1 cbor-parse                   |
 * | ERR_SUIT_COSE_UNSUPPORTED            | 2 cose-unsupported             |
 * | ERR_SUIT_UNSUPPORTED_ALGORITHM       | 3 alg-unsupported              |
 * | ERR_SUIT_DIGEST_MISMATCH             | 4 unauthorised                 |
 * | ERR_SUIT_AUTHENTICATION_FAILED       | 4 unauthorised                 |
 * | ERR_SUIT_SEVERED_DIGEST_MISMATCH     | 4 unauthorised                 |
 * | ERR_SUIT_ROLLBACK                    | 4 unauthorised                 |
 * | ERR_SUIT_COMMAND_UNSUPPORTED         | 5 command-unsupported          |
 * | ERR_SUIT_COMPONENT_UNSUPPORTED       | 6 component-unsupported        |
 * | ERR_SUIT_PARAMETER_UNSUPPORTED       | 8 parameter-unsupported        |
 * | ERR_SUIT_PARAMETER_MISSING           | 8 parameter-unsupported        |
 * | ERR_SUIT_SEVERED_MISSING             | 9 severing-unsupported         |
 * | ERR_SUIT_VENDOR_MISMATCH, _CLASS_, _DEVICE_, _IMAGE_, _SLOT_, _CONTENT_MISMATCH, ERR_SUIT_ABORT,   |
 * | ERR_SUIT_NOT_A_DEPENDENCY, ERR_SUIT_DEPENDENCY_INTEGRITY, ERR_SUIT_TRY_EACH_FAILED | 10 condition-failed |
 * | ERR_SUIT_DEPENDENCY_NOT_VERIFIED, ERR_SUIT_FETCH_FAILED, ERR_SUIT_DECRYPTION_FAILED,                |
 * | ERR_SUIT_OPERATION_FAILED, ERR_SUIT_INVALID_STATE | 11 operation-failed        |
 * | ERR_SUIT_INVALID_SPEC, ERR_SUIT_INVALID_FILE_NAME | (local, never on the wire) |
 */
import { OtrpError } from '../errors.js';

/** SUIT_Report_Reasons (draft-ietf-suit-report). */
export const SUIT_REPORT_REASON = {
  ok: 0,
  cborParse: 1,
  coseUnsupported: 2,
  algUnsupported: 3,
  unauthorised: 4,
  commandUnsupported: 5,
  componentUnsupported: 6,
  componentUnauthorised: 7,
  parameterUnsupported: 8,
  severingUnsupported: 9,
  conditionFailed: 10,
  operationFailed: 11,
  invokePending: 12,
} as const;

/** Base of every SUIT error; `reportReason` is the SUIT report reason the failure maps to. */
export abstract class SuitError extends OtrpError {
  abstract readonly reportReason: number;
}

/** A condition that did not hold: the only failures that soft-failure may swallow (manifest-37 §6.4). */
export abstract class SuitConditionFailed extends SuitError {
  readonly reportReason = SUIT_REPORT_REASON.conditionFailed;
}

export class SuitMalformed extends SuitError {
  readonly code = 'ERR_SUIT_MALFORMED';
  readonly reportReason = SUIT_REPORT_REASON.cborParse;
}
export class SuitUnsupportedVersion extends SuitError {
  readonly code = 'ERR_SUIT_UNSUPPORTED_VERSION';
  readonly reportReason = SUIT_REPORT_REASON.cborParse;
}
export class SuitCoseUnsupported extends SuitError {
  readonly code = 'ERR_SUIT_COSE_UNSUPPORTED';
  readonly reportReason = SUIT_REPORT_REASON.coseUnsupported;
}
export class SuitUnsupportedAlgorithm extends SuitError {
  readonly code = 'ERR_SUIT_UNSUPPORTED_ALGORITHM';
  readonly reportReason = SUIT_REPORT_REASON.algUnsupported;
}
export class SuitDigestMismatch extends SuitError {
  readonly code = 'ERR_SUIT_DIGEST_MISMATCH';
  readonly reportReason = SUIT_REPORT_REASON.unauthorised;
}
/** Fixed message: says nothing about which key or block failed. */
export class SuitAuthenticationFailed extends SuitError {
  readonly code = 'ERR_SUIT_AUTHENTICATION_FAILED';
  readonly reportReason = SUIT_REPORT_REASON.unauthorised;
  constructor(options?: { cause?: unknown }) {
    super('manifest authentication failed', options);
  }
}
export class SuitSeveredDigestMismatch extends SuitError {
  readonly code = 'ERR_SUIT_SEVERED_DIGEST_MISMATCH';
  readonly reportReason = SUIT_REPORT_REASON.unauthorised;
}
export class SuitRollback extends SuitError {
  readonly code = 'ERR_SUIT_ROLLBACK';
  readonly reportReason = SUIT_REPORT_REASON.unauthorised;
}
export class SuitCommandUnsupported extends SuitError {
  readonly code = 'ERR_SUIT_COMMAND_UNSUPPORTED';
  readonly reportReason = SUIT_REPORT_REASON.commandUnsupported;
}
export class SuitComponentUnsupported extends SuitError {
  readonly code = 'ERR_SUIT_COMPONENT_UNSUPPORTED';
  readonly reportReason = SUIT_REPORT_REASON.componentUnsupported;
}
export class SuitParameterUnsupported extends SuitError {
  readonly code = 'ERR_SUIT_PARAMETER_UNSUPPORTED';
  readonly reportReason = SUIT_REPORT_REASON.parameterUnsupported;
}
export class SuitParameterMissing extends SuitError {
  readonly code = 'ERR_SUIT_PARAMETER_MISSING';
  readonly reportReason = SUIT_REPORT_REASON.parameterUnsupported;
}
export class SuitSeveredMissing extends SuitError {
  readonly code = 'ERR_SUIT_SEVERED_MISSING';
  readonly reportReason = SUIT_REPORT_REASON.severingUnsupported;
}
export class SuitVendorMismatch extends SuitConditionFailed {
  readonly code = 'ERR_SUIT_VENDOR_MISMATCH';
}
export class SuitClassMismatch extends SuitConditionFailed {
  readonly code = 'ERR_SUIT_CLASS_MISMATCH';
}
export class SuitDeviceMismatch extends SuitConditionFailed {
  readonly code = 'ERR_SUIT_DEVICE_MISMATCH';
}
export class SuitImageMismatch extends SuitConditionFailed {
  readonly code = 'ERR_SUIT_IMAGE_MISMATCH';
}
export class SuitSlotMismatch extends SuitConditionFailed {
  readonly code = 'ERR_SUIT_SLOT_MISMATCH';
}
export class SuitContentMismatch extends SuitConditionFailed {
  readonly code = 'ERR_SUIT_CONTENT_MISMATCH';
}
export class SuitAbort extends SuitConditionFailed {
  readonly code = 'ERR_SUIT_ABORT';
}
export class SuitNotADependency extends SuitConditionFailed {
  readonly code = 'ERR_SUIT_NOT_A_DEPENDENCY';
}
export class SuitDependencyIntegrity extends SuitConditionFailed {
  readonly code = 'ERR_SUIT_DEPENDENCY_INTEGRITY';
}
export class SuitTryEachFailed extends SuitConditionFailed {
  readonly code = 'ERR_SUIT_TRY_EACH_FAILED';
}
export class SuitDependencyNotVerified extends SuitError {
  readonly code = 'ERR_SUIT_DEPENDENCY_NOT_VERIFIED';
  readonly reportReason = SUIT_REPORT_REASON.operationFailed;
}
export class SuitFetchFailed extends SuitError {
  readonly code = 'ERR_SUIT_FETCH_FAILED';
  readonly reportReason = SUIT_REPORT_REASON.operationFailed;
}
/** Fixed message: a decryption failure reveals nothing about keys or content. */
export class SuitDecryptionFailed extends SuitError {
  readonly code = 'ERR_SUIT_DECRYPTION_FAILED';
  readonly reportReason = SUIT_REPORT_REASON.operationFailed;
  constructor(options?: { cause?: unknown }) {
    super('payload decryption failed', options);
  }
}
export class SuitOperationFailed extends SuitError {
  readonly code = 'ERR_SUIT_OPERATION_FAILED';
  readonly reportReason = SUIT_REPORT_REASON.operationFailed;
}
/** A directive used where the spec forbids it (soft-failure outside try-each, process-dependency in common, ...). */
export class SuitInvalidState extends SuitError {
  readonly code = 'ERR_SUIT_INVALID_STATE';
  readonly reportReason = SUIT_REPORT_REASON.operationFailed;
}
export class SuitInvalidSpec extends SuitError {
  readonly code = 'ERR_SUIT_INVALID_SPEC';
  readonly reportReason = SUIT_REPORT_REASON.ok;
}
export class SuitInvalidFileName extends SuitError {
  readonly code = 'ERR_SUIT_INVALID_FILE_NAME';
  readonly reportReason = SUIT_REPORT_REASON.ok;
}

export type SuitErrorCode =
  | 'ERR_SUIT_MALFORMED'
  | 'ERR_SUIT_UNSUPPORTED_VERSION'
  | 'ERR_SUIT_COSE_UNSUPPORTED'
  | 'ERR_SUIT_UNSUPPORTED_ALGORITHM'
  | 'ERR_SUIT_DIGEST_MISMATCH'
  | 'ERR_SUIT_AUTHENTICATION_FAILED'
  | 'ERR_SUIT_SEVERED_DIGEST_MISMATCH'
  | 'ERR_SUIT_ROLLBACK'
  | 'ERR_SUIT_COMMAND_UNSUPPORTED'
  | 'ERR_SUIT_COMPONENT_UNSUPPORTED'
  | 'ERR_SUIT_PARAMETER_UNSUPPORTED'
  | 'ERR_SUIT_PARAMETER_MISSING'
  | 'ERR_SUIT_SEVERED_MISSING'
  | 'ERR_SUIT_VENDOR_MISMATCH'
  | 'ERR_SUIT_CLASS_MISMATCH'
  | 'ERR_SUIT_DEVICE_MISMATCH'
  | 'ERR_SUIT_IMAGE_MISMATCH'
  | 'ERR_SUIT_SLOT_MISMATCH'
  | 'ERR_SUIT_CONTENT_MISMATCH'
  | 'ERR_SUIT_ABORT'
  | 'ERR_SUIT_NOT_A_DEPENDENCY'
  | 'ERR_SUIT_DEPENDENCY_INTEGRITY'
  | 'ERR_SUIT_TRY_EACH_FAILED'
  | 'ERR_SUIT_DEPENDENCY_NOT_VERIFIED'
  | 'ERR_SUIT_FETCH_FAILED'
  | 'ERR_SUIT_DECRYPTION_FAILED'
  | 'ERR_SUIT_OPERATION_FAILED'
  | 'ERR_SUIT_INVALID_STATE'
  | 'ERR_SUIT_INVALID_SPEC'
  | 'ERR_SUIT_INVALID_FILE_NAME';
