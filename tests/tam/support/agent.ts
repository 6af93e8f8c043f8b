/**
 * The Agent side of the end-to-end tests: core's TEEP Agent session machine with a device's keys
 * (TEEP key with its x5chain, SUIT-report key, attestation key for Background-Check Evidence), the
 * TAM trusted through the TAM CA, TC signers through the TC-Signer CA, and the real SUIT processor
 * over an in-memory TC store. `runSession` is the Broker: a loop posting to /tam with fetch.
 */
import {
  coseKeyFromSpki, createAgentSession, decodeTeepMessage, openTeepMessage, createEvidenceSource, createPeerTrust, createSuitProcessorPort, MemoryTcStore, processAgentTeepMessage,
  readX5chain, suitReferenceManifest, toHex, validateChain,
} from '@otrp/core';
import type { AgentConfig, AgentEvent, AgentSessionState, SuitComponentId, SuitSequenceStore, SuitStorage } from '@otrp/core';
import type { TestDevice, TestPki } from './fixtures.js';

const key = (id: SuitComponentId) => id.map(toHex).join('/');

class MemoryStorage implements SuitStorage {
  readonly data = new Map<string, Uint8Array>();
  read(id: SuitComponentId) {
    return this.data.get(key(id));
  }
  write(id: SuitComponentId, data: Uint8Array) {
    this.data.set(key(id), data);
  }
  remove(id: SuitComponentId) {
    this.data.delete(key(id));
  }
}

class MemorySequences implements SuitSequenceStore {
  readonly data = new Map<string, bigint>();
  get(id: SuitComponentId) {
    return this.data.get(key(id));
  }
  set(id: SuitComponentId, seq: bigint) {
    this.data.set(key(id), seq);
  }
}

export interface TestAgent {
  readonly device: TestDevice;
  readonly config: AgentConfig;
  state: AgentSessionState;
  readonly storage: MemoryStorage;
  readonly tcStore: MemoryTcStore;
  readonly events: AgentEvent[];
}

export const HWMODEL = 'otrp e2e TEE';
/** The digest of the (simulated) TEE firmware the Evidence reports. */
export const FIRMWARE_DIGEST = new Uint8Array(32).fill(0x42);

export function makeAgent(device: TestDevice, pki: TestPki, tamUri: string, hwmodel = HWMODEL): TestAgent {
  const storage = new MemoryStorage();
  const tcStore = new MemoryTcStore();
  const config: AgentConfig = {
    keys: [device.teep.key],
    certificateChains: [device.teep.chain],
    suitReportKey: device.report.key,
    tamTrust: createPeerTrust({
      validateChain: async (chain) => coseKeyFromSpki((await validateChain({ chain, anchors: [{ certificate: pki.tamCa }], role: 'tam' })).spki),
    }),
    tamKeyAgreementKey: pki.tamKeyAgreement,
    attestation: createEvidenceSource({
      attestationKey: device.attestation.key,
      claims: {
        ueid: new Uint8Array([1, ...new TextEncoder().encode(device.name.padEnd(16, '.')).subarray(0, 16)]),
        oemid: 32473,
        hwmodel: new TextEncoder().encode(hwmodel),
        hwversion: { version: '1.0' },
        manifests: [suitReferenceManifest({ uri: 'https://oem.example/tee-firmware.suit', digest: { algorithmId: -16, bytes: FIRMWARE_DIGEST } })],
      },
    }),
    tcStore,
    suit: createSuitProcessorPort({
      trust: {
        resolveKey: async (headers) => {
          const chain = readX5chain(headers);
          if (chain === undefined) return undefined;
          return coseKeyFromSpki((await validateChain({ chain, anchors: [{ certificate: pki.signerCa }], role: 'signer' })).spki);
        },
      },
      storage,
      sequenceStore: new MemorySequences(),
      tcStore,
    }),
  };
  return { device, config, state: createAgentSession(tamUri), storage, tcStore, events: [] };
}

export interface Posted {
  readonly status: number;
  readonly body: Uint8Array;
}

/** POST to /tam as the Broker does (-15 §5.1.1, §5.3): Accept always, Content-Type with a body. */
export async function post(url: string, body: Uint8Array, headers: Record<string, string> = {}): Promise<Posted> {
  const res = await fetch(`${url}/tam`, {
    method: 'POST',
    headers: { accept: 'application/teep+cbor', ...(body.length > 0 && { 'content-type': 'application/teep+cbor' }), ...headers },
    body: new Uint8Array(body),
  });
  return { status: res.status, body: new Uint8Array(await res.arrayBuffer()) };
}

/** The Agent handles one TAM message; its reply (if any). The state survives a JSON round trip, as on a device. */
export async function answer(agent: TestAgent, bytes: Uint8Array): Promise<{ type: string; bytes: Uint8Array } | undefined> {
  const r = await processAgentTeepMessage(agent.config, JSON.parse(JSON.stringify(agent.state)) as AgentSessionState, bytes);
  agent.state = r.state;
  agent.events.push(...r.events);
  const out = r.outputs.find((o): o is typeof o & { bytes: Uint8Array } => 'bytes' in o);
  return out ? { type: out.type, bytes: out.bytes } : undefined;
}

export interface SessionTrace {
  /** Message types in order, e.g. query-request, query-response, update, success. */
  readonly types: string[];
  /** HTTP statuses in order. */
  readonly statuses: number[];
}

/** One whole session: ProcessConnect, then messages until the TAM answers 204 or the Agent has nothing to send. */
export async function runSession(url: string, agent: TestAgent): Promise<SessionTrace> {
  const trace: SessionTrace = { types: [], statuses: [] };
  let res = await post(url, new Uint8Array());
  for (let steps = 0; steps < 20; steps++) {
    trace.statuses.push(res.status);
    if (res.status !== 200) break;
    trace.types.push(messageType(res.body));
    const reply = await answer(agent, res.body);
    if (reply === undefined) break;
    trace.types.push(reply.type);
    res = await post(url, reply.bytes);
  }
  return trace;
}

/** The type of a TEEP message (decoded, not verified). */
export function messageType(bytes: Uint8Array): string {
  return decodeTeepMessage(openTeepMessage(bytes).payload).type;
}

/** The component names (second id part) the Agent has installed, sorted. */
export async function installed(agent: TestAgent): Promise<string[]> {
  return (await agent.tcStore.list()).map((tc) => new TextDecoder().decode(tc.componentIds[0]![1]!)).sort();
}
