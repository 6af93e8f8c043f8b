/**
 * The REE's view of a TEE: where a real TEE plugs in.
 *
 * The shape is that of the GlobalPlatform TEE Client API (TEEC_OpenSession, TEEC_InvokeCommand,
 * TEEC_CloseSession), which OP-TEE's libteec implements: open a session with the trusted
 * application, invoke numbered commands with a request buffer and get a response buffer back, close.
 * Nothing else crosses: no objects, no callbacks, no keys. A port to real hardware implements
 * `TeeBackend` over libteec (or an SGX enclave's ECALLs) and runs the same Agent TA code inside.
 *
 * `SimulatedTeeBackend` (tee-process.ts) implements it with a separate Node process.
 */

/** Command identifiers of the Agent TA (the `commandID` of TEEC_InvokeCommand). */
export const TEE_COMMAND = {
  /** -> identity: name, algorithm, public keys, certificates, trust anchors (public data only). */
  getIdentity: 0x01,
  /** name, alg -> enrolment request (CSRs, SPKIs); generates the keys inside the TEE, once. */
  generateKeys: 0x02,
  /** certificates and trust anchors -> nothing; checks each certificate certifies its key. */
  installCredentials: 0x03,
  /** name, alg (RS256), rsa15 -> OTrP enrolment request (CSR, SPKI); a dedicated OTrP key, once (otrp-identity.ts). */
  generateOtrpKey: 0x04,
  /** chain -> nothing; checks the leaf certifies the OTrP key. */
  installOtrpCertificate: 0x05,
  /** RFC 9397 §6.2.1 / otrp-over-http-15 conceptual API, each returning a BrokerInstruction. */
  requestTA: 0x10,
  unrequestTA: 0x11,
  requestPolicyCheck: 0x12,
  processTeepMessage: 0x13,
  processError: 0x14,
  /** -> installed TCs (ids, sequence numbers, signer, installed at). */
  listInstalled: 0x20,
  /** -> installed OTrP Security Domains and TAs (owner TAM, SP, SD, taid, installed at; no binaries). */
  listOtrp: 0x21,
  /**
   * OTrP (draft-ietf-teep-opentrustprotocol-03 §6.2 / otrp-over-http-02 §5.3 "ProcessOTrPMessage"):
   * one TAM request (JSON bytes) -> the TEE's response bytes, the request's name, the draft error
   * code when the response reports a failure, and what the request changed.
   */
  processOtrpMessage: 0x30,
} as const;
export type TeeCommandName = keyof typeof TEE_COMMAND;
export type TeeCommandId = (typeof TEE_COMMAND)[TeeCommandName];

export function isTeeCommandId(n: unknown): n is TeeCommandId {
  return Object.values(TEE_COMMAND).includes(n as TeeCommandId);
}

/** The client side of a TEE: sessions and commands over opaque buffers. */
export interface TeeBackend {
  /** Opens a session with the Agent TA; returns its handle. */
  openSession(): Promise<number>;
  /** Runs one command; rejects with a typed DeviceError (TeeCommandFailed carries the TEE's code). */
  invokeCommand(session: number, command: TeeCommandId, request: Uint8Array): Promise<Uint8Array>;
  closeSession(session: number): Promise<void>;
  /** Releases the TEE connection (for the simulation: stops the TEE process). */
  shutdown(): Promise<void>;
}

/** The TEE side: the trusted application's command entry point (TA_InvokeCommandEntryPoint). */
export interface TeeCommandHandler {
  invoke(command: TeeCommandId, request: Uint8Array): Promise<Uint8Array>;
}
