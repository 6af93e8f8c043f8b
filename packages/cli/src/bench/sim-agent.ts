/**
 * A simulated device for the load generator: core's TEEP Agent session machine in this process with
 * an in-memory TC store and the real SUIT processor, and a Broker loop over keep-alive HTTP/1.1
 * connections (http-client.ts; TEEP over HTTP -15: an empty POST with Accept to start, then each
 * Agent reply). It checks everything a device checks (the TAM's chain against the TAM CA, every TC
 * signer's chain against the TC-Signer CA, every signature, rollback); only the TEE boundary and the
 * sealed storage of `otrp device` are left out, as they are not the TAM's load, and validated chains
 * are shared between the simulated devices (`trustedKey`). Every signature, key agreement, digest
 * and random byte goes through the counting provider (the SUIT processor's too).
 */
import { createHash } from 'node:crypto';
import https from 'node:https';
import {
  coseKeyFromSpki, parseCertificate, createAgentSession, createEvidenceSource, createPeerTrust, createSuitProcessorPort, decodeTeepMessage, MemoryTcStore,
  openTeepMessage, processAgentTeepMessage, suitReferenceManifest, toHex, readX5chain, validateChain,
} from '@otrp/core';
import type { AgentConfig, AgentSessionState, CoseKey, CryptoProvider, PkiRole, SuitComponentId, SuitSequenceStore, SuitStorage } from '@otrp/core';
import type { DeviceKeys, FleetPki } from './fleet.js';
import { KeepAliveClient } from './http-client.js';

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
interface Validated {
  readonly role: PkiRole;
  readonly anchor: Uint8Array;
  readonly chain: readonly Uint8Array[];
  readonly key: Promise<CoseKey>;
  readonly from: number;
  readonly until: number;
}
/** Found by comparing the bytes (role, anchor, every certificate): a handful of entries at most. */
const validated: Validated[] = [];
const MAX_VALIDATED = 16;
/** Buffer.equals (native), not core's constant-time bytesEqual: a cache lookup of public chains, per message. */
const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.length).equals(b);

function trustedKey(chain: readonly Uint8Array[], anchor: Uint8Array, role: PkiRole): Promise<CoseKey> {
  const now = Date.now();
  const hit = validated.find((v) => v.role === role && v.chain.length === chain.length && sameBytes(v.anchor, anchor) && v.chain.every((c, i) => sameBytes(c, chain[i]!)));
  if (hit && now >= hit.from && now < hit.until) return hit.key;
  // Copies: the certificates are views of the message they came in.
  const entryChain = chain.map((c) => c.slice());
  const entryAnchor = anchor.slice();
  const key: Promise<CoseKey> = validateChain({ chain, anchors: [{ certificate: anchor }], role }).then((v) => {
    const path = v.path.map((d) => parseCertificate(d));
    const at = hit ? validated.indexOf(hit) : -1;
    if (at >= 0) validated.splice(at, 1);
    if (validated.length >= MAX_VALIDATED) validated.shift();
    validated.push({
      role, anchor: entryAnchor, chain: entryChain, key,
      from: Math.max(...path.map((c) => c.notBefore.getTime())), until: Math.min(...path.map((c) => c.notAfter.getTime())),
    });
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
  // RAND UEID (EAT §4.2.1.1): unique per device, as the TAM's store requires (a shared one made every
  // QueryResponse of the fleet retry its identity write after a uniqueness conflict).
  ueid.set(createHash('sha256').update(keys.name).digest().subarray(0, 16), 1);
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
      provider,
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

const TEEP_MEDIA_TYPE = 'application/teep+cbor';
/** One keep-alive client per TAM origin for the whole fleet (http-client.ts); https: goes through node:https. */
const clients = new Map<string, { url: URL; client?: KeepAliveClient }>();
const httpsAgent = new https.Agent({ keepAlive: true });

/**
 * The Broker's POST (-15 §5): `Accept: application/teep+cbor`, the Agent's message (or nothing, to
 * start) with its Content-Type; the status and body come back as they are (no redirect followed).
 */
function post(url: string, body: Uint8Array): Promise<{ status: number; body: Uint8Array }> {
  let c = clients.get(url);
  if (c === undefined) {
    const u = new URL(url);
    clients.set(url, (c = { url: u, ...(u.protocol === 'http:' && { client: new KeepAliveClient(u) }) }));
  }
  if (c.client) return c.client.post(c.url.pathname + c.url.search, TEEP_MEDIA_TYPE, body);
  const headers: https.RequestOptions['headers'] = { accept: TEEP_MEDIA_TYPE, 'content-length': body.length };
  if (body.length > 0) headers['content-type'] = TEEP_MEDIA_TYPE;
  return new Promise((resolve, reject) => {
    const req = https.request(c.url, { method: 'POST', headers, agent: httpsAgent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (b: Buffer) => chunks.push(b));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: new Uint8Array(Buffer.concat(chunks)) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body.length > 0 ? body : undefined);
  });
}

/** What the Agent's answer says about the message it answered (it answers nothing else with these). */
const ANSWERS: Readonly<Record<string, string>> = { 'query-response': 'query-request', success: 'update' };

/** The type of a TAM message, decoded again only when the Agent's answer does not tell it. */
function messageType(bytes: Uint8Array, answer: string | undefined): string {
  return (answer !== undefined && ANSWERS[answer]) || decodeTeepMessage(openTeepMessage(bytes).payload).type;
}

const utf8 = new TextDecoder();

/** One whole TEEP session of `device` with the TAM at `tamUrl` (its /tam endpoint). */
export async function runSession(tamUrl: string, device: SimDevice): Promise<SessionResult> {
  const types: string[] = [];
  const statuses: number[] = [];
  let state: AgentSessionState = createAgentSession(tamUrl);
  let res = await post(tamUrl, new Uint8Array());
  for (let steps = 0; steps < 10; steps++) {
    statuses.push(res.status);
    if (res.status !== 200) break;
    const r = await processAgentTeepMessage(device.config, state, res.body);
    state = r.state;
    const out = r.outputs.find((o): o is typeof o & { bytes: Uint8Array } => 'bytes' in o);
    types.push(messageType(res.body, out?.type));
    if (out === undefined) break;
    types.push(out.type);
    res = await post(tamUrl, out.bytes);
  }
  const now = (await device.tcStore.list()).map((tc) => utf8.decode(tc.componentIds[0]![1]!));
  const newlyInstalled = now.filter((n) => !device.installed.has(n));
  device.installed.clear();
  for (const n of now) device.installed.add(n);
  return { types, statuses, newlyInstalled };
}
