/**
 * COSE errors (RFC 9052, RFC 9053). One subclass per failure, each with a stable `code`.
 *
 * Signature, MAC and decryption failures carry fixed messages that say nothing about which check
 * failed or why (jose's JWSSignatureVerificationFailed does the same), so that a verifier cannot be
 * used as an oracle. Wrapped crypto failures keep the original error in `cause` for debugging.
 */
import { OtrpError } from '../errors.js';

/** Base class of every COSE failure. */
export abstract class CoseError extends OtrpError {}

/** The bytes are not a well-formed COSE structure (shape, types, header rules of RFC 9052 §3). */
export class CoseMalformed extends CoseError {
  readonly code = 'ERR_COSE_MALFORMED';
}

/** A signature did not verify, or no signer could be verified. Fixed message. */
export class CoseSignatureInvalid extends CoseError {
  readonly code = 'ERR_COSE_SIGNATURE_INVALID';
  constructor(options?: { cause?: unknown }) {
    super('signature verification failed', options);
  }
}

/** A MAC tag did not verify. Fixed message. */
export class CoseMacInvalid extends CoseError {
  readonly code = 'ERR_COSE_MAC_INVALID';
  constructor(options?: { cause?: unknown }) {
    super('MAC verification failed', options);
  }
}

/** Decryption, key unwrap or authentication of ciphertext failed. Fixed message. */
export class CoseDecryptFailed extends CoseError {
  readonly code = 'ERR_COSE_DECRYPT_FAILED';
  constructor(options?: { cause?: unknown }) {
    super('decryption failed', options);
  }
}

/** The algorithm is not in the table of supported algorithms, or not allowed where it appears. */
export class CoseUnsupportedAlg extends CoseError {
  readonly code = 'ERR_COSE_UNSUPPORTED_ALG';
}

/** A key is malformed (bad COSE_Key, JWK or PEM, wrong lengths, point not on curve ...). */
export class CoseKeyInvalid extends CoseError {
  readonly code = 'ERR_COSE_KEY_INVALID';
}

/** A well-formed key does not fit the algorithm or the operation (wrong kty/crv, no private part). */
export class CoseKeyMismatch extends CoseError {
  readonly code = 'ERR_COSE_KEY_MISMATCH';
}

/** A header the caller or the message requires is absent, or a critical header is not understood (RFC 9052 §3.1). */
export class CoseHeaderUnsupported extends CoseError {
  readonly code = 'ERR_COSE_HEADER_UNSUPPORTED';
}

/** No key was available for the message (no matching recipient or signer, resolver gave none). */
export class CoseNoKey extends CoseError {
  readonly code = 'ERR_COSE_NO_KEY';
}

export type CoseErrorCode =
  | CoseMalformed['code']
  | CoseSignatureInvalid['code']
  | CoseMacInvalid['code']
  | CoseDecryptFailed['code']
  | CoseUnsupportedAlg['code']
  | CoseKeyInvalid['code']
  | CoseKeyMismatch['code']
  | CoseHeaderUnsupported['code']
  | CoseNoKey['code'];

export type AnyCoseError =
  | CoseMalformed
  | CoseSignatureInvalid
  | CoseMacInvalid
  | CoseDecryptFailed
  | CoseUnsupportedAlg
  | CoseKeyInvalid
  | CoseKeyMismatch
  | CoseHeaderUnsupported
  | CoseNoKey;
