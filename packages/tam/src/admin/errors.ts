/**
 * Errors of the TAM management API (`/admin/v1/`) that no lower layer already names. Chain and
 * signature failures keep the codes of the layer that found them (ERR_CERTIFICATE_ROLE,
 * ERR_CHAIN_UNTRUSTED, ERR_SUIT_AUTHENTICATION_FAILED, ...), and store failures keep ERR_STORE_*.
 *
 * Each class carries the HTTP status it stands for in `httpStatus`, which http/error-response.ts
 * takes before its table (the same mechanism as the HTTP layer's own errors), so no row is needed.
 */
import { OtrpError } from '@otrp/core';

/** Base class of every admin API error. */
export abstract class AdminError extends OtrpError {
  abstract override readonly code: AdminErrorCode;
  /** The status this refusal is answered with. */
  abstract readonly httpStatus: number;
}

/** The upload body is empty, not base64, or larger than the upload limit allows once decoded. */
export class AdminInvalidUpload extends AdminError {
  readonly code = 'ERR_ADMIN_INVALID_UPLOAD';
  readonly httpStatus = 400;
}

/** A body in a media type the route does not take: JSON everywhere, or a SUIT envelope for an upload. */
export class AdminUnsupportedMediaType extends AdminError {
  readonly code = 'ERR_ADMIN_UNSUPPORTED_MEDIA_TYPE';
  readonly httpStatus = 415;
  constructor(options?: { cause?: unknown }) {
    super('send application/json (a TC upload also takes application/suit-envelope+cose, application/octet-stream or application/vnd.otrp-ta+json)', options);
  }
}

/**
 * No COSE_Sign1 authentication block of the envelope carries an x5chain (RFC 9360), so its signer
 * cannot be traced to the TC-Signer CA. A MAC or a bare `kid` proves nothing about who signed.
 */
export class AdminSignerChainMissing extends AdminError {
  readonly code = 'ERR_ADMIN_SIGNER_CHAIN_MISSING';
  readonly httpStatus = 422;
  constructor(options?: { cause?: unknown }) {
    super('the envelope has no COSE_Sign1 authentication block with an x5chain header', options);
  }
}

/** A verified manifest the TAM cannot manage: no component id, or a sequence number beyond 2^53-1. */
export class AdminUnsupportedManifest extends AdminError {
  readonly code = 'ERR_ADMIN_UNSUPPORTED_MANIFEST';
  readonly httpStatus = 422;
}

/**
 * The upload's sequence number is not higher than the stored one for the same component: no
 * rollback and no silent re-upload (suit-manifest-37 §8.4.2; DESIGN.md "Invariants").
 */
export class AdminSequenceNotHigher extends AdminError {
  readonly code = 'ERR_ADMIN_SEQUENCE_NOT_HIGHER';
  readonly httpStatus = 409;
}

/**
 * The upload names a stored component but cannot replace it: the stored one has another format, or
 * a new version of an OTrP TA names another Service Provider or Security Domain (the TAM would
 * otherwise leave the installed TA behind in the old SD; delete the TC and upload it anew instead).
 */
export class AdminComponentConflict extends AdminError {
  readonly code = 'ERR_ADMIN_COMPONENT_CONFLICT';
  readonly httpStatus = 409;
}

/** A path or query value the API cannot use (bad hex, an incomplete policy scope). */
export class AdminInvalidArgument extends AdminError {
  readonly code = 'ERR_ADMIN_INVALID_ARGUMENT';
  readonly httpStatus = 400;
}

/** Every admin error class, for `switch (err.code)`. */
export type AnyAdminError =
  | AdminInvalidUpload
  | AdminUnsupportedMediaType
  | AdminSignerChainMissing
  | AdminUnsupportedManifest
  | AdminSequenceNotHigher
  | AdminComponentConflict
  | AdminInvalidArgument;

/** The union of admin error codes. */
export type AdminErrorCode =
  | 'ERR_ADMIN_INVALID_UPLOAD'
  | 'ERR_ADMIN_UNSUPPORTED_MEDIA_TYPE'
  | 'ERR_ADMIN_SIGNER_CHAIN_MISSING'
  | 'ERR_ADMIN_UNSUPPORTED_MANIFEST'
  | 'ERR_ADMIN_SEQUENCE_NOT_HIGHER'
  | 'ERR_ADMIN_COMPONENT_CONFLICT'
  | 'ERR_ADMIN_INVALID_ARGUMENT';
