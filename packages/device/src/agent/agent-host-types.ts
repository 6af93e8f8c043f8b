/**
 * The boundary between the Agent TA's command plumbing (tee/agent-ta.ts) and the TEEP Agent itself
 * (core teep/agent-session.ts, wired in agent-host.ts). It is the RFC 9397 §6.2.1 conceptual API
 * as otrp-over-http-15 uses it: every call returns a `BrokerInstruction`, i.e. (a) nothing, (b) a
 * TAM URI to connect to, or (c) a TAM URI and a message to send there.
 */
import type { SealedStorage } from '../tee/sealed-storage.js';
import type { DeviceKeySet } from '../tee/device-keys.js';
import type { DeviceCredentials } from '../tee/device-credentials.js';
import type { AgentTcStore } from './tc-store.js';

/** What the Agent passes back to the Broker (-15 §"Receiving a request to install a new TA"). */
export interface BrokerInstruction {
  readonly tamUri?: string;
  readonly message?: Uint8Array;
}

/** An Agent event reported to the REE (serialisable; mirrors core's AgentEvent). */
export interface AgentEventView {
  readonly type: string;
  readonly name?: string;
  readonly code?: string;
  readonly count?: number;
  readonly errCode?: number;
  readonly errMsg?: string;
  readonly detail?: string;
}

export interface ProcessTeepMessageResult {
  /** The Agent's answer (QueryResponse, Success or Error), or none: the session is over. */
  readonly message?: Uint8Array;
  readonly events: readonly AgentEventView[];
}

export interface AgentHost {
  requestTA(componentId: readonly Uint8Array[], tamUri?: string): Promise<BrokerInstruction>;
  unrequestTA(componentId: readonly Uint8Array[], tamUri?: string): Promise<BrokerInstruction>;
  requestPolicyCheck(tamUri?: string): Promise<BrokerInstruction>;
  processTeepMessage(tamUri: string, message: Uint8Array): Promise<ProcessTeepMessageResult>;
  processError(tamUri: string, detail?: string): Promise<void>;
}

/** What the Agent gets from the TA: everything inside the TEE. */
export interface AgentHostContext {
  readonly storage: SealedStorage;
  readonly keys: DeviceKeySet;
  readonly credentials: DeviceCredentials;
  readonly tcStore: AgentTcStore;
}
