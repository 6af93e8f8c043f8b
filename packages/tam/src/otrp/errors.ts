/**
 * Errors of the TAM's OTrP service (draft-ietf-teep-opentrustprotocol-03 on the TAM, HTTP binding
 * draft-ietf-teep-otrp-over-http-02). OTrP has no TAM -> TEE error message: a response the TAM cannot
 * accept ends the exchange, so the protocol refusals carry `httpStatus = 204` (-02 §6.2: the TAM
 * passes back an empty buffer). Configuration errors surface at startup.
 */
import { OtrpError } from '@otrp/core';

export type TamOtrpErrorCode = 'ERR_TAM_OTRP_NO_SESSION' | 'ERR_TAM_OTRP_PEER_REFUSED' | 'ERR_TAM_OTRP_TA_PACKAGE' | 'ERR_TAM_OTRP_CONFIG';

export abstract class TamOtrpError extends OtrpError {
  abstract override readonly code: TamOtrpErrorCode;
}

/** The response names a rid/tid the TAM has no open request for (unknown, expired or replayed). */
export class TamOtrpNoSession extends TamOtrpError {
  readonly code = 'ERR_TAM_OTRP_NO_SESSION';
  readonly httpStatus = 204;
  constructor(message = 'no pending OTrP request with this rid/tid', options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The TEE used an algorithm its per-peer configuration does not allow (e.g. RSA1_5 without opt-in). */
export class TamOtrpPeerRefused extends TamOtrpError {
  readonly code = 'ERR_TAM_OTRP_PEER_REFUSED';
  readonly httpStatus = 204;
}

/** A stored `otrp-ta` trusted component is not a valid OTrP TA package (ta-package.ts). */
export class TamOtrpTaPackageInvalid extends TamOtrpError {
  readonly code = 'ERR_TAM_OTRP_TA_PACKAGE';
}

/** The `otrp` configuration or the PKI's OTrP keys are unusable. */
export class TamOtrpConfigInvalid extends TamOtrpError {
  readonly code = 'ERR_TAM_OTRP_CONFIG';
}

export type AnyTamOtrpError = TamOtrpNoSession | TamOtrpPeerRefused | TamOtrpTaPackageInvalid | TamOtrpConfigInvalid;
