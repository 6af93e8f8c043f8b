/**
 * The TEEP Agent session machine, one per TAM (RFC 9397 §6.2.1 conceptual API;
 * draft-ietf-teep-protocol-26 §7.2):
 *
 *   requestTA / unrequestTA        -> remember the request, ask the broker to connect (or nothing)
 *   requestPolicyCheck             -> this TAM's URI once, until a message from it was processed
 *   processError                   -> note a transport failure
 *   processTeepMessage             -> QueryResponse / Success / Error (or nothing)
 *
 * processTeepMessage validates before anything else (-26 §4.1.2): COSE structure, a signature
 * algorithm of a supported suite (else Error 5), the TAM's key from the trust port (a bad
 * certificate is Error 6 or 9), the signature, then the TEEP message; an Update must also use the
 * selected suite as a COSE_Sign1 (-26 §8.1, else Error 1). Every failure is answered
 * with an Error (agent-error.ts); the Agent never throws for bad input.
 */
import { verifyDecodedSign1, type DecodedSign1 } from '../cose/sign1.js';
import { verifyDecodedSign, type DecodedSign } from '../cose/sign.js';
import { COSE_HEADER, headerValue, type CoseHeaders } from '../cose/headers.js';
import type { CoseKey } from '../cose/key.js';
import { coseKeyThumbprint } from '../cose/thumbprint.js';
import { InvalidArgument } from '../errors.js';
import { decodeTeepMessage, type TeepMessage } from './messages/teep-message.js';
import { openTeepMessage } from './secured-message.js';
import { TeepCipherSuiteMismatch, TeepMalformedMessage, TeepUnexpectedMessage, TeepUnsupportedCipherSuites } from './errors.js';
import { commonSuites, suiteAlg } from './cipher-suites.js';
import { resolveTeepProfile, type TeepProfileName } from './profiles.js';
import type { SuitComponentIdentifier } from './messages/fields.js';
import { componentIdToHex, componentKey, toHex } from './session-util.js';
import { publicKeyOf, resolveAgentConfig, type ResolvedAgentConfig } from './agent-config.js';
import { errorReply } from './agent-error.js';
import { handleQueryRequest } from './agent-query-request.js';
import { handleUpdate } from './agent-update.js';
import type { AgentConfig, AgentSessionState, AgentStepResult } from './agent-types.js';

/** A new per-TAM session. */
export function createAgentSession(tamUri: string, profile?: TeepProfileName): AgentSessionState {
  return { version: 1, tamUri, profile: resolveTeepProfile(profile).name, requested: [], unneeded: [], policyCheckPending: false };
}

const connect = (state: AgentSessionState): AgentStepResult => ({ state, outputs: [{ type: 'connect', tamUri: state.tamUri }], events: [] });

export interface RequestTaInput {
  readonly componentId: SuitComponentIdentifier;
  /** Minimum acceptable manifest sequence number (requested-tc-info). */
  readonly tcManifestSequenceNumber?: bigint;
  /** The Agent holds the binary already; needs `tcManifestSequenceNumber` (-26 §4.3). */
  readonly haveBinary?: boolean;
}

/**
 * RequestTA: nothing when the component is installed, else remember it and ask for a connection.
 * InvalidArgument for `haveBinary` without a sequence number: the requested-tc-info would break
 * the "MUST be present" rule and every later QueryResponse of this session would be refused.
 */
export async function requestTA(config: AgentConfig, state: AgentSessionState, input: RequestTaInput): Promise<AgentStepResult> {
  if (input.haveBinary && input.tcManifestSequenceNumber === undefined) {
    throw new InvalidArgument('requestTA: haveBinary needs tcManifestSequenceNumber (-26 §4.3)');
  }
  const key = componentKey(input.componentId);
  const installed = await config.tcStore.list();
  if (installed.some((tc) => tc.componentIds.some((id) => componentKey(id) === key))) return { state, outputs: [], events: [] };
  const entry = {
    componentId: componentIdToHex(input.componentId),
    ...(input.tcManifestSequenceNumber !== undefined && { tcManifestSequenceNumber: input.tcManifestSequenceNumber.toString() }),
    ...(input.haveBinary !== undefined && { haveBinary: input.haveBinary }),
  };
  const requested = [...state.requested.filter((r) => r.componentId.join('/') !== key), entry];
  return connect({ ...state, requested });
}

/** UnrequestTA: the manifest that installed the component goes to unneeded-manifest-list. */
export async function unrequestTA(config: AgentConfig, state: AgentSessionState, componentId: SuitComponentIdentifier): Promise<AgentStepResult> {
  const key = componentKey(componentId);
  const requested = state.requested.filter((r) => r.componentId.join('/') !== key);
  const tc = (await config.tcStore.list()).find((t) => t.componentIds.some((id) => componentKey(id) === key));
  if (!tc) return { state: { ...state, requested }, outputs: [], events: [] };
  const manifest = componentIdToHex(tc.manifestId);
  const unneeded = state.unneeded.some((u) => u.join('/') === manifest.join('/')) ? state.unneeded : [...state.unneeded, manifest];
  return connect({ ...state, requested, unneeded });
}

/** RequestPolicyCheck: this TAM's URI, once until the TAM has been heard from (-26 §7.2). */
export function requestPolicyCheck(state: AgentSessionState): AgentStepResult {
  if (state.policyCheckPending) return { state, outputs: [], events: [] };
  return connect({ ...state, policyCheckPending: true });
}

/** ProcessError: a transport failure towards this TAM (implementation specific: noted in the state). */
export function processError(state: AgentSessionState, detail?: string): AgentStepResult {
  return { state: { ...state, processErrorSinceQueryResponse: true, policyCheckPending: false }, outputs: [], events: [{ type: 'transport-error', ...(detail && { detail }) }] };
}

/** ProcessTeepMessage: see the module comment. */
export async function processTeepMessage(config: AgentConfig, state: AgentSessionState, bytes: Uint8Array): Promise<AgentStepResult> {
  const c = resolveAgentConfig({ ...config, profile: state.profile });
  const heard: AgentSessionState = { ...state, policyCheckPending: false };
  let verified: VerifiedTamMessage;
  try {
    verified = await verifyTamMessage(c, bytes);
  } catch (e) {
    // -26 §4.6: the Error echoes the token of the message it answers, even one that could not be
    // verified (unsupported suite, bad certificate): the TAM needs it to match the Error and react.
    return errorReply(c, heard, e, tokenOf(c, bytes));
  }
  const { message, tamKey } = verified;
  const withTam: AgentSessionState = { ...heard, tamKid: toHex(await coseKeyThumbprint(tamKey)) };
  const token = 'token' in message && message.token ? { token: message.token } : {};
  try {
    if (message.type === 'query-request') return await handleQueryRequest(c, withTam, message, tamKey);
    if (message.type === 'update') {
      checkSelectedSuite(withTam, verified);
      return await handleUpdate(c, withTam, message);
    }
    throw new TeepUnexpectedMessage(`an Agent never receives a ${message.type} message`);
  } catch (e) {
    // -26 §8.1: an Error answering a QueryRequest uses the suite that request selects, where it
    // selects one (e.g. Error 7 or 8 after the negotiation), not the previous session's selection.
    const selecting = message.type === 'query-request' ? commonSuites(message.supportedTeepCipherSuites, c.suites)[0] : undefined;
    return errorReply(c, withTam, e, { ...token, ...(selecting && { suite: selecting }) });
  }
}

interface VerifiedTamMessage {
  readonly message: TeepMessage;
  readonly tamKey: CoseKey;
  readonly wrapper: 'COSE_Sign1' | 'COSE_Sign';
  /** The algorithm of the signature that verified. */
  readonly alg: number;
}

/**
 * -26 §8.1: "For all other TEEP messages [than the initial QueryRequest] ... the selected TEEP
 * cipher suite MUST be used in both directions." An Update is a COSE_Sign1 with the algorithm of
 * the suite this Agent selected (any suite it supports when it has selected none yet). A mismatch
 * is answered with Error 1 (docs/teep-decisions.md §3): Error 5 would claim that no offered suite
 * is supported, and an Update offers none.
 */
function checkSelectedSuite(state: AgentSessionState, v: VerifiedTamMessage): void {
  if (v.wrapper !== 'COSE_Sign1') throw new TeepCipherSuiteMismatch('an Update must be a COSE_Sign1 of the selected cipher suite (-26 §8.1)');
  const selected = state.selectedSuite && suiteAlg(state.selectedSuite);
  if (selected !== undefined && selected !== v.alg) {
    throw new TeepCipherSuiteMismatch(`the Update is signed with algorithm ${v.alg}, not with the selected cipher suite's ${selected} (-26 §8.1)`);
  }
}

/** Steps 1-5 of -26 §4.1.2; returns the message and the TAM key that verified it. */
async function verifyTamMessage(c: ResolvedAgentConfig, bytes: Uint8Array): Promise<VerifiedTamMessage> {
  const opened = openTeepMessage(bytes);
  if (opened.wrapper === 'none') throw new TeepMalformedMessage('a TEEP message must be protected by COSE_Sign1 or COSE_Sign (-26 §4.1.2)');
  const ours = c.suites.map(suiteAlg).filter((a): a is number => a !== undefined);
  const signers = opened.wrapper === 'COSE_Sign1' ? [opened.headers as CoseHeaders] : (opened.signers ?? []);
  if (!signers.some((h) => ours.includes(headerValue(h, COSE_HEADER.alg) as number))) {
    throw new TeepUnsupportedCipherSuites('the TAM signed with no cipher suite this Agent supports');
  }
  const keys = new Map<CoseHeaders, CoseKey>();
  const resolver = async (h: CoseHeaders) => {
    const k = await c.tamTrust.resolve(h);
    if (k) keys.set(h, k);
    return k;
  };
  const options = { algorithms: ours, ...(c.provider && { provider: c.provider }) };
  let payload: Uint8Array;
  let tamKey: CoseKey | undefined;
  let alg: number;
  // Verified over what openTeepMessage decoded: the message is decoded once.
  if (opened.wrapper === 'COSE_Sign1') {
    const r = await verifyDecodedSign1(opened.decoded as DecodedSign1, resolver, options);
    payload = r.payload;
    tamKey = keys.get(r.headers) ?? [...keys.values()][0];
    alg = r.alg.id;
  } else {
    const r = await verifyDecodedSign(opened.decoded as DecodedSign, resolver, options);
    payload = r.payload;
    const signer = r.signers.find((s) => s.verified)!;
    tamKey = keys.get(signer.headers);
    alg = signer.alg!.id;
  }
  const message = decodeTeepMessage(payload, { profile: c.teepProfile });
  return { message, tamKey: publicKeyOf(tamKey as CoseKey), wrapper: opened.wrapper, alg };
}

/** The token of a message that could not be verified, so that the Error can echo it (-26 §4.6). */
function tokenOf(c: ResolvedAgentConfig, bytes: Uint8Array): { token?: Uint8Array } {
  try {
    const m = decodeTeepMessage(openTeepMessage(bytes).payload, { profile: c.teepProfile });
    return 'token' in m && m.token ? { token: m.token } : {};
  } catch {
    return {};
  }
}
