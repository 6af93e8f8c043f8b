/**
 * What the TAM sends: QueryRequest and Update (draft-ietf-teep-protocol-26 §4.2, §4.4), with the
 * token rule of docs/teep-decisions.md §1: a token in every QueryRequest and every Update, and in the
 * Background-Check model with the attestation bit set a challenge as well (the Evidence nonce, -26
 * §9; the token is what an Error answering the request can echo, -26 §4.6, since an Error does not echo
 * the challenge). Each token and challenge is registered in the TokenStore (single use, with an expiry)
 * before the message leaves.
 */
import { publicCoseKey, type CoseKey } from '../cose/key.js';
import { encodeTeepMessage } from './messages/teep-message.js';
import type { QueryRequest } from './messages/query-request.js';
import type { Update } from './messages/update.js';
import { TEEP_DATA_ITEM, TEEP_FRESHNESS, type TeepCipherSuite } from './profiles.js';
import { signerFor, signTeepPayload } from './cipher-suites.js';
import { resolvePartyConfig, type ResolvedPartyConfig } from './party-config.js';
import { randomBytes, toHex } from './session-util.js';
import type { AttestationPayload } from './ports.js';
import type { OutstandingRequest, TamConfig, TamSessionState, TeepOutbound } from './tam-types.js';

const HOUR = 3_600_000;

/** A TamConfig with every default filled in. */
export interface ResolvedTamConfig extends TamConfig, ResolvedPartyConfig {
  readonly tokenLifetime: number;
  readonly attemptsAllowed: number;
  readonly backoff: number;
  readonly temporaryRetry: number;
}

export function resolveTamConfig(config: TamConfig): ResolvedTamConfig {
  return {
    ...config,
    ...resolvePartyConfig(config),
    tokenLifetime: config.tokenLifetimeMs ?? 6 * HOUR,
    attemptsAllowed: config.maxAttempts ?? 4,
    backoff: config.backoffMs ?? HOUR,
    temporaryRetry: config.temporaryRetryMs ?? 5 * 60_000,
  };
}

/** The state of a new session, before its first QueryRequest. */
export function initialTamState(c: ResolvedTamConfig, id: string): TamSessionState {
  return {
    version: 1,
    id,
    profile: c.teepProfile.name,
    phase: 'awaiting-query-response',
    offer: {
      cipherSuites: c.initialOffer?.cipherSuites ?? c.suites,
      versions: c.initialOffer?.versions ?? c.allVersions,
      freshnessMechanisms: c.initialOffer?.freshnessMechanisms ?? c.allFreshness,
      suitCoseProfiles: c.allSuitProfiles,
    },
    attempts: 0,
  };
}

async function sign(c: ResolvedTamConfig, state: TamSessionState, payload: Uint8Array, suites: readonly TeepCipherSuite[]): Promise<Uint8Array> {
  return signTeepPayload(payload, c.signing, state.signWith ? [state.signWith] : suites, c.provider);
}

async function register(c: ResolvedTamConfig, state: TamSessionState, kind: 'token' | 'challenge', bytes: Uint8Array, now: number): Promise<number> {
  const expiresAt = now + c.tokenLifetime;
  await c.tokens.issue({ value: toHex(bytes), kind, sessionId: state.id, expiresAt });
  return expiresAt;
}

/** The public TEEP key the TAM signs with towards this Agent (for the cnf of its own attestation). */
export function tamSigningKey(c: ResolvedTamConfig, state: TamSessionState): CoseKey {
  return publicCoseKey(signerFor(c.keys, state.signWith ?? state.offer.cipherSuites[0]!).key);
}

/** Builds, registers and signs a QueryRequest; `attestation` is the TAM's own (after Error 7). */
export async function sendQueryRequest(
  c: ResolvedTamConfig, state: TamSessionState, now: number, attestation?: AttestationPayload,
): Promise<{ state: TamSessionState; output: TeepOutbound }> {
  const bits = c.dataItemRequested ?? (c.attestation === 'none' ? TEEP_DATA_ITEM.trustedComponents : TEEP_DATA_ITEM.attestation | TEEP_DATA_ITEM.trustedComponents);
  const attested = (bits & TEEP_DATA_ITEM.attestation) !== 0;
  const { offer } = state;
  // -26 §9: the challenge is the Background-Check nonce; the Passport nonce is the token. The token
  // goes out in Background-Check too: an Error (which does not echo the challenge) can only be matched by it.
  const useChallenge = attested && c.attestation === 'background-check' && offer.freshnessMechanisms.includes(TEEP_FRESHNESS.nonce);
  const token = randomBytes(c.random, 16);
  const challenge = useChallenge ? randomBytes(c.random, 32) : undefined;
  const expiresAt = await register(c, state, 'token', token, now);
  if (challenge) await register(c, state, 'challenge', challenge, now);
  const onlyNonce = offer.freshnessMechanisms.length === 1 && offer.freshnessMechanisms[0] === TEEP_FRESHNESS.nonce;
  const msg: QueryRequest = {
    type: 'query-request',
    token,
    ...(challenge && { challenge }),
    // -26 §4.2: absent means nonce only; MUST be absent when the attestation bit is clear.
    ...(attested && !onlyNonce ? { supportedFreshnessMechanisms: offer.freshnessMechanisms } : {}),
    versions: offer.versions,
    ...(attestation?.format !== undefined ? { attestationPayloadFormat: attestation.format } : {}),
    ...(attestation ? { attestationPayload: attestation.payload } : {}),
    supportedTeepCipherSuites: offer.cipherSuites,
    supportedSuitCoseProfiles: offer.suitCoseProfiles,
    dataItemRequested: bits,
  };
  const payload = encodeTeepMessage(msg, { profile: c.teepProfile });
  const bytes = await sign(c, state, payload, offer.cipherSuites);
  const outstanding: OutstandingRequest = {
    kind: 'query-request',
    token: toHex(token),
    ...(challenge && { challenge: toHex(challenge) }),
    dataItemRequested: bits,
    expiresAt,
  };
  return {
    state: { ...state, phase: 'awaiting-query-response', outstanding, attempts: state.attempts + 1 },
    output: { type: 'query-request', message: msg, bytes },
  };
}

/** Builds, registers and signs an Update (always with a token, docs/teep-decisions.md §1). */
export async function sendUpdate(
  c: ResolvedTamConfig, state: TamSessionState, now: number, fields: Omit<Update, 'type' | 'token'>, expectAnswer: boolean,
): Promise<{ state: TamSessionState; output: TeepOutbound }> {
  const token = randomBytes(c.random, 16);
  const expiresAt = await register(c, state, 'token', token, now);
  const msg: Update = { type: 'update', token, ...fields };
  const bytes = await sign(c, state, encodeTeepMessage(msg, { profile: c.teepProfile }), state.offer.cipherSuites);
  const next: TamSessionState = expectAnswer
    ? { ...state, phase: 'awaiting-result', outstanding: { kind: 'update', token: toHex(token), expiresAt } }
    : withoutOutstanding({ ...state, phase: 'closed' });
  return { state: next, output: { type: 'update', message: msg, bytes } };
}

/** A copy of `state` with no outstanding request. */
export function withoutOutstanding(state: TamSessionState): TamSessionState {
  const { outstanding: _, ...rest } = state;
  return rest;
}
