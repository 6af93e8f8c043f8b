/**
 * Errors of the TAM service assembly (TamService, its configuration and the PKI it loads). Each has
 * a stable `code`; the protocol refusals carry `httpStatus = 204`: the TAM drops the message
 * (draft-ietf-teep-protocol-26 §7, otrp-over-http-15 §6.2) and the Agent's session ends.
 */
import { OtrpError } from '@otrp/core';

export type TamServiceErrorCode =
  | 'ERR_TAM_DEVICE_BLOCKED'
  | 'ERR_TAM_DEVICE_BACKING_OFF'
  | 'ERR_TAM_CONFIG'
  | 'ERR_TAM_PKI';

/** Base class of the service's errors. */
export abstract class TamServiceError extends OtrpError {
  abstract override readonly code: TamServiceErrorCode;
}

/** The device is blocked or decommissioned by the operator: its messages are dropped (audited). */
export class TamDeviceBlocked extends TamServiceError {
  readonly code = 'ERR_TAM_DEVICE_BLOCKED';
  readonly httpStatus = 204;
  constructor(message = 'the device is blocked or decommissioned', options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * The device's last session ended in back-off (-26 §4.6 ERR_PERMANENT_ERROR: "refuse to communicate
 * ... for some period of time") and the period has not passed.
 */
export class TamDeviceBackingOff extends TamServiceError {
  readonly code = 'ERR_TAM_DEVICE_BACKING_OFF';
  readonly httpStatus = 204;
  constructor(readonly retryAt: number, options?: { cause?: unknown }) {
    super(`the device is backing off until ${new Date(retryAt).toISOString()}`, options);
  }
}

/** The configuration file or an option is invalid (a startup failure). */
export class TamConfigInvalid extends TamServiceError {
  readonly code = 'ERR_TAM_CONFIG';
}

/** A file the TAM needs from its PKI directory is missing or unusable (a startup failure). */
export class TamPkiUnusable extends TamServiceError {
  readonly code = 'ERR_TAM_PKI';
}

export type AnyTamServiceError = TamDeviceBlocked | TamDeviceBackingOff | TamConfigInvalid | TamPkiUnusable;
