/**
 * An in-memory TEEP deployment for session tests: a TAM and one Agent with real keys, real SUIT
 * envelopes (suit/builder.ts) processed by the real SUIT processor, real EAT Evidence and
 * Attestation Results, and a policy that decides from the Agent's tc-list and requests.
 */
import { webCryptoProvider } from '../../cose/webcrypto-provider.js';
import { publicCoseKey, type CoseKey } from '../../cose/key.js';
import { buildEnvelope } from '../../suit/builder.js';
import { computeDigest, encodeDigest } from '../../suit/digest.js';
import type { SuitComponentId } from '../../suit/manifest.js';
import type { SuitSequenceStore, SuitStorage } from '../../suit/processor-types.js';
import { bytesEqual } from '../../cose/bytes.js';
import { ReferenceValueVerifier } from '../../eat/verifier.js';
import { suitReferenceManifest } from '../../eat/teep-profile.js';
import type { EatClaims } from '../../eat/claims.js';
import { coseKeyThumbprint } from '../../cose/thumbprint.js';
import { toHex } from '../../wire/hex.js';
import { createPeerTrust } from '../peer-trust.js';
import { MemoryTokenStore } from '../token-store.js';
import { MemoryTcStore } from '../tc-store.js';
import { createSuitProcessorPort } from '../suit-processor-port.js';
import { createEvidenceSource, createPassportSource } from '../attestation-sources.js';
import type { PolicyDecision, PolicyInput, TamPolicy, UpdateOutcome } from '../ports.js';
import type { AgentConfig } from '../agent-types.js';
import type { AttestationModel, TamConfig } from '../tam-types.js';
import { componentKey } from '../session-util.js';

const enc = new TextEncoder();
export const cid = (...parts: string[]): Uint8Array[] => parts.map((p) => enc.encode(p));

export class MemoryStorage implements SuitStorage {
  readonly data = new Map<string, Uint8Array>();
  read(id: SuitComponentId) {
    return this.data.get(componentKey(id));
  }
  write(id: SuitComponentId, data: Uint8Array) {
    this.data.set(componentKey(id), data);
  }
  remove(id: SuitComponentId) {
    this.data.delete(componentKey(id));
  }
}

export class MemorySequenceStore implements SuitSequenceStore {
  readonly data = new Map<string, bigint>();
  get(id: SuitComponentId) {
    return this.data.get(componentKey(id));
  }
  set(id: SuitComponentId, seq: bigint) {
    this.data.set(componentKey(id), seq);
  }
}

/** A Trusted Component release the TAM can send: one envelope for one component. */
export interface Release {
  readonly name: string;
  readonly componentId: Uint8Array[];
  readonly manifestId: Uint8Array[];
  readonly sequenceNumber: number;
  readonly payload: Uint8Array;
  readonly envelope: Uint8Array;
  /** Encoded SUIT_Digest of the payload (what tc-list reports once installed). */
  readonly imageDigest: Uint8Array;
}

export async function makeRelease(name: string, sequenceNumber: number, signer: CoseKey, payloadText = `${name} v${sequenceNumber}`): Promise<Release> {
  const payload = enc.encode(payloadText);
  const componentId = cid('TEEP-Device', name, 'ta');
  const manifestId = cid('TEEP-Device', name, 'suit');
  const envelope = await buildEnvelope(
    { sequenceNumber, manifestComponentId: ['TEEP-Device', name, 'suit'], referenceUri: `https://tam.example/${name}.suit`, components: [{ id: ['TEEP-Device', name, 'ta'] }] },
    { payloads: [payload], key: signer },
  );
  return { name, componentId, manifestId, sequenceNumber, payload, envelope, imageDigest: encodeDigest(await computeDigest(-16, payload)) };
}

/**
 * Policy: every `wanted` release must be installed (tc-list shows its image digest), every requested
 * component available in the catalog is sent, and every unlink the Agent asks for is granted.
 */
export class DesiredStatePolicy implements TamPolicy {
  wanted: Release[] = [];
  catalog: Release[] = [];
  readonly inputs: PolicyInput[] = [];
  readonly outcomes: UpdateOutcome[] = [];

  decide(input: PolicyInput): PolicyDecision {
    this.inputs.push(input);
    const installed = (r: Release) =>
      input.tcList.some((m) => componentKey((m.get(0) as Uint8Array[]) ?? []) === componentKey(r.componentId) && bytesEqual(m.get(3) as Uint8Array, r.imageDigest));
    const send = this.wanted.filter((r) => !installed(r));
    for (const req of input.requestedTcList) {
      const r = this.catalog.find((x) => componentKey(x.componentId) === componentKey(req.componentId));
      if (r && !installed(r) && !send.includes(r)) send.push(r);
    }
    return { manifests: send.map((r) => r.envelope), unneeded: [...input.unneededManifestList] };
  }

  recordOutcome(outcome: UpdateOutcome): void {
    this.outcomes.push(outcome);
  }
}

export interface WorldKeys {
  tamP256: CoseKey;
  tamEd25519: CoseKey;
  tamKa: CoseKey;
  agentTeep: CoseKey;
  agentReport: CoseKey;
  attester: CoseKey;
  verifier: CoseKey;
  tamVerifier: CoseKey;
  tcSigner: CoseKey;
  stranger: CoseKey;
}

export async function makeKeys(): Promise<WorldKeys> {
  const g = (crv: 'P-256' | 'Ed25519') => webCryptoProvider.generateKeyPair(crv);
  return {
    tamP256: await g('P-256'), tamEd25519: await g('Ed25519'), tamKa: await g('P-256'), agentTeep: await g('P-256'), agentReport: await g('P-256'),
    attester: await g('P-256'), verifier: await g('P-256'), tamVerifier: await g('P-256'), tcSigner: await g('P-256'), stranger: await g('P-256'),
  };
}

export const HWMODEL = enc.encode('otrp-sim-tee');
export const FIRMWARE = new Uint8Array(32).fill(0x42);

export function deviceClaims(hwmodel: Uint8Array = HWMODEL): EatClaims {
  return {
    ueid: new Uint8Array([1, ...new Uint8Array(16).fill(7)]),
    oemid: 32473,
    hwmodel,
    hwversion: { version: '1.0' },
    manifests: [suitReferenceManifest({ uri: 'https://oem.example/tee-fw.suit', digest: { algorithmId: -16, bytes: FIRMWARE } })],
  };
}

export interface WorldOptions {
  readonly model: AttestationModel;
  /** Claims the device reports (default deviceClaims()). */
  readonly claims?: EatClaims;
  /** Claims the TAM attests about itself when an Agent requires it (default deviceClaims()). */
  readonly tamClaims?: EatClaims;
  readonly encrypt?: boolean;
  readonly requireTamAttestation?: boolean;
  readonly tam?: Partial<TamConfig>;
  readonly agent?: Partial<AgentConfig>;
}

export interface World {
  keys: WorldKeys;
  tam: TamConfig;
  agent: AgentConfig;
  policy: DesiredStatePolicy;
  tokens: MemoryTokenStore;
  tcStore: MemoryTcStore;
  storage: MemoryStorage;
  sequences: MemorySequenceStore;
}

export async function makeWorld(options: WorldOptions, keys?: WorldKeys): Promise<World> {
  const k = keys ?? (await makeKeys());
  const verifierFor = (endorsement: CoseKey) =>
    new ReferenceValueVerifier({ endorsementKeys: [publicCoseKey(endorsement)], referenceValues: { hwmodels: [HWMODEL], firmwareDigests: [FIRMWARE] } });
  const policy = new DesiredStatePolicy();
  const tokens = new MemoryTokenStore();
  const tcStore = new MemoryTcStore();
  const storage = new MemoryStorage();
  const sequences = new MemorySequenceStore();
  const claims = options.claims ?? deviceClaims();
  const source = { claims, attestationKey: k.attester };
  const tam: TamConfig = {
    keys: [k.tamP256, k.tamEd25519],
    attestation: options.model,
    agentTrust: createPeerTrust({ keys: [publicCoseKey(k.agentTeep)] }),
    reportTrust: createPeerTrust({ keys: [publicCoseKey(k.agentReport)] }),
    verifier: verifierFor(k.attester),
    verifierKeys: [publicCoseKey(k.verifier)],
    keyAgreementKey: k.tamKa,
    attestationSource: createPassportSource({ claims: options.tamClaims ?? deviceClaims(), attestationKey: k.attester, verifier: verifierFor(k.attester), verifierKey: k.tamVerifier }),
    policy,
    tokens,
    ...options.tam,
  };
  const agent: AgentConfig = {
    keys: [k.agentTeep],
    suitReportKey: k.agentReport,
    tamTrust: createPeerTrust({ keys: [publicCoseKey(k.tamP256), publicCoseKey(k.tamEd25519)] }),
    ...(options.encrypt !== false && { tamKeyAgreementKey: publicCoseKey(k.tamKa) }),
    attestation: options.model === 'passport'
      ? createPassportSource({ ...source, verifier: verifierFor(k.attester), verifierKey: k.verifier })
      : createEvidenceSource(source),
    ...(options.requireTamAttestation && { requireTamAttestation: { verifierKeys: [publicCoseKey(k.tamVerifier)] } }),
    tcStore,
    suit: createSuitProcessorPort({ trust: { keys: [publicCoseKey(k.tcSigner)] }, storage, sequenceStore: sequences, tcStore }),
    ...options.agent,
  };
  return { keys: k, tam, agent, policy, tokens, tcStore, storage, sequences };
}

export async function kidHex(key: CoseKey): Promise<string> {
  return toHex(await coseKeyThumbprint(publicCoseKey(key)));
}
