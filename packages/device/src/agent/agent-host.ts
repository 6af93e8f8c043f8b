/**
 * The TEEP Agent inside the simulated TEE: core's pure Agent session machine (teep/agent-session.ts)
 * wired to the device's keys, trust anchors, sealed TC store and SUIT port. Runs only in the TEE
 * process (tee/agent-ta.ts builds it).
 *
 * - TAM trust: raw TAM keys (by RFC 9679 thumbprint kid) and/or x5chain validated against the TAM CA
 *   with the `tam` role (EKU serverAuth), CRLs when given (core pki validateChain).
 * - TC-signer trust: x5chain validated against the signer CA with the `signer` role (EKU
 *   codeSigning), and/or raw signer keys; checked by the SUIT processor before anything is staged.
 * - Attestation: Evidence (Background-Check model) signed with the attestation key; ueid derived
 *   from the TEEP public key; oemid, hwmodel, hwversion and the firmware manifest reference are
 *   fixed values naming this simulation (SIMULATED_TEE_MODEL), for a Verifier's reference values.
 * - TAM attestation: required when the credentials hold TAM attester keys (`--require-tam-attestation`):
 *   the TAM's Evidence must be signed by one of them, answer this Agent's challenge and name the
 *   TAM's TEEP key (core agent-query-request.ts); any platform claims are accepted (no reference
 *   values: the key is the endorsement).
 * - SUIT identity: the vendor and class UUIDs given at init (sealed credentials) are the system
 *   properties that condition-vendor-identifier / -class-identifier compare with; a device without
 *   them fails such a manifest (SuitVendorMismatch / SuitClassMismatch, Error 11).
 * - State: one AgentSessionState per TAM URI, kept sealed in `agent-state` and written after every
 *   call that changed it (the machine is pure: state in, state out).
 */
import {
  coseKeyFromSpki, createAgentSession, createPeerTrust, processAgentTeepMessage, processError, requestPolicyCheck, requestTA,
  unrequestTA, validateChain, readX5chain, InvalidArgument, ReferenceValueVerifier, createSimulatedPlatformSource,
} from '@otrp/core';
import type { AgentConfig, AgentSessionState, AgentStepResult, CoseKey, SimulatedPlatform, SuitTrust, TeepProfileName } from '@otrp/core';
import type { AgentEventView, AgentHost, AgentHostContext, BrokerInstruction } from './agent-host-types.js';
import { createSealedSuitPort } from './sealed-suit-port.js';
import { TeeStorageFailed } from '../errors.js';

export const AGENT_STATE_FILE = 'agent-state';

export interface AgentHostOptions {
  /** TEEP wire numbering for new TAM sessions (default draft-26). */
  readonly profile?: TeepProfileName;
}

/** The simulated device model the Evidence names (reference values on the TAM side match these). */
export const SIMULATED_TEE_MODEL: SimulatedPlatform = {
  hwmodel: 'otrp simulated TEE',
  oemidLabel: 'otrp simulated TEE oemid',
  /** The "TEE firmware" the manifests claim names (required by the TEEP EAT profile): this build of the simulation. */
  manifestUri: 'urn:otrp:simulated-tee-firmware:1',
  manifestLabel: 'otrp simulated TEE firmware 1',
};

async function chainKey(chain: readonly Uint8Array[], anchors: readonly Uint8Array[], crls: readonly Uint8Array[], role: 'tam' | 'signer'): Promise<CoseKey> {
  const v = await validateChain({ chain, anchors: anchors.map((certificate) => ({ certificate })), role, ...(crls.length ? { crls } : {}) });
  return coseKeyFromSpki(v.spki);
}

function toView(e: AgentStepResult['events'][number]): AgentEventView {
  return { ...e } as AgentEventView;
}

/** Builds the Agent for a provisioned device. */
export function createAgentHost(ctx: AgentHostContext, options: AgentHostOptions = {}): AgentHost {
  const { keys, credentials: cred, tcStore, storage } = ctx;
  const tamTrust = createPeerTrust({
    keys: cred.tamKeys,
    ...(cred.tamAnchors.length ? { validateChain: (x5chain: readonly Uint8Array[]) => chainKey(x5chain, cred.tamAnchors, cred.crls, 'tam') } : {}),
  });
  const signerTrust: SuitTrust = {
    keys: cred.signerKeys,
    ...(cred.signerAnchors.length
      ? {
          resolveKey: async (headers) => {
            const chain = readX5chain(headers);
            return chain ? chainKey(chain, cred.signerAnchors, cred.crls, 'signer') : undefined;
          },
        }
      : {}),
  };
  const config: AgentConfig = {
    keys: [keys.keys.teep],
    ...(cred.certificates.teep ? { certificateChains: [cred.certificates.teep] } : {}),
    suitReportKey: keys.keys.suitReport,
    tamTrust,
    ...(cred.tamKeyAgreementKey ? { tamKeyAgreementKey: cred.tamKeyAgreementKey } : {}),
    ...(cred.tamAttesterKeys?.length && {
      requireTamAttestation: { verifier: new ReferenceValueVerifier({ endorsementKeys: cred.tamAttesterKeys, referenceValues: {} }) },
    }),
    attestation: createSimulatedPlatformSource({ platform: SIMULATED_TEE_MODEL, identityKey: keys.keys.teep, attestationKey: keys.keys.attestation }),
    tcStore,
    suit: createSealedSuitPort({
      trust: signerTrust,
      store: tcStore,
      decryptionKeys: { privateKeys: [keys.keys.keyAgreement] },
      ...((cred.vendorId || cred.classId) && { system: { ...(cred.vendorId && { vendorId: cred.vendorId }), ...(cred.classId && { classId: cred.classId }) } }),
    }),
  };

  let sessions: Record<string, AgentSessionState> | undefined;
  const policyRound = new Set<string>();
  const load = async (): Promise<Record<string, AgentSessionState>> => {
    if (sessions) return sessions;
    const bytes = await storage.read(AGENT_STATE_FILE);
    try {
      sessions = bytes ? (JSON.parse(new TextDecoder().decode(bytes)) as Record<string, AgentSessionState>) : {};
    } catch (e) {
      throw new TeeStorageFailed(`${AGENT_STATE_FILE} does not parse`, { cause: e });
    }
    return sessions;
  };
  const save = async (): Promise<void> => {
    await storage.write(AGENT_STATE_FILE, new TextEncoder().encode(JSON.stringify(sessions ?? {})));
  };
  /** The TAM a call is about: the hint, else the only TAM this Agent knows. */
  const tamFor = async (hint: string | undefined): Promise<string> => {
    if (hint !== undefined) return hint;
    const known = Object.keys(await load());
    if (known.length === 1) return known[0]!;
    throw new InvalidArgument(known.length ? 'several TAMs are known; name one' : 'no TAM URI is known to this Agent yet');
  };
  const step = async (tamUri: string, run: (state: AgentSessionState) => Promise<AgentStepResult> | AgentStepResult): Promise<AgentStepResult> => {
    const all = await load();
    const before = all[tamUri] ?? createAgentSession(tamUri, options.profile);
    const result = await run(before);
    if (JSON.stringify(result.state) !== JSON.stringify(all[tamUri])) {
      all[tamUri] = result.state;
      await save();
    }
    return result;
  };
  const instruction = (r: AgentStepResult): BrokerInstruction => {
    const message = r.outputs.find((o) => 'bytes' in o);
    const connect = r.outputs.find((o) => o.type === 'connect');
    if (message && 'bytes' in message) return { tamUri: r.state.tamUri, message: message.bytes };
    if (connect) return { tamUri: r.state.tamUri };
    return {};
  };

  return {
    async requestTA(componentId, hint) {
      return instruction(await step(await tamFor(hint), (s) => requestTA(config, s, { componentId })));
    },
    async unrequestTA(componentId, hint) {
      return instruction(await step(await tamFor(hint), (s) => unrequestTA(config, s, componentId)));
    },
    async requestPolicyCheck(hint) {
      // -15 §5.5: the Broker calls until nothing comes back, one TAM URI per call. The core machine
      // hands a URI out again as soon as that TAM has been heard from, which would never end a
      // round; so rounds are kept here: a TAM handed out in this round ends it (nothing) and is
      // handed out again in the next. The core's own pending flag is cleared first, so a round cut
      // short by a crash does not block every later policy check.
      const tamUri = await tamFor(hint);
      if (policyRound.delete(tamUri)) return {};
      const r = await step(tamUri, (s) => requestPolicyCheck({ ...s, policyCheckPending: false }));
      const out = instruction(r);
      if (out.tamUri !== undefined) policyRound.add(tamUri);
      return out;
    },
    async processTeepMessage(tamUri, message) {
      const r = await step(tamUri, (s) => processAgentTeepMessage(config, s, message));
      const out = r.outputs.find((o) => 'bytes' in o);
      return { ...(out && 'bytes' in out ? { message: out.bytes } : {}), events: r.events.map(toView) };
    },
    async processError(tamUri, detail) {
      await step(tamUri, (s) => processError(s, detail));
    },
  };
}
