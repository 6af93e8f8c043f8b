/**
 * OTrP protocol errors: one class per error code of draft-ietf-teep-opentrustprotocol-03 §13.1.1
 * ("TEE Signed Error Code List") plus the codes the per-command lists use without defining them
 * (ERR_SD_NOT_FOUND, ERR_TAM_NOT_AUTHORIZED; notes §15 A13) and the Broker codes of §10.
 * Each carries `wireCode`: the draft's name as sent on the wire (`reason` / `errcode`).
 * `code` is ours (ERR_OTRP_...), stable, for `switch`.
 */
import { OtrpError } from '../errors.js';

/** Every wire error code with its meaning (§13.1.1, §9.x.x.4, §10). */
export const OTRP_ERROR_CODES = {
  ERR_DEV_STATE_MISMATCH: "The DSI hash sent by the TAM does not match the hash of the device's current DSI.",
  ERR_SD_ALREADY_EXISTS: 'The SD to be created already exists (§9.2.1.4 spells it ERR_SD_ALREADY_EXIST; both are accepted).',
  ERR_SD_NOT_EMPTY: 'The SD to be deleted still holds TAs and deleteta was not true.',
  ERR_SDNAME_ALREADY_USED: 'The new SD name is already used in the TEE.',
  ERR_REQUEST_INVALID: 'Invalid structure, mandatory member missing, undefined member, or signature/decryption failure.',
  ERR_SPCERT_INVALID: 'The SP certificate given for the SD is not valid.',
  ERR_TA_ALREADY_INSTALLED: 'The TA is already installed in the SD.',
  ERR_TA_INVALID: 'TA binary not recognized, TA binary/personalization data decryption failed, or SP not registered with the SD.',
  ERR_TA_NOT_FOUND: 'The target TA does not exist in the SD.',
  ERR_TEE_FAIL: 'Internal TEE error (the TEE can still sign).',
  ERR_TEE_RESOURCE_FULL: 'A device resource is unavailable, e.g. storage is full.',
  ERR_TFW_NOT_TRUSTED: 'The TEE determined that the TFW is not trustworthy.',
  ERR_TAM_NOT_TRUSTED: 'The TAM certificate or its OCSP status did not validate.',
  ERR_UNSUPPORTED_CRYPTO_ALG: 'The request uses an algorithm the TEE does not support.',
  ERR_UNSUPPORTED_MSG_VERSION: 'Unsupported message version.',
  ERR_TAM_NOT_AUTHORIZED: 'The TAM does not own the SD (tamid does not match the TAM certificate or the SD owner).',
  ERR_SD_NOT_FOUND: 'The SD does not exist.',
  ERR_AGENT_TEE_UNKNOWN: 'Broker: the TEE named in the request is unknown (§10).',
  ERR_AGENT_TEE_BUSY: 'Broker: the TEE is busy; retry later (§10).',
  ERR_AGENT_TEE_FAIL: "Broker: the TEE failed to respond (draft -02's Broker error list, dropped in -03; accepted from older Brokers).",
} as const;

export type OtrpWireErrorCode = keyof typeof OTRP_ERROR_CODES;

export function isOtrpWireErrorCode(v: unknown): v is OtrpWireErrorCode {
  return typeof v === 'string' && Object.hasOwn(OTRP_ERROR_CODES, v);
}

/** Base of every OTrP protocol error; `wireCode` is what goes into `reason` / `errcode`. */
export abstract class OtrpProtocolError extends OtrpError {
  abstract readonly wireCode: OtrpWireErrorCode;
}

export class OtrpDevStateMismatch extends OtrpProtocolError {
  readonly code = 'ERR_OTRP_DEV_STATE_MISMATCH';
  readonly wireCode = 'ERR_DEV_STATE_MISMATCH';
}
export class OtrpSdAlreadyExists extends OtrpProtocolError {
  readonly code = 'ERR_OTRP_SD_ALREADY_EXISTS';
  readonly wireCode = 'ERR_SD_ALREADY_EXISTS';
}
export class OtrpSdNotEmpty extends OtrpProtocolError {
  readonly code = 'ERR_OTRP_SD_NOT_EMPTY';
  readonly wireCode = 'ERR_SD_NOT_EMPTY';
}
export class OtrpSdNameAlreadyUsed extends OtrpProtocolError {
  readonly code = 'ERR_OTRP_SDNAME_ALREADY_USED';
  readonly wireCode = 'ERR_SDNAME_ALREADY_USED';
}
export class OtrpRequestInvalid extends OtrpProtocolError {
  readonly code = 'ERR_OTRP_REQUEST_INVALID';
  readonly wireCode = 'ERR_REQUEST_INVALID';
}
/** Bad input JSON beyond the limits (size, depth, string length): also ERR_REQUEST_INVALID on the wire. */
export class OtrpJsonLimit extends OtrpProtocolError {
  readonly code = 'ERR_OTRP_JSON_LIMIT';
  readonly wireCode = 'ERR_REQUEST_INVALID';
}
/** A rid/tid pair seen before (§9.1.1: "The combination of rid and tid MUST be made unique"). */
export class OtrpReplay extends OtrpProtocolError {
  readonly code = 'ERR_OTRP_REPLAY';
  readonly wireCode = 'ERR_REQUEST_INVALID';
}
export class OtrpSpCertInvalid extends OtrpProtocolError {
  readonly code = 'ERR_OTRP_SPCERT_INVALID';
  readonly wireCode = 'ERR_SPCERT_INVALID';
}
export class OtrpTaAlreadyInstalled extends OtrpProtocolError {
  readonly code = 'ERR_OTRP_TA_ALREADY_INSTALLED';
  readonly wireCode = 'ERR_TA_ALREADY_INSTALLED';
}
export class OtrpTaInvalid extends OtrpProtocolError {
  readonly code = 'ERR_OTRP_TA_INVALID';
  readonly wireCode = 'ERR_TA_INVALID';
}
export class OtrpTaNotFound extends OtrpProtocolError {
  readonly code = 'ERR_OTRP_TA_NOT_FOUND';
  readonly wireCode = 'ERR_TA_NOT_FOUND';
}
export class OtrpTeeFail extends OtrpProtocolError {
  readonly code = 'ERR_OTRP_TEE_FAIL';
  readonly wireCode = 'ERR_TEE_FAIL';
}
export class OtrpTeeResourceFull extends OtrpProtocolError {
  readonly code = 'ERR_OTRP_TEE_RESOURCE_FULL';
  readonly wireCode = 'ERR_TEE_RESOURCE_FULL';
}
export class OtrpTfwNotTrusted extends OtrpProtocolError {
  readonly code = 'ERR_OTRP_TFW_NOT_TRUSTED';
  readonly wireCode = 'ERR_TFW_NOT_TRUSTED';
}
export class OtrpTamNotTrusted extends OtrpProtocolError {
  readonly code = 'ERR_OTRP_TAM_NOT_TRUSTED';
  readonly wireCode = 'ERR_TAM_NOT_TRUSTED';
}
export class OtrpUnsupportedCryptoAlg extends OtrpProtocolError {
  readonly code = 'ERR_OTRP_UNSUPPORTED_CRYPTO_ALG';
  readonly wireCode = 'ERR_UNSUPPORTED_CRYPTO_ALG';
}
export class OtrpUnsupportedMsgVersion extends OtrpProtocolError {
  readonly code = 'ERR_OTRP_UNSUPPORTED_MSG_VERSION';
  readonly wireCode = 'ERR_UNSUPPORTED_MSG_VERSION';
}
export class OtrpTamNotAuthorized extends OtrpProtocolError {
  readonly code = 'ERR_OTRP_TAM_NOT_AUTHORIZED';
  readonly wireCode = 'ERR_TAM_NOT_AUTHORIZED';
}
export class OtrpSdNotFound extends OtrpProtocolError {
  readonly code = 'ERR_OTRP_SD_NOT_FOUND';
  readonly wireCode = 'ERR_SD_NOT_FOUND';
}
/** A TEE answered `status: "fail"`; the TAM side raises this with the TEE's wire code. */
export class OtrpPeerFailure extends OtrpError {
  readonly code = 'ERR_OTRP_PEER_FAILURE';
  constructor(
    readonly wireCode: string,
    message?: string,
  ) {
    super(message ?? `the TEE answered ${wireCode}`);
  }
}
/** A response that does not belong to the pending request (rid/tid/did mismatch, unexpected name). */
export class OtrpUnexpectedResponse extends OtrpError {
  readonly code = 'ERR_OTRP_UNEXPECTED_RESPONSE';
}

export type AnyOtrpProtocolError =
  | OtrpDevStateMismatch | OtrpSdAlreadyExists | OtrpSdNotEmpty | OtrpSdNameAlreadyUsed | OtrpRequestInvalid | OtrpJsonLimit
  | OtrpReplay | OtrpSpCertInvalid | OtrpTaAlreadyInstalled | OtrpTaInvalid | OtrpTaNotFound | OtrpTeeFail | OtrpTeeResourceFull
  | OtrpTfwNotTrusted | OtrpTamNotTrusted | OtrpUnsupportedCryptoAlg | OtrpUnsupportedMsgVersion | OtrpTamNotAuthorized
  | OtrpSdNotFound;
export type OtrpErrorCode = AnyOtrpProtocolError['code'] | OtrpPeerFailure['code'] | OtrpUnexpectedResponse['code'];
