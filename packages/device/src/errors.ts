/**
 * Device-side errors: the simulated TEE (sealed storage, TC store, the TEE process and its channel)
 * and the Broker (TEEP-over-HTTP client, draft-ietf-teep-otrp-over-http-15).
 *
 * One subclass per failure, each with a stable `code`. Messages about unsealing are fixed and say
 * nothing about why (wrong key, tampering and a swapped file look the same on purpose). None of
 * these has a TEEP err-code: TEEP Errors are produced by the Agent inside the TEE; what is here is
 * either local (the TEE's own storage) or a transport failure that the Broker reports to its caller
 * after calling the Agent's ProcessError (-15 §"Error handling").
 */
import { OtrpError } from '@otrp/core';

/** Base of every device-side failure. */
export abstract class DeviceError extends OtrpError {
  abstract override readonly code: DeviceErrorCode;
}

// ---- sealed storage and files ----

/** A sealed file did not authenticate: wrong device key, tampered bytes, or a file under another name. */
export class SealedDataInvalid extends DeviceError {
  readonly code = 'ERR_TEE_UNSEAL_FAILED';
  constructor(options?: { cause?: unknown }) {
    super('sealed data could not be opened', options);
  }
}

/** A sealed file whose header is not ours, or of a format version this build does not know. */
export class SealedFormatUnsupported extends DeviceError {
  readonly code = 'ERR_TEE_SEALED_FORMAT';
}

/** The device secret (the simulated hardware unique key) is missing or malformed. */
export class DeviceSecretUnavailable extends DeviceError {
  readonly code = 'ERR_TEE_DEVICE_SECRET';
}

/** A logical name that cannot name a sealed file (see sealed-storage.ts `checkSealedName`). */
export class SealedNameInvalid extends DeviceError {
  readonly code = 'ERR_TEE_SEALED_NAME';
}

/** A file operation of the TEE's storage failed (disk full, permissions, ...). */
export class TeeStorageFailed extends DeviceError {
  readonly code = 'ERR_TEE_STORAGE';
}

/** The TC store's index or one of its payloads is inconsistent (missing, wrong digest, bad shape). */
export class TcStoreCorrupt extends DeviceError {
  readonly code = 'ERR_TC_STORE_CORRUPT';
}

/** The TEE's sealed OTrP state (`otrp-state`, `otrp-ridtid`) authenticates but does not have the expected shape. */
export class OtrpStoreCorrupt extends DeviceError {
  readonly code = 'ERR_OTRP_STORE_CORRUPT';
}

// ---- device directory and keys ----

/** The directory holds no initialised device (no device.json / no TEE folder / no keys). */
export class DeviceNotInitialized extends DeviceError {
  readonly code = 'ERR_DEVICE_NOT_INITIALIZED';
}

/** `init` on a directory that already holds a device. */
export class DeviceAlreadyInitialized extends DeviceError {
  readonly code = 'ERR_DEVICE_ALREADY_INITIALIZED';
}

/** A certificate handed to the TEE does not certify the key it is meant for. */
export class CredentialMismatch extends DeviceError {
  readonly code = 'ERR_DEVICE_CREDENTIAL_MISMATCH';
}

// ---- the TEE process and its channel ----

/** The TEE process exited or was killed; every pending and later call fails with this. */
export class TeeCrashed extends DeviceError {
  readonly code = 'ERR_TEE_CRASHED';
}

/** The TEE process did not come up (entry not found, exited during start). */
export class TeeStartFailed extends DeviceError {
  readonly code = 'ERR_TEE_START_FAILED';
}

/** A malformed channel message, an unknown session or command. */
export class TeeChannelError extends DeviceError {
  readonly code = 'ERR_TEE_CHANNEL';
}

/**
 * A command ran inside the TEE and failed there. `teeCode` is the code of the error inside the TEE
 * (only codes cross the boundary, never stack traces or key material).
 */
export class TeeCommandFailed extends DeviceError {
  readonly code = 'ERR_TEE_COMMAND_FAILED';
  readonly teeCode: string;
  constructor(teeCode: string, message: string) {
    super(`${teeCode}: ${message}`);
    this.teeCode = teeCode;
  }
}

/** A command that needs the TEEP Agent, on a TEE whose backend has none wired. */
export class AgentUnavailable extends DeviceError {
  readonly code = 'ERR_TEE_AGENT_UNAVAILABLE';
}

/** The device cannot speak OTrP (its TEEP key is not P-256, or it has no certificate for it). */
export class OtrpUnavailable extends DeviceError {
  readonly code = 'ERR_OTRP_UNAVAILABLE';
}

// ---- the Broker (TEEP/HTTP client) ----

/** The TAM could not be reached, or the connection broke (-15 "lower layer error"). */
export class BrokerTransportFailed extends DeviceError {
  readonly code = 'ERR_BROKER_TRANSPORT';
}

/** No response within the Broker's timeout (a transport guard; TEEP timeouts belong to the Agent). */
export class BrokerTimeout extends DeviceError {
  readonly code = 'ERR_BROKER_TIMEOUT';
}

/** The TAM answered with an HTTP error status (4xx/5xx, or any non-2xx, non-3xx). */
export class BrokerHttpStatus extends DeviceError {
  readonly code = 'ERR_BROKER_HTTP_STATUS';
  readonly status: number;
  constructor(status: number, options?: { cause?: unknown }) {
    super(`TAM answered HTTP ${status}`, options);
    this.status = status;
  }
}

/**
 * The TAM answered with a redirect; -15 §4: "Redirects MUST NOT be automatically followed". For OTrP
 * (-02 §4 allows following): a 303, a redirect without a usable Location, or too many hops.
 */
export class BrokerRedirect extends DeviceError {
  readonly code = 'ERR_BROKER_REDIRECT';
}

/** A response with content that is not `application/teep+cbor` (-15 §4) or `application/otrp+json` (-02 §5). */
export class BrokerContentType extends DeviceError {
  readonly code = 'ERR_BROKER_CONTENT_TYPE';
}

/** A response body over the Broker's size limit. */
export class BrokerResponseTooLarge extends DeviceError {
  readonly code = 'ERR_BROKER_RESPONSE_TOO_LARGE';
}

/** A TAM URI that is not an absolute http(s) URI. */
export class BrokerBadUri extends DeviceError {
  readonly code = 'ERR_BROKER_BAD_URI';
}

/** The session went on for more round trips than the Broker allows (a loop guard). */
export class BrokerSessionTooLong extends DeviceError {
  readonly code = 'ERR_BROKER_SESSION_TOO_LONG';
}

export type DeviceErrorCode =
  | 'ERR_TEE_UNSEAL_FAILED'
  | 'ERR_TEE_SEALED_FORMAT'
  | 'ERR_TEE_DEVICE_SECRET'
  | 'ERR_TEE_SEALED_NAME'
  | 'ERR_TEE_STORAGE'
  | 'ERR_TC_STORE_CORRUPT'
  | 'ERR_OTRP_STORE_CORRUPT'
  | 'ERR_OTRP_UNAVAILABLE'
  | 'ERR_DEVICE_NOT_INITIALIZED'
  | 'ERR_DEVICE_ALREADY_INITIALIZED'
  | 'ERR_DEVICE_CREDENTIAL_MISMATCH'
  | 'ERR_TEE_CRASHED'
  | 'ERR_TEE_START_FAILED'
  | 'ERR_TEE_CHANNEL'
  | 'ERR_TEE_COMMAND_FAILED'
  | 'ERR_TEE_AGENT_UNAVAILABLE'
  | 'ERR_BROKER_TRANSPORT'
  | 'ERR_BROKER_TIMEOUT'
  | 'ERR_BROKER_HTTP_STATUS'
  | 'ERR_BROKER_REDIRECT'
  | 'ERR_BROKER_CONTENT_TYPE'
  | 'ERR_BROKER_RESPONSE_TOO_LARGE'
  | 'ERR_BROKER_BAD_URI'
  | 'ERR_BROKER_SESSION_TOO_LONG';

export type AnyDeviceError =
  | SealedDataInvalid | SealedFormatUnsupported | DeviceSecretUnavailable | SealedNameInvalid | TeeStorageFailed
  | TcStoreCorrupt | OtrpStoreCorrupt | OtrpUnavailable | DeviceNotInitialized | DeviceAlreadyInitialized | CredentialMismatch | TeeCrashed
  | TeeStartFailed | TeeChannelError | TeeCommandFailed | AgentUnavailable | BrokerTransportFailed | BrokerTimeout
  | BrokerHttpStatus | BrokerRedirect | BrokerContentType | BrokerResponseTooLarge | BrokerBadUri | BrokerSessionTooLong;
