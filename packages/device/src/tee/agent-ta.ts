/**
 * The Agent TA: the trusted application inside the simulated TEE that answers TEE_COMMAND requests
 * (tee-backend.ts). It owns the sealed storage of its TEE folder:
 *
 *   device-keys          the four private keys (device-keys.ts), written once by generateKeys
 *   device-credentials   certificates and trust anchors (device-credentials.ts)
 *   agent-state          the Agent's per-TAM session state (agent-host.ts)
 *   tc-index, tc-blob-*  installed Trusted Components (agent/tc-store.ts)
 *   otrp-state, otrp-ridtid  OTrP Security Domains, TAs, TEE SP AIKs and spent rid/tid pairs
 *                        (otrp-store.ts), used by the OTrP implementation (otrp-ta.ts)
 *   otrp-key             a dedicated OTrP key and its certificate, only with --otrp-alg RS256
 *                        (otrp-identity.ts); else the P-256 TEEP key is the OTrP key
 *
 * Only public data leaves through the responses: public keys, CSRs, certificates, TEEP messages
 * (signed inside), inventories. The TEEP protocol commands are handed to an `AgentHost`, built once
 * the device has keys and credentials.
 */
import { encodeCoseKey } from '@otrp/core';
import { DeviceAlreadyInitialized, DeviceNotInitialized } from '../errors.js';
import { AgentTcStore } from '../agent/tc-store.js';
import type { AgentHost, AgentHostContext, BrokerInstruction } from '../agent/agent-host-types.js';
import { asRec, bytes, bytesList, decodeRecord, encodeRecord, list, optStr, str, type RecordValue } from './cbor-record.js';
import {
  DEVICE_KEY_PURPOSES, createEnrolmentRequest, decodeDeviceKeys, encodeDeviceKeys, generateDeviceKeys, isDeviceKeyAlg, publicDeviceKeys,
  type DeviceKeySet,
} from './device-keys.js';
import { EMPTY_CREDENTIALS, checkCredentialsMatchKeys, credentialsFromRecord, credentialsToRecord, decodeCredentials, encodeCredentials, type DeviceCredentials } from './device-credentials.js';
import { SealedStorage } from './sealed-storage.js';
import { OtrpTa } from './otrp-ta.js';
import { generateOtrpKey, installOtrpCertificate, readOtrpKey } from './otrp-identity.js';
import { TEE_COMMAND, type TeeCommandHandler, type TeeCommandId } from './tee-backend.js';
import { InvalidArgument } from '@otrp/core';

export const KEYS_FILE = 'device-keys';
export const CREDENTIALS_FILE = 'device-credentials';

/** Builds the Agent for a provisioned device (agent-host.ts `createAgentHost` in the real TEE). */
export type AgentHostFactory = (context: AgentHostContext) => Promise<AgentHost> | AgentHost;

export class AgentTa implements TeeCommandHandler {
  readonly #teeDir: string;
  readonly #agentFactory: AgentHostFactory | undefined;
  #storage: SealedStorage | undefined;
  #keys: DeviceKeySet | undefined;
  #credentials: DeviceCredentials = EMPTY_CREDENTIALS;
  #tcStore: AgentTcStore | undefined;
  #agent: AgentHost | undefined;
  #otrp: OtrpTa | undefined;

  constructor(teeDir: string, agentFactory?: AgentHostFactory) {
    this.#teeDir = teeDir;
    this.#agentFactory = agentFactory;
  }

  /** Opens the sealed storage and loads keys, credentials and the TC store (once). */
  async #load(): Promise<SealedStorage> {
    if (this.#storage) return this.#storage;
    const storage = await SealedStorage.open(this.#teeDir);
    const keys = await storage.read(KEYS_FILE);
    this.#keys = keys ? decodeDeviceKeys(keys) : undefined;
    const creds = await storage.read(CREDENTIALS_FILE);
    this.#credentials = creds ? decodeCredentials(creds) : EMPTY_CREDENTIALS;
    this.#tcStore = await AgentTcStore.open(storage);
    this.#storage = storage;
    return storage;
  }

  async #agentHost(): Promise<AgentHost> {
    const storage = await this.#load();
    if (!this.#keys) throw new DeviceNotInitialized('the TEE has no keys yet (run device init)');
    if (!this.#agentFactory) throw new DeviceNotInitialized('this TEE build has no Agent');
    this.#agent ??= await this.#agentFactory({ storage, keys: this.#keys, credentials: this.#credentials, tcStore: this.#tcStore! });
    return this.#agent;
  }

  /** The OTrP implementation (opened once; rebuilt when the credentials change). */
  async #otrpTa(): Promise<OtrpTa> {
    const storage = await this.#load();
    this.#otrp ??= await OtrpTa.open(storage, this.#keys, this.#credentials);
    return this.#otrp;
  }

  async invoke(command: TeeCommandId, request: Uint8Array): Promise<Uint8Array> {
    const req = request.length === 0 ? {} : asRec(decodeRecord(request), 'request');
    return encodeRecord(await this.#dispatch(command, req));
  }

  async #dispatch(command: TeeCommandId, req: ReturnType<typeof asRec>): Promise<RecordValue> {
    switch (command) {
      case TEE_COMMAND.getIdentity: {
        const storage = await this.#load();
        const id = this.#identity();
        if (!this.#keys) return id;
        // The OTrP key: a dedicated one (--otrp-alg) or the P-256 TEEP key.
        const dedicated = await readOtrpKey(storage);
        const otrp = dedicated
          ? { alg: dedicated.alg, rsa15: dedicated.rsa15, ...(dedicated.chain && { chain: [...dedicated.chain] }) }
          : this.#keys.alg === 'ESP256'
            ? { alg: 'ES256', rsa15: false, ...(this.#credentials.certificates.teep && { chain: [...this.#credentials.certificates.teep] }) }
            : undefined;
        return { ...(id as Record<string, RecordValue>), ...(otrp && { otrp }) };
      }
      case TEE_COMMAND.generateKeys:
        return this.#generateKeys(str(req, 'name'), str(req, 'alg'));
      case TEE_COMMAND.installCredentials:
        return this.#installCredentials(req['credentials']);
      case TEE_COMMAND.generateOtrpKey: {
        const storage = await this.#load();
        if (!this.#keys) throw new DeviceNotInitialized('generate the device keys first');
        const rsa15 = req['rsa15'] === true;
        const r = await generateOtrpKey(storage, this.#keys.name, str(req, 'alg'), rsa15);
        this.#otrp = undefined;
        return { name: r.name, alg: r.alg, csr: r.csr, spki: r.spki };
      }
      case TEE_COMMAND.installOtrpCertificate: {
        await installOtrpCertificate(await this.#load(), bytesList(req, 'chain'));
        this.#otrp = undefined;
        return {};
      }
      case TEE_COMMAND.listInstalled:
        await this.#load();
        return {
          tcs: this.#tcStore!.records().map((r) => ({
            manifestId: [...r.manifestId],
            componentIds: r.componentIds.map((c) => [...c]),
            sequenceNumber: r.sequenceNumber,
            digest: r.digest,
            signer: r.signer,
            installedAt: r.installedAt,
            uri: r.uri,
          })),
        };
      case TEE_COMMAND.listOtrp: {
        const otrp = await this.#otrpTa();
        return {
          sds: otrp.store.sds().map((sd) => ({ ...sd })),
          tas: otrp.store.list().map((t) => ({ ...t })),
        };
      }
      case TEE_COMMAND.processOtrpMessage: {
        const r = await (await this.#otrpTa()).process(bytes(req, 'message'));
        return { ...r, changes: r.changes.map((c) => ({ ...c })) };
      }
      case TEE_COMMAND.requestTA:
      case TEE_COMMAND.unrequestTA: {
        const componentId = list(req, 'componentId').map((p) => {
          if (!(p instanceof Uint8Array)) throw new InvalidArgument('componentId: not a list of byte strings');
          return p;
        });
        const agent = await this.#agentHost();
        const tamUri = optStr(req, 'tamUri');
        const r = command === TEE_COMMAND.requestTA ? await agent.requestTA(componentId, tamUri) : await agent.unrequestTA(componentId, tamUri);
        return instruction(r);
      }
      case TEE_COMMAND.requestPolicyCheck:
        return instruction(await (await this.#agentHost()).requestPolicyCheck(optStr(req, 'tamUri')));
      case TEE_COMMAND.processTeepMessage: {
        const r = await (await this.#agentHost()).processTeepMessage(str(req, 'tamUri'), bytes(req, 'message'));
        return { ...(r.message ? { message: r.message } : {}), events: r.events.map((e) => ({ ...e })) };
      }
      case TEE_COMMAND.processError:
        await (await this.#agentHost()).processError(str(req, 'tamUri'), optStr(req, 'detail'));
        return {};
    }
  }

  #identity(): RecordValue {
    if (!this.#keys) return { provisioned: false };
    const pub = publicDeviceKeys(this.#keys);
    const c = credentialsToRecord(this.#credentials) as Record<string, RecordValue>;
    return {
      provisioned: true,
      name: this.#keys.name,
      alg: this.#keys.alg,
      publicKeys: Object.fromEntries(DEVICE_KEY_PURPOSES.map((p) => [p, encodeCoseKey(pub[p])])),
      ...c,
    };
  }

  async #generateKeys(name: string, alg: string): Promise<RecordValue> {
    const storage = await this.#load();
    if (!isDeviceKeyAlg(alg)) throw new InvalidArgument(`unsupported device key algorithm ${alg}`);
    if (this.#keys && Object.keys(this.#credentials.certificates).length > 0) {
      throw new DeviceAlreadyInitialized('the TEE already has enrolled keys');
    }
    // Keys without certificates (an enrolment that did not finish) are reused, not replaced.
    if (!this.#keys) {
      const keys = await generateDeviceKeys(name, alg);
      await storage.write(KEYS_FILE, encodeDeviceKeys(keys));
      this.#keys = keys;
    }
    const r = await createEnrolmentRequest(this.#keys);
    return { name: r.name, alg: r.alg, csrs: { ...r.csrs }, spki: { ...r.spki } };
  }

  async #installCredentials(v: RecordValue | undefined): Promise<RecordValue> {
    const storage = await this.#load();
    if (!this.#keys) throw new DeviceNotInitialized('the TEE has no keys to certify');
    const creds = credentialsFromRecord(v);
    checkCredentialsMatchKeys(creds, this.#keys);
    await storage.write(CREDENTIALS_FILE, encodeCredentials(creds));
    this.#credentials = creds;
    this.#agent = undefined; // rebuilt with the new trust anchors
    this.#otrp = undefined;
    return {};
  }
}

function instruction(r: BrokerInstruction): RecordValue {
  return { ...(r.tamUri !== undefined ? { tamUri: r.tamUri } : {}), ...(r.message ? { message: r.message } : {}) };
}
