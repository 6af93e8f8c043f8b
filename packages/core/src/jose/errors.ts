/**
 * Errors of the OTrP JOSE profile (jose/). One base class, one subclass per failure, stable codes.
 * Signature and decryption failures have fixed messages that reveal nothing about why they failed
 * (RFC 7516 §11.5: no padding/key oracle), as panva/jose's JWSSignatureVerificationFailed does.
 */
import { OtrpError } from '../errors.js';

export abstract class JoseError extends OtrpError {}

/** The JWS/JWE JSON is not a well-formed flattened/general serialization (RFC 7515 §7.2, RFC 7516 §7.2). */
export class JoseMalformed extends JoseError {
  readonly code = 'ERR_JOSE_MALFORMED';
}

/** The algorithm is not allowed by the policy in force (`none`, an unlisted alg, RSA1_5 not opted in). */
export class JoseAlgorithmRefused extends JoseError {
  readonly code = 'ERR_JOSE_ALG_REFUSED';
}

/** The key is too weak for the profile (RSA under 2048 bits outside the draft-sample path). */
export class JoseWeakKey extends JoseError {
  readonly code = 'ERR_JOSE_WEAK_KEY';
}

/** The key cannot be used with the algorithm (wrong type or curve, not importable). */
export class JoseKeyUnsupported extends JoseError {
  readonly code = 'ERR_JOSE_KEY_UNSUPPORTED';
}

/** No signer key: no certificate in `x5c`/`signer` and none given by the caller. */
export class JoseSignerMissing extends JoseError {
  readonly code = 'ERR_JOSE_SIGNER_MISSING';
}

/** The JWS signature does not verify. Fixed message. */
export class JwsSignatureInvalid extends JoseError {
  readonly code = 'ERR_JWS_SIGNATURE_INVALID';
  constructor(options?: { cause?: unknown }) {
    super('signature verification failed', options);
  }
}

/**
 * JWE decryption failed: wrong key, bad RSA1_5 padding (implicit rejection makes the two the same
 * failure), tampered ciphertext, tag or protected header. Fixed message.
 */
export class JweDecryptionFailed extends JoseError {
  readonly code = 'ERR_JWE_DECRYPTION_FAILED';
  constructor(options?: { cause?: unknown }) {
    super('decryption failed', options);
  }
}

export type JoseErrorCode =
  | JoseMalformed['code']
  | JoseAlgorithmRefused['code']
  | JoseWeakKey['code']
  | JoseKeyUnsupported['code']
  | JoseSignerMissing['code']
  | JwsSignatureInvalid['code']
  | JweDecryptionFailed['code'];

export type AnyJoseError =
  | JoseMalformed
  | JoseAlgorithmRefused
  | JoseWeakKey
  | JoseKeyUnsupported
  | JoseSignerMissing
  | JwsSignatureInvalid
  | JweDecryptionFailed;
