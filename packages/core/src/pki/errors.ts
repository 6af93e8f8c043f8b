/**
 * Errors of the PKI layer: certificate creation, CSRs, CRLs and RFC 5280 path validation.
 *
 * One subclass per failure, each with a stable `code`. Where trust is decided in a TEEP exchange the
 * failure maps onto a TEEP err-code (draft-ietf-teep-protocol-26 §4.6 "Error Message", unchanged in the
 * pre-26 numbering): `teepErrCode` says which. Two families exist:
 *
 * | code                            | teepErrCode | meaning |
 * |---------------------------------|-------------|---------|
 * | ERR_CERTIFICATE_EXPIRED         | 9 ERR_CERTIFICATE_EXPIRED | a certificate of the path is past notAfter |
 * | ERR_CERTIFICATE_NOT_YET_VALID   | 9 ERR_CERTIFICATE_EXPIRED | before notBefore (as TLS's certificate_expired alert, RFC 8446 §6.2: "expired or not currently valid") |
 * | ERR_CERTIFICATE_REVOKED         | 6 ERR_BAD_CERTIFICATE | listed on a CRL of its issuer |
 * | ERR_REVOCATION_UNKNOWN          | 6 | CRLs were given but none valid covers a certificate of the path (fail closed) |
 * | ERR_CHAIN_UNTRUSTED             | 6 | no path to a trust anchor of the role |
 * | ERR_CERTIFICATE_ROLE            | 6 | wrong extendedKeyUsage for the role (e.g. a device certificate as TC signer) |
 * | ERR_CERTIFICATE_SIGNATURE       | 6 | a certificate's signature does not verify with its issuer's key |
 * | ERR_CERTIFICATE_KEY_USAGE       | 6 | keyUsage forbids the use (leaf), or a CA lacks keyCertSign/cRLSign |
 * | ERR_CERTIFICATE_CONSTRAINTS     | 6 | basicConstraints/pathLen violated, critical extension not understood |
 * | ERR_CERTIFICATE_MALFORMED       | 6 | not a DER X.509 certificate (garbage, truncated, wrong PEM) |
 * | ERR_PKI_WEAK_KEY                | 6 | RSA modulus under 2048 bits (refused on creation and validation) |
 * | ERR_PKI_UNSUPPORTED_ALGORITHM   | 6 | a key or signature algorithm outside the PKI_KEY_ALGORITHM table |
 * | ERR_CSR_INVALID                 | 6 | a PKCS#10 request that does not parse or whose self-signature fails |
 * | ERR_CRL_INVALID                 | 6 | a CRL that does not parse |
 * | ERR_PKI_KEY_MALFORMED           | 6 | a key (PKCS#8, SPKI, JWK) that does not parse |
 * | ERR_PKI_CA_STATE                | 6 | a CA folder's state file (ca.json) is unreadable (operator side only) |
 *
 * Only the Agent sends TEEP Error messages; the TAM reports the same codes in an Update's err-code or
 * drops the message. That choice belongs to the teep layer, not here.
 */
import { OtrpError } from '../errors.js';

/** TEEP err-code values used by this layer (draft-ietf-teep-protocol-26 §4.6). */
export const TEEP_CERT_ERR_CODE = { ERR_BAD_CERTIFICATE: 6, ERR_CERTIFICATE_EXPIRED: 9 } as const;

export abstract class PkiError extends OtrpError {
  /** The TEEP err-code a party reports for this failure (6 ERR_BAD_CERTIFICATE unless overridden). */
  readonly teepErrCode: number = TEEP_CERT_ERR_CODE.ERR_BAD_CERTIFICATE;
}

export class CertificateExpired extends PkiError {
  readonly code = 'ERR_CERTIFICATE_EXPIRED';
  override readonly teepErrCode = TEEP_CERT_ERR_CODE.ERR_CERTIFICATE_EXPIRED;
}
export class CertificateNotYetValid extends PkiError {
  readonly code = 'ERR_CERTIFICATE_NOT_YET_VALID';
  override readonly teepErrCode = TEEP_CERT_ERR_CODE.ERR_CERTIFICATE_EXPIRED;
}
export class CertificateRevoked extends PkiError {
  readonly code = 'ERR_CERTIFICATE_REVOKED';
}
export class RevocationUnknown extends PkiError {
  readonly code = 'ERR_REVOCATION_UNKNOWN';
}
export class ChainUntrusted extends PkiError {
  readonly code = 'ERR_CHAIN_UNTRUSTED';
}
export class CertificateRole extends PkiError {
  readonly code = 'ERR_CERTIFICATE_ROLE';
}
export class CertificateSignature extends PkiError {
  readonly code = 'ERR_CERTIFICATE_SIGNATURE';
  constructor(options?: { cause?: unknown }) {
    super('certificate signature verification failed', options); // fixed, reveals nothing
  }
}
export class CertificateKeyUsage extends PkiError {
  readonly code = 'ERR_CERTIFICATE_KEY_USAGE';
}
export class CertificateConstraints extends PkiError {
  readonly code = 'ERR_CERTIFICATE_CONSTRAINTS';
}
export class CertificateMalformed extends PkiError {
  readonly code = 'ERR_CERTIFICATE_MALFORMED';
}
export class WeakKey extends PkiError {
  readonly code = 'ERR_PKI_WEAK_KEY';
}
export class UnsupportedAlgorithm extends PkiError {
  readonly code = 'ERR_PKI_UNSUPPORTED_ALGORITHM';
}
export class CsrInvalid extends PkiError {
  readonly code = 'ERR_CSR_INVALID';
}
export class CrlInvalid extends PkiError {
  readonly code = 'ERR_CRL_INVALID';
}
export class KeyMalformed extends PkiError {
  readonly code = 'ERR_PKI_KEY_MALFORMED';
}

/** A CA folder's state file (ca.json) that does not parse or has the wrong shape. */
export class CaStateInvalid extends PkiError {
  readonly code = 'ERR_PKI_CA_STATE';
}

/** Every code of this layer, for `switch (err.code)`. */
export type PkiErrorCode =
  | CertificateExpired['code']
  | CertificateNotYetValid['code']
  | CertificateRevoked['code']
  | RevocationUnknown['code']
  | ChainUntrusted['code']
  | CertificateRole['code']
  | CertificateSignature['code']
  | CertificateKeyUsage['code']
  | CertificateConstraints['code']
  | CertificateMalformed['code']
  | WeakKey['code']
  | UnsupportedAlgorithm['code']
  | CsrInvalid['code']
  | CrlInvalid['code']
  | KeyMalformed['code']
  | CaStateInvalid['code'];
