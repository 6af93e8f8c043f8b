/**
 * The TAM session machine (draft-ietf-teep-protocol-26 §7.1; RFC 9397 §6.2.1 names):
 *
 *   processConnect(config, ctx)                    -> QueryRequest            (or nothing while backing off)
 *   processTeepMessage(config, state, bytes, ctx)  -> Update / QueryRequest / nothing
 *
 * Both are `step(state, input) -> { state, outputs, events }`, pure apart from the ports in the
 * config (token store, policy, verifiers). A message the TAM cannot accept is dropped: the call
 * throws a typed error and the caller keeps its old state (for HTTP the binding answers 204). The
 * TAM never sends an Error message (-26 §7); a QueryResponse it can verify but not accept is
 * answered with an Update carrying err-code (tam-query-response.ts).
 *
 * Validation of an Agent message, in order (-26 §4.1.2, §7.1): COSE_Sign1 structure; the signer's
 * key from the trust port, with an algorithm of a supported suite; the signature; the TEEP message
 * (CDDL); the same Agent as earlier in the session; an answer to an Update signed with the suite
 * the Update was (-26 §8.1: the selected suite "MUST be used in both directions"); then
 * freshness: the echoed token (or, for a Background-Check QueryResponse without one, the
 * outstanding challenge) and the request's other value are consumed from the token store, single
 * use (-26 §7.1 "MUST expire the token value after receiving the first response ... that has a
 * valid signature"). A replay therefore fails with ERR_TEEP_REPLAYED even against a stale state
 * copy.
 */
import { verifyDecodedSign1, type DecodedSign1 } from '../cose/sign1.js';
import { publicCoseKey, type CoseKey } from '../cose/key.js';
import { coseKeyThumbprint } from '../cose/thumbprint.js';
import { decodeTeepMessage, type TeepMessage } from './messages/teep-message.js';
import { openTeepMessage } from './secured-message.js';
import {
  TeepCipherSuiteMismatch, TeepMalformedMessage, TeepPeerMismatch, TeepReplayed, TeepSessionState, TeepTokenExpired, TeepTokenUnknown, TeepUnexpectedMessage,
} from './errors.js';
import { COSE_SIGN1_TYPE, type TeepCipherSuite } from './profiles.js';
import { commonSuites, suiteAlg } from './cipher-suites.js';
import { randomBytes, toHex } from './session-util.js';
import { initialTamState, resolveTamConfig, sendQueryRequest, withoutOutstanding, type ResolvedTamConfig } from './tam-send.js';
import { handleQueryResponse } from './tam-query-response.js';
import { handleAgentResult } from './tam-agent-result.js';
import type { ConnectContext, MessageContext, OutstandingRequest, TamConfig, TamSessionState, TamStepResult } from './tam-types.js';

/**
 * Starts a session: a QueryRequest offering the configured suites, versions and freshness
 * mechanisms, signed as a COSE_Sign (one signature per suite) unless one suite is offered. While
 * the device's previous session is backing off, nothing is sent.
 */
export async function processConnect(config: TamConfig, ctx: ConnectContext): Promise<TamStepResult> {
  const c = resolveTamConfig(config);
  const prev = ctx.previous;
  if (prev?.retryAt !== undefined && prev.phase === 'backing-off' && ctx.now < prev.retryAt) {
    return { state: prev, outputs: [], events: [{ type: 'backoff', until: prev.retryAt }] };
  }
  const id = ctx.sessionId ?? toHex(randomBytes(c.random, 16));
  const { state, output } = await sendQueryRequest(c, initialTamState(c, id), ctx.now);
  return { state, outputs: [output], events: [] };
}

/** The verified, matched Agent message handed to the handlers. */
export interface ReceivedAgentMessage {
  readonly message: TeepMessage;
  /** The Agent's TEEP public key (it verified the message). */
  readonly agentKey: CoseKey;
  readonly agentKid: string;
  /** The request it answers (already consumed from the token store). */
  readonly answers: OutstandingRequest;
}

/** Handles one message from the Agent; see the module comment. Throws (drop) when not acceptable. */
export async function processTeepMessage(config: TamConfig, state: TamSessionState, bytes: Uint8Array, ctx: MessageContext): Promise<TamStepResult> {
  const c = resolveTamConfig(config);
  if (state.phase === 'closed' || state.phase === 'backing-off' || state.outstanding === undefined) {
    throw new TeepSessionState(`the session is ${state.phase} and expects no message`);
  }
  const { received, signWith } = await receive(c, state, bytes, ctx);
  const base: TamSessionState = { ...withoutOutstanding(state), agentKid: received.agentKid, ...(signWith && { signWith }) };
  switch (received.message.type) {
    case 'query-response':
      if (received.answers.kind !== 'query-request') throw new TeepUnexpectedMessage('a QueryResponse that does not answer a QueryRequest');
      return handleQueryResponse(c, base, received, ctx.now);
    case 'success':
    case 'error':
      return handleAgentResult(c, base, received, ctx.now);
    default:
      throw new TeepUnexpectedMessage(`a TAM never receives a ${received.message.type} message`);
  }
}

async function receive(c: ResolvedTamConfig, state: TamSessionState, bytes: Uint8Array, ctx: MessageContext) {
  const opened = ctx.decoded?.opened ?? openTeepMessage(bytes);
  if (opened.wrapper !== 'COSE_Sign1') throw new TeepMalformedMessage('an Agent message is a COSE_Sign1 (-26 §8.1)');
  const algorithms = c.suites.map(suiteAlg).filter((a): a is number => a !== undefined);
  let agentKey: CoseKey | undefined;
  const cose = await verifyDecodedSign1(
    opened.decoded as DecodedSign1,
    async (h) => (agentKey = await c.agentTrust.resolve(h)),
    { algorithms, ...(c.provider && { provider: c.provider }) },
  );
  const key = publicCoseKey(agentKey as CoseKey);
  const agentKid = toHex(await coseKeyThumbprint(key));
  if (state.agentKid !== undefined && state.agentKid !== agentKid) throw new TeepPeerMismatch('the message is signed by another Agent than this session\'s');
  // The QueryResponse selected the suite and the Update was signed with it (-26 §8.1). Checked
  // before the token is consumed: a wrong-suite copy does not use up the genuine answer's token.
  const selected = state.outstanding?.kind === 'update' && state.signWith ? suiteAlg(state.signWith) : undefined;
  if (selected !== undefined && cose.alg.id !== selected) {
    throw new TeepCipherSuiteMismatch(`the answer to the Update is signed with algorithm ${cose.alg.id}, not the selected suite's ${selected}`);
  }
  // The caller's decoding only when it is of the payload that verified (MessageContext.decoded).
  const message =
    ctx.decoded !== undefined && cose.payload === opened.payload ? ctx.decoded.message : decodeTeepMessage(cose.payload, { profile: c.teepProfile });
  const answers = await consumeFreshness(c, state, message, ctx.now);
  // The Agent's algorithm is the selected suite from now on (-26 §8.1).
  const used: TeepCipherSuite = [[COSE_SIGN1_TYPE, cose.alg.id]];
  const signWith = commonSuites([used], c.suites)[0];
  return { received: { message, agentKey: key, agentKid, answers } satisfies ReceivedAgentMessage, signWith };
}

/**
 * Matches the message to the outstanding request and consumes its freshness values
 * (docs/teep-decisions.md §1, §4). The token the Agent echoes matches any answer; a QueryResponse
 * without a token (an Agent that does not echo it in the Background-Check model) is matched by the
 * challenge alone. A request is answered once: its other value (the challenge, or the token) is
 * consumed as well, so neither can match a later message.
 */
async function consumeFreshness(c: ResolvedTamConfig, state: TamSessionState, message: TeepMessage, now: number): Promise<OutstandingRequest> {
  const out = state.outstanding as OutstandingRequest;
  const token = 'token' in message && message.token instanceof Uint8Array ? toHex(message.token) : undefined;
  let value: string;
  if (token !== undefined) value = token;
  // An answer without a token, by its challenge: a QueryResponse, or any answer of a request that
  // had no token (states stored before Background-Check QueryRequests carried one).
  else if (out.challenge !== undefined && (message.type === 'query-response' || out.token === undefined)) value = out.challenge;
  else if (out.token !== undefined) throw new TeepTokenUnknown('the response carries no token, but its request had one');
  else throw new TeepTokenUnknown('no token or challenge to match the response');
  const matched = await consumeValue(c, state, value, now);
  if (!matched || (value !== out.token && value !== out.challenge)) {
    throw new TeepTokenUnknown('the token matches no outstanding request of this session');
  }
  for (const other of [out.token, out.challenge]) {
    if (other !== undefined && other !== value && !(await consumeValue(c, state, other, now))) {
      throw new TeepTokenUnknown('the request\'s other token or challenge is no longer known');
    }
  }
  return out;
}

/** Consumes one token or challenge: false when unknown to this session; throws when used or expired. */
async function consumeValue(c: ResolvedTamConfig, state: TamSessionState, value: string, now: number): Promise<boolean> {
  const r = await c.tokens.consume(value, now, state.id);
  if (r.status === 'used') throw new TeepReplayed('this token or challenge was already answered');
  if (r.status === 'expired') throw new TeepTokenExpired('the token or challenge has expired');
  return r.status === 'ok';
}
