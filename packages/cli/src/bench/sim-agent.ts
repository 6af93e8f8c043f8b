/**
 * A simulated device for the load generator: core's TEEP Agent session machine in this process with
 * an in-memory TC store and the real SUIT processor, and a Broker loop over fetch (TEEP over HTTP -15:
 * an empty POST with Accept to start, then each Agent reply). It checks everything a device checks
 * (the TAM's chain against the TAM CA, every TC signer's chain against the TC-Signer CA, rollback);
 * only the TEE boundary and the sealed storage of `otrp device` are left out, as they are not the
 * TAM's load, and validated chains are shared between the simulated devices (`trustedKey`). Every signature and key agreement goes through the counting provider.
 */
import { createHash } from 'node:crypto';
import {
  coseKeyFromSpki, parseCertificate, createAgentSession, createEvidenceSource, createPeerTrust, createSuitProcessorPort, decodeTeepMessage, MemoryTcStore,
  openTeepMessage, processAgentTeepMessage, suitReferenceManifest, toHex, readX5chain, validateChain,
} from '@otrp/core';
import type { AgentConfig, AgentSessionState, CoseKey, CryptoProvider, PkiRole, SuitComponentId, SuitSequenceStore, SuitStorage } from '@otrp/core';
import type { DeviceKeys, FleetPki } from './fleet.js';

const idKey = (id: SuitComponentId) => id.map(toHex).join('/');

class MemoryStorage implements SuitStorage {
  readonly #data = new Map<string, Uint8Array>();
  read(id: SuitComponentId) {
    return this.#data.get(idKey(id));
  }
  write(id: SuitComponentId, data: Uint8Array) {
    this.#data.set(idKey(id), data);
  }
  remove(id: SuitComponentId) {
    this.#data.delete(idKey(id));
  }
}

class MemorySequences implements SuitSequenceStore {
  readonly #data = new Map<string, bigint>();
  get(id: SuitComponentId) {
    return this.#data.get(idKey(id));
  }
  set(id: SuitComponentId, seq: bigint) {
    this.#data.set(idKey(id), seq);
  }
}

/**
 * Chains validated by any simulated device, shared by all of them: every device of the fleet checks
 * the same TAM chain and the same TC-signer chain, and pkijs path validation in this one process would
 * otherwise take the CPU the TAM is being measured with. An entry is used only inside the validity of
 * every certificate of its path; signatures made with the keys are still verified on every message.
 */
const validated = new Map<string, { key: Promise<CoseKey>; from: number; until: number }>();

function trustedKey(chain: readonly Uint8Array[], anchor: Uint8Array, role: PkiRole): Promise<CoseKey> {
  const h = createHash('sha256').update(role);
  for (const c of [anchor, ...chain]) h.update(String(c.length)).update(c);
  const id = h.digest('hex');
  const now = Date.now();
  const hit = validated.get(id);
  if (hit && now >= hit.from && now < hit.until) return hit.key;
  const key = validateChain({ chain, anchors: [{ certificate: anchor }], role }).then((v) => {
    const path = v.path.map((d) => parseCertificate(d));
    validated.set(id, { key, from: Math.max(...path.map((c) => c.notBefore.getTime())), until: Math.min(...path.map((c) => c.notAfter.getTime())) });
    return coseKeyFromSpki(v.spki);
  });
  return key;
}

export const BENCH_HWMODEL = 'otrp bench TEE';

export interface SimDevice {
  readonly name: string;
  readonly config: AgentConfig;
  readonly tcStore: MemoryTcStore;
  /** The TC names (second component id part) installed, kept after each session. */
  readonly installed: Set<string>;
  busy: boolean;
}

export function simulateDevice(keys: DeviceKeys, pki: FleetPki, provider: CryptoProvider): SimDevice {
  const tcStore = new MemoryTcStore();
  const ueid = new Uint8Array(17);
  ueid[0] = 1;
  ueid.set(new TextEncoder().encode(keys.name).subarray(0, 16), 1);
  const config: AgentConfig = {
    keys: [keys.teep.key],
    certificateChains: [keys.teep.chain],
    suitReportKey: keys.report.key,
    tamTrust: createPeerTrust({
      validateChain: (chain) => trustedKey(chain, pki.tamCa, 'tam'),
    }),
    tamKeyAgreementKey: pki.tamKeyAgreement,
    attestation: createEvidenceSource({
      attestationKey: keys.attestation.key,
      claims: {
        ueid,
        oemid: 32473,
        hwmodel: new TextEncoder().encode(BENCH_HWMODEL),
        hwversion: { version: '1.0' },
        manifests: [suitReferenceManifest({ uri: 'https://oem.example/tee-firmware.suit', digest: { algorithmId: -16, bytes: new Uint8Array(32).fill(0x42) } })],
      },
      provider,
    }),
    tcStore,
    suit: createSuitProcessorPort({
      trust: {
        resolveKey: async (headers) => {
          const chain = readX5chain(headers);
          if (chain === undefined) return undefined;
          return trustedKey(chain, pki.signerCa, 'signer');
        },
      },
      storage: new MemoryStorage(),
      sequenceStore: new MemorySequences(),
      tcStore,
    }),
    provider,
  };
  return { name: keys.name, config, tcStore, installed: new Set(), busy: false };
}

export interface SessionResult {
  /** Message types in order (query-request, query-response, update, success). */
  readonly types: string[];
  readonly statuses: number[];
  /** TC names installed by this session. */
  readonly newlyInstalled: string[];
}

async function post(url: string, body: Uint8Array): Promise<{ status: number; body: Uint8Array }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { accept: 'application/teep+cbor', ...(body.length > 0 && { 'content-type': 'application/teep+cbor' }) },
    body: new Uint8Array(body),
    redirect: 'manual',
  });
  return { status: res.status, body: new Uint8Array(await res.arrayBuffer()) };
}

function messageType(bytes: Uint8Array): string {
  return decodeTeepMessage(openTeepMessage(bytes).payload).type;
}

/** One whole TEEP session of `device` with the TAM at `tamUrl` (its /tam endpoint). */
export async function runSession(tamUrl: string, device: SimDevice): Promise<SessionResult> {
  const types: string[] = [];
  const statuses: number[] = [];
  let state: AgentSessionState = createAgentSession(tamUrl);
  let res = await post(tamUrl, new Uint8Array());
  for (let steps = 0; steps < 10; steps++) {
    statuses.push(res.status);
    if (res.status !== 200) break;
    types.push(messageType(res.body));
    const r = await processAgentTeepMessage(device.config, state, res.body);
    state = r.state;
    const out = r.outputs.find((o): o is typeof o & { bytes: Uint8Array } => 'bytes' in o);
    if (out === undefined) break;
    types.push(out.type);
    res = await post(tamUrl, out.bytes);
  }
  const now = (await device.tcStore.list()).map((tc) => new TextDecoder().decode(tc.componentIds[0]![1]!));
  const newlyInstalled = now.filter((n) => !device.installed.has(n));
  device.installed.clear();
  for (const n of now) device.installed.add(n);
  return { types, statuses, newlyInstalled };
}
