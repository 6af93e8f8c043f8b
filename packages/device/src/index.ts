/**
 * @otrp/device: the device side of otrp. A simulated TEE (its own process, sealed storage, keys
 * generated inside) hosting the TEEP Agent, and the Broker (TEEP-over-HTTP client) in the REE.
 * Only what this file exports is public.
 */

// ---- errors ----
export * as deviceErrors from './errors.js';
export { DeviceError } from './errors.js';
export type { DeviceErrorCode, AnyDeviceError } from './errors.js';

// ---- the device (REE side; what `otrp device ...` uses) ----
export { initDevice, Device, runDeviceOnce, runOtrpOnce, keyAgreementJwk } from './device.js';
export type { InitDeviceOptions, DeviceTrust, RunOnceOptions, RunOnceResult, OtrpRunOptions, OtrpRunResult } from './device.js';
export { pollDevice, pollOtrpDevice } from './poll.js';
export type { PollOptions, OtrpPollOptions, PollLoopOptions } from './poll.js';
export { DEVICE_LAYOUT, readDeviceConfig, teeDirOf } from './device-dir.js';
export type { DeviceConfig } from './device-dir.js';
export { issueDeviceCertificates, issueOtrpCertificate } from './enrolment.js';
export { OTRP_KEY_ALGS, otrpSubjectName } from './tee/otrp-identity.js';
export type { OtrpKeyAlg, OtrpEnrolmentRequest } from './tee/otrp-identity.js';
export type { EnrolOptions } from './enrolment.js';
export { parseTcId, formatTcId, componentIdFromUuid } from './tc-id.js';

// ---- broker ----
export { Broker } from './broker/broker.js';
export type { BrokerAgent, BrokerExchange, BrokerOptions, BrokerSessionResult } from './broker/broker.js';
export { postTeep, checkTamUri, TEEP_MEDIA_TYPE } from './broker/teep-http-client.js';
export type { TeepHttpClientOptions } from './broker/teep-http-client.js';
export { runOtrpSession } from './broker/otrp-broker.js';
export type { OtrpBrokerAgent, OtrpBrokerOptions, OtrpExchange, OtrpSessionResult, OtrpTeeOutcome } from './broker/otrp-broker.js';
export { postOtrp, OTRP_MEDIA_TYPE, DEFAULT_OTRP_MAX_RESPONSE_BYTES } from './broker/otrp-http-client.js';
export type { OtrpHttpClientOptions } from './broker/otrp-http-client.js';
export { describeOtrpMessage } from './broker/otrp-message-view.js';
export type { OtrpMessageView } from './broker/otrp-message-view.js';

// ---- the TEE boundary ----
export { TEE_COMMAND } from './tee/tee-backend.js';
export type { TeeBackend, TeeCommandHandler, TeeCommandId, TeeCommandName } from './tee/tee-backend.js';
export { SimulatedTeeBackend } from './tee/tee-process.js';
export type { SimulatedTeeOptions } from './tee/tee-process.js';
export type { ChannelRequest, ChannelResponse, ChannelTap } from './tee/tee-channel.js';
export { TeeClient } from './tee/tee-client.js';
export type { TeeIdentity, InstalledTcInfo, OtrpInventory } from './tee/tee-client.js';
export type { OtrpTaInfo, OtrpChange, OtrpStoreLimits } from './tee/otrp-store.js';
export { OTRP_STORE_LIMITS, OTRP_STATE_FILE, OTRP_RIDTID_FILE } from './tee/otrp-store.js';
export type { OtrpProcessResult } from './tee/otrp-ta.js';
export type { AgentEventView, BrokerInstruction, ProcessTeepMessageResult } from './agent/agent-host-types.js';
export { CRASH_ENV, CRASH_STEPS } from './tee/crash-points.js';
export type { CrashStep } from './tee/crash-points.js';

// ---- keys and credentials (types and tables; the keys themselves never leave the TEE) ----
export { DEVICE_KEY_PURPOSES, DEVICE_KEY_ALGS, DEVICE_KEY_CERTIFICATION, isDeviceKeyAlg, deviceSubjectName } from './tee/device-keys.js';
export type { DeviceKeyPurpose, DeviceKeyAlg, DeviceEnrolmentRequest } from './tee/device-keys.js';
export type { DeviceCredentials } from './tee/device-credentials.js';
export { SIMULATED_TEE_MODEL } from './agent/agent-host.js';
