/**
 * The REE's typed client of the Agent TA: one session over any TeeBackend, one method per
 * TEE_COMMAND. Requests and responses are CBOR records (cbor-record.ts); the TEE's answers are
 * checked here before use, as anything coming over a channel would be.
 */
import { decodeCoseKey, type CoseKey } from '@otrp/core';
import type { AgentEventView, BrokerInstruction, ProcessTeepMessageResult } from '../agent/agent-host-types.js';
import { asRec, bytes, decodeRecord, encodeRecord, list, optBytes, optStr, str, type Rec, type RecordValue } from './cbor-record.js';
import { credentialsFromRecord, credentialsToRecord, type DeviceCredentials } from './device-credentials.js';
import { DEVICE_KEY_PURPOSES, type DeviceEnrolmentRequest, type DeviceKeyAlg, type DeviceKeyPurpose } from './device-keys.js';
import { TEE_COMMAND, type TeeBackend, type TeeCommandId } from './tee-backend.js';
import { TeeChannelError } from '../errors.js';

/** The TEE's public identity. */
export interface TeeIdentity {
  readonly provisioned: boolean;
  readonly name?: string;
  readonly alg?: DeviceKeyAlg;
  readonly publicKeys?: Readonly<Record<DeviceKeyPurpose, CoseKey>>;
  readonly credentials?: DeviceCredentials;
}

/** One installed Trusted Component as listed by the TEE. */
export interface InstalledTcInfo {
  readonly manifestId: readonly Uint8Array[];
  readonly componentIds: readonly (readonly Uint8Array[])[];
  readonly sequenceNumber: bigint;
  readonly digest: Uint8Array;
  readonly signer: string;
  readonly installedAt: number;
  readonly uri?: string;
}

const componentId = (v: RecordValue | undefined, what: string): Uint8Array[] => {
  if (!Array.isArray(v) || !v.every((x) => x instanceof Uint8Array)) throw new TeeChannelError(`${what}: not a component identifier`);
  return v as Uint8Array[];
};

export class TeeClient {
  readonly backend: TeeBackend;
  #session: Promise<number> | undefined;

  constructor(backend: TeeBackend) {
    this.backend = backend;
  }

  async #invoke(command: TeeCommandId, request: RecordValue = {}): Promise<Rec> {
    this.#session ??= this.backend.openSession();
    const session = await this.#session;
    return asRec(decodeRecord(await this.backend.invokeCommand(session, command, encodeRecord(request))), 'response');
  }

  async getIdentity(): Promise<TeeIdentity> {
    const r = await this.#invoke(TEE_COMMAND.getIdentity);
    if (r['provisioned'] !== true) return { provisioned: false };
    const pk = asRec(r['publicKeys'], 'publicKeys');
    return {
      provisioned: true,
      name: str(r, 'name'),
      alg: str(r, 'alg') as DeviceKeyAlg,
      publicKeys: Object.fromEntries(DEVICE_KEY_PURPOSES.map((p) => [p, decodeCoseKey(bytes(pk, p))])) as Record<DeviceKeyPurpose, CoseKey>,
      credentials: credentialsFromRecord(r),
    };
  }

  /** Generates the device keys inside the TEE (once) and returns the enrolment request. */
  async generateKeys(name: string, alg: DeviceKeyAlg): Promise<DeviceEnrolmentRequest> {
    const r = await this.#invoke(TEE_COMMAND.generateKeys, { name, alg });
    const csrs = asRec(r['csrs'], 'csrs');
    const spki = asRec(r['spki'], 'spki');
    return {
      name: str(r, 'name'),
      alg: str(r, 'alg') as DeviceKeyAlg,
      csrs: { teep: bytes(csrs, 'teep'), suitReport: bytes(csrs, 'suitReport'), attestation: bytes(csrs, 'attestation') },
      spki: Object.fromEntries(DEVICE_KEY_PURPOSES.map((p) => [p, bytes(spki, p)])) as Record<DeviceKeyPurpose, Uint8Array>,
    };
  }

  async installCredentials(credentials: DeviceCredentials): Promise<void> {
    await this.#invoke(TEE_COMMAND.installCredentials, { credentials: credentialsToRecord(credentials) });
  }

  async listInstalled(): Promise<InstalledTcInfo[]> {
    const r = await this.#invoke(TEE_COMMAND.listInstalled);
    return list(r, 'tcs').map((v, i) => {
      const t = asRec(v, `tc ${i}`);
      const seq = t['sequenceNumber'];
      const at = t['installedAt'];
      if (typeof seq !== 'bigint' && typeof seq !== 'number') throw new TeeChannelError('sequenceNumber: not an integer');
      if (typeof at !== 'number' && typeof at !== 'bigint') throw new TeeChannelError('installedAt: not an integer');
      const uri = optStr(t, 'uri');
      return {
        manifestId: componentId(t['manifestId'], 'manifestId'),
        componentIds: list(t, 'componentIds').map((c, j) => componentId(c, `componentIds[${j}]`)),
        sequenceNumber: BigInt(seq),
        digest: bytes(t, 'digest'),
        signer: str(t, 'signer'),
        installedAt: Number(at),
        ...(uri !== undefined ? { uri } : {}),
      };
    });
  }

  async requestTA(id: readonly Uint8Array[], tamUri?: string): Promise<BrokerInstruction> {
    return readInstruction(await this.#invoke(TEE_COMMAND.requestTA, { componentId: [...id], tamUri }));
  }

  async unrequestTA(id: readonly Uint8Array[], tamUri?: string): Promise<BrokerInstruction> {
    return readInstruction(await this.#invoke(TEE_COMMAND.unrequestTA, { componentId: [...id], tamUri }));
  }

  async requestPolicyCheck(tamUri?: string): Promise<BrokerInstruction> {
    return readInstruction(await this.#invoke(TEE_COMMAND.requestPolicyCheck, { tamUri }));
  }

  async processTeepMessage(tamUri: string, message: Uint8Array): Promise<ProcessTeepMessageResult> {
    const r = await this.#invoke(TEE_COMMAND.processTeepMessage, { tamUri, message });
    const out = optBytes(r, 'message');
    const events = list(r, 'events').map((e) => asRec(e, 'event') as unknown as AgentEventView);
    return { ...(out ? { message: out } : {}), events };
  }

  async processError(tamUri: string, detail?: string): Promise<void> {
    await this.#invoke(TEE_COMMAND.processError, { tamUri, detail });
  }

  /** Closes the session (the backend stays up). */
  async close(): Promise<void> {
    const s = this.#session;
    this.#session = undefined;
    if (s) await this.backend.closeSession(await s);
  }
}

function readInstruction(r: Rec): BrokerInstruction {
  const tamUri = optStr(r, 'tamUri');
  const message = optBytes(r, 'message');
  return { ...(tamUri !== undefined ? { tamUri } : {}), ...(message ? { message } : {}) };
}
