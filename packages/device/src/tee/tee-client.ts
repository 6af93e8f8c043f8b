/**
 * The REE's typed client of the Agent TA: one session over any TeeBackend, one method per
 * TEE_COMMAND. Requests and responses are CBOR records (cbor-record.ts); the TEE's answers are
 * checked here before use, as anything coming over a channel would be.
 */
import { decodeCoseKey, type CoseKey } from '@otrp/core';
import type { AgentEventView, BrokerInstruction, ProcessTeepMessageResult } from '../agent/agent-host-types.js';
import { asRec, bytes, bytesList, decodeRecord, encodeRecord, list, optBytes, optStr, str, type Rec, type RecordValue } from './cbor-record.js';
import type { OtrpEnrolmentRequest, OtrpKeyAlg } from './otrp-identity.js';
import { credentialsFromRecord, credentialsToRecord, type DeviceCredentials } from './device-credentials.js';
import { DEVICE_KEY_PURPOSES, type DeviceEnrolmentRequest, type DeviceKeyAlg, type DeviceKeyPurpose } from './device-keys.js';
import { TEE_COMMAND, type TeeBackend, type TeeCommandId } from './tee-backend.js';
import { TeeChannelError } from '../errors.js';
import type { OtrpChange, OtrpTaInfo } from './otrp-store.js';
import type { OtrpProcessResult } from './otrp-ta.js';

/** The TEE's public identity. */
export interface TeeIdentity {
  readonly provisioned: boolean;
  readonly name?: string;
  readonly alg?: DeviceKeyAlg;
  readonly publicKeys?: Readonly<Record<DeviceKeyPurpose, CoseKey>>;
  readonly credentials?: DeviceCredentials;
  /** The TEE's OTrP key: ES256 (its TEEP key) or a dedicated RS256 key; absent when it has none (Ed25519). */
  readonly otrp?: { readonly alg: 'ES256' | 'RS256'; readonly rsa15: boolean; readonly chain?: readonly Uint8Array[] };
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

/** The OTrP Security Domains and TAs the TEE holds (`otrp device list`). */
export interface OtrpInventory {
  readonly sds: readonly { readonly tamid: string; readonly spid: string; readonly name: string; readonly tas: number }[];
  readonly tas: readonly OtrpTaInfo[];
}

const OTRP_CHANGE_ACTIONS = new Set<OtrpChange['action']>(['sd-created', 'sd-updated', 'sd-deleted', 'ta-installed', 'ta-updated', 'ta-deleted']);

function int(r: Rec, k: string): number {
  const v = r[k];
  if (typeof v !== 'number' && typeof v !== 'bigint') throw new TeeChannelError(`${k}: not an integer`);
  return Number(v);
}

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
      ...(r['otrp'] !== undefined && { otrp: readOtrpIdentity(asRec(r['otrp'], 'otrp')) }),
    };
  }

  /** Generates the TEE's dedicated OTrP key (once) and returns its enrolment request. */
  async generateOtrpKey(alg: OtrpKeyAlg, rsa15 = false): Promise<OtrpEnrolmentRequest> {
    const r = await this.#invoke(TEE_COMMAND.generateOtrpKey, { alg, rsa15 });
    if (str(r, 'alg') !== alg) throw new TeeChannelError('the TEE generated another OTrP key algorithm');
    return { name: str(r, 'name'), alg, csr: bytes(r, 'csr'), spki: bytes(r, 'spki') };
  }

  async installOtrpCertificate(chain: readonly Uint8Array[]): Promise<void> {
    await this.#invoke(TEE_COMMAND.installOtrpCertificate, { chain: [...chain] });
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

  /** ProcessOTrPMessage (otrp-over-http-02 §5.3): one TAM message in, the TEE's response out. */
  async processOtrpMessage(message: Uint8Array): Promise<OtrpProcessResult> {
    const r = await this.#invoke(TEE_COMMAND.processOtrpMessage, { message });
    const error = optStr(r, 'error');
    const errorCode = optStr(r, 'errorCode');
    const changes = list(r, 'changes').map((v) => {
      const c = asRec(v, 'change');
      const action = str(c, 'action') as OtrpChange['action'];
      if (!OTRP_CHANGE_ACTIONS.has(action)) throw new TeeChannelError(`unknown OTrP change ${action}`);
      const taid = optStr(c, 'taid');
      return { action, spid: str(c, 'spid'), sdname: str(c, 'sdname'), ...(taid !== undefined && { taid }) };
    });
    return { response: bytes(r, 'response'), request: str(r, 'request'), ...(error !== undefined && { error }), ...(errorCode !== undefined && { errorCode }), changes };
  }

  /** The OTrP SDs and TAs installed in the TEE. */
  async listOtrp(): Promise<OtrpInventory> {
    const r = await this.#invoke(TEE_COMMAND.listOtrp);
    return {
      sds: list(r, 'sds').map((v) => {
        const s = asRec(v, 'sd');
        return { tamid: str(s, 'tamid'), spid: str(s, 'spid'), name: str(s, 'name'), tas: int(s, 'tas') };
      }),
      tas: list(r, 'tas').map((v) => {
        const t = asRec(v, 'ta');
        const taname = optStr(t, 'taname');
        return {
          tamid: str(t, 'tamid'), spid: str(t, 'spid'), sdname: str(t, 'sdname'), taid: str(t, 'taid'), ...(taname !== undefined && { taname }),
          size: int(t, 'size'), installedAt: int(t, 'installedAt'), updatedAt: int(t, 'updatedAt'),
        };
      }),
    };
  }

  /** Closes the session (the backend stays up). */
  async close(): Promise<void> {
    const s = this.#session;
    this.#session = undefined;
    if (s) await this.backend.closeSession(await s);
  }
}

function readOtrpIdentity(r: Rec): NonNullable<TeeIdentity['otrp']> {
  const alg = str(r, 'alg');
  if (alg !== 'ES256' && alg !== 'RS256') throw new TeeChannelError(`unknown OTrP key algorithm ${alg}`);
  const chain = r['chain'] === undefined ? undefined : bytesList(r, 'chain');
  return { alg, rsa15: r['rsa15'] === true, ...(chain && { chain }) };
}

function readInstruction(r: Rec): BrokerInstruction {
  const tamUri = optStr(r, 'tamUri');
  const message = optBytes(r, 'message');
  return { ...(tamUri !== undefined ? { tamUri } : {}), ...(message ? { message } : {}) };
}
