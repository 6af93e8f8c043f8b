/**
 * EAT errors (RFC 9711 and the TEEP EAT profile, draft-ietf-teep-protocol-26 §5). One subclass per
 * failure with a stable code. The TEEP layer maps them: an Agent whose Evidence is refused gets an
 * Update with err-code ERR_ATTESTATION_REQUIRED (docs/teep-decisions.md).
 */
import { OtrpError } from '../errors.js';

export abstract class EatError extends OtrpError {
  abstract override readonly code: EatErrorCode;
}

/** The claims-set is not well-formed CBOR or not a map with int/text keys. */
export class EatMalformed extends EatError {
  readonly code = 'ERR_EAT_MALFORMED';
}

/** A claim has the wrong type or size for RFC 9711 / the TEEP profile. */
export class EatInvalidClaim extends EatError {
  readonly code = 'ERR_EAT_INVALID_CLAIM';
}

/** A claim the TEEP EAT profile requires is absent (ueid, oemid, hwmodel, hwversion, manifests, cnf; eat_nonce for nonce freshness). */
export class EatMissingClaim extends EatError {
  readonly code = 'ERR_EAT_MISSING_CLAIM';
}

/** eat_nonce differs from the challenge (Background-Check) or token (Passport) it must carry. */
export class EatNonceMismatch extends EatError {
  readonly code = 'ERR_EAT_NONCE_MISMATCH';
}

/** cnf does not name the key that signed the TEEP message (-26 §7.1.1.1 step 2). */
export class EatCnfMismatch extends EatError {
  readonly code = 'ERR_EAT_CNF_MISMATCH';
}

/** The Evidence is signed by no configured endorsement key. Fixed message. */
export class EatUntrustedSigner extends EatError {
  readonly code = 'ERR_EAT_UNTRUSTED_SIGNER';
  constructor(options?: { cause?: unknown }) {
    super('evidence is not signed by a trusted endorsement key', options);
  }
}

/** exp is past, or nbf still ahead, at the receiver's clock (RFC 8392 §3.1.4, §3.1.5). */
export class EatExpired extends EatError {
  readonly code = 'ERR_EAT_EXPIRED';
}

/** A claim differs from the Verifier's reference values (hwmodel, hwversion, firmware digest). */
export class EatReferenceValueMismatch extends EatError {
  readonly code = 'ERR_EAT_REFERENCE_VALUE_MISMATCH';
}

export type EatErrorCode =
  | 'ERR_EAT_MALFORMED'
  | 'ERR_EAT_INVALID_CLAIM'
  | 'ERR_EAT_MISSING_CLAIM'
  | 'ERR_EAT_NONCE_MISMATCH'
  | 'ERR_EAT_CNF_MISMATCH'
  | 'ERR_EAT_UNTRUSTED_SIGNER'
  | 'ERR_EAT_EXPIRED'
  | 'ERR_EAT_REFERENCE_VALUE_MISMATCH';

export type AnyEatError =
  | EatMalformed
  | EatInvalidClaim
  | EatMissingClaim
  | EatNonceMismatch
  | EatCnfMismatch
  | EatUntrustedSigner
  | EatExpired
  | EatReferenceValueMismatch;
