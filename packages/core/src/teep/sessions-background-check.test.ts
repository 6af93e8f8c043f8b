/**
 * The Background-Check model's freshness values (docs/teep-decisions.md §1, §4): the QueryRequest
 * carries a challenge (the Evidence nonce) AND a token, so that an Agent's Error, which has no
 * challenge field, can echo the token and be matched; negotiation retries (Error 5, Error 4) then
 * work as in the Passport model. Both values are single use and consumed together; a QueryResponse
 * that does not echo the token (another implementation) is still matched by its challenge.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CoseKey } from '../cose/key.js';
import { toHex } from '../wire/hex.js';
import { createAgentSession, processTeepMessage as agentProcess } from './agent-session.js';
import { processConnect, processTeepMessage as tamProcess } from './tam-session.js';
import { encodeTeepMessage, type TeepMessage } from './messages/teep-message.js';
import type { QueryRequest } from './messages/query-request.js';
import type { QueryResponse } from './messages/query-response.js';
import type { TeepErrorMessage } from './messages/teep-error.js';
import { signTeepPayload } from './cipher-suites.js';
import { DRAFT_26, TEEP_CIPHER_SUITE } from './profiles.js';
import type { TeepOutbound } from './tam-types.js';
import { runSession, types, T0, type Exchange } from './test-support/exchange.js';
import { makeKeys, makeRelease, makeWorld, type World, type WorldKeys } from './test-support/world.js';

const TAM_URI = 'https://tam.example/teep';
let shared: WorldKeys | undefined;
const keys = async () => (shared ??= await makeKeys());
const rejects = (p: Promise<unknown>, code: string) => assert.rejects(p, (e: { code?: string }) => e.code === code);
const resign = (m: TeepMessage, key: CoseKey) => signTeepPayload(encodeTeepMessage(m), [key], [TEEP_CIPHER_SUITE.sign1Esp256]);
const sent = <T>(x: Exchange, type: string, nth = 0): T => x.transcript.filter((e) => e.out.type === type)[nth]!.out.message as T;

/** A session that negotiates once (Error, retry) and then installs: the common checks. */
async function assertRecovered(w: World, x: Exchange, errName: keyof typeof DRAFT_26.errorCodes) {
  assert.deepEqual(types(x), ['query-request', 'error', 'query-request', 'query-response', 'update', 'success']);
  const first = sent<QueryRequest>(x, 'query-request');
  const retry = sent<QueryRequest>(x, 'query-request', 1);
  for (const qr of [first, retry]) assert.ok(qr.token && qr.challenge, 'a Background-Check QueryRequest carries a token and a challenge');
  const err = sent<TeepErrorMessage>(x, 'error');
  assert.equal(err.errCode, DRAFT_26.errorCodes[errName]);
  assert.deepEqual(err.token, first.token, 'the Error echoes the token (-26 §4.6)');
  assert.deepEqual(sent<QueryResponse>(x, 'query-response').token, retry.token);
  // The Evidence answers the retry's challenge, not the first one.
  const verified = x.tamEvents.find((e) => e.type === 'attestation-verified');
  assert.ok(verified && verified.type === 'attestation-verified');
  assert.deepEqual(verified.claims.nonce, retry.challenge);
  assert.ok(x.tamEvents.some((e) => e.type === 'retry' && e.reason === errName));
  assert.equal(x.tamState.phase, 'closed');
  assert.equal(w.policy.outcomes.at(-1)?.ok, true);
  // Every freshness value of both QueryRequests is used up, the first challenge included.
  for (const v of [first.token!, first.challenge!, retry.token!, retry.challenge!]) {
    assert.equal((await w.tokens.consume(toHex(v), T0, x.tamState.id)).status, 'used');
  }
}

test('Background-Check, cipher-suite mismatch: Error 5 echoes the token, the TAM retries with a common suite, the session completes', async () => {
  const w = await makeWorld({ model: 'background-check', tam: { initialOffer: { cipherSuites: [TEEP_CIPHER_SUITE.sign1Ed25519] } } }, await keys());
  const v1 = await makeRelease('SecureFS', 1, w.keys.tcSigner);
  w.policy.wanted = [v1];
  const x = await runSession(w, createAgentSession(TAM_URI));
  await assertRecovered(w, x, 'ERR_UNSUPPORTED_CIPHER_SUITES');
  assert.deepEqual(sent<TeepErrorMessage>(x, 'error').supportedTeepCipherSuites, [TEEP_CIPHER_SUITE.sign1Esp256]);
  assert.deepEqual(sent<QueryRequest>(x, 'query-request', 1).supportedTeepCipherSuites, [TEEP_CIPHER_SUITE.sign1Esp256]);
  assert.deepEqual(w.storage.read(v1.componentId), v1.payload);
});

test('Background-Check, version mismatch: Error 4 echoes the token, the TAM retries with a common version, the session completes', async () => {
  const w = await makeWorld({ model: 'background-check', tam: { versions: [1, 0], initialOffer: { versions: [1] } } }, await keys());
  const v1 = await makeRelease('SecureFS', 1, w.keys.tcSigner);
  w.policy.wanted = [v1];
  const x = await runSession(w, createAgentSession(TAM_URI));
  await assertRecovered(w, x, 'ERR_UNSUPPORTED_MSG_VERSION');
  assert.deepEqual(sent<TeepErrorMessage>(x, 'error').versions, [0]);
  assert.deepEqual(sent<QueryRequest>(x, 'query-request', 1).versions, [0]);
  assert.equal(sent<QueryResponse>(x, 'query-response').selectedVersion, 0);
  assert.deepEqual(w.storage.read(v1.componentId), v1.payload);
});

/** ProcessConnect, and the Agent's genuine QueryResponse. */
async function firstRound(w: World) {
  const c = await processConnect(w.tam, { now: T0 });
  const a = await agentProcess(w.agent, createAgentSession(TAM_URI), c.outputs[0]!.bytes);
  return { tamState: c.state, qr: c.outputs[0]!.message as QueryRequest, response: a.outputs[0] as TeepOutbound };
}

test('Background-Check: a QueryResponse without the token is matched by its challenge, and the token is used up with it', async () => {
  const w = await makeWorld({ model: 'background-check' }, await keys());
  w.policy.wanted = [await makeRelease('SecureFS', 1, w.keys.tcSigner)];
  const r = await firstRound(w);
  const { token: _, ...rest } = r.response.message as QueryResponse;
  const tokenless = await resign(rest, w.keys.agentTeep);
  const t = await tamProcess(w.tam, r.tamState, tokenless, { now: T0 });
  assert.equal(t.state.phase, 'awaiting-result');
  assert.ok(t.events.some((e) => e.type === 'attestation-verified'));
  // The genuine answer (with the token) and the token-less one are both replays now.
  await rejects(tamProcess(w.tam, r.tamState, r.response.bytes, { now: T0 }), 'ERR_TEEP_REPLAYED');
  await rejects(tamProcess(w.tam, r.tamState, tokenless, { now: T0 }), 'ERR_TEEP_REPLAYED');
});

test('Background-Check: the echoed token consumes the challenge too; an Error without the token is not matched', async () => {
  const w = await makeWorld({ model: 'background-check' }, await keys());
  const r = await firstRound(w);
  // An Error cannot be matched by the challenge (it has no challenge field): without the token it is dropped.
  const bare: TeepErrorMessage = { type: 'error', errCode: DRAFT_26.errorCodes.ERR_TEMPORARY_ERROR };
  await rejects(tamProcess(w.tam, r.tamState, await resign(bare, w.keys.agentTeep), { now: T0 }), 'ERR_TEEP_TOKEN_UNKNOWN');
  // The genuine QueryResponse (token echoed) is accepted; its challenge cannot match again.
  assert.equal((await tamProcess(w.tam, r.tamState, r.response.bytes, { now: T0 })).state.phase, 'closed');
  const { token: _, ...rest } = r.response.message as QueryResponse;
  await rejects(tamProcess(w.tam, r.tamState, await resign(rest, w.keys.agentTeep), { now: T0 }), 'ERR_TEEP_REPLAYED');
  // An expired request: both values refused alike.
  const late = await makeWorld({ model: 'background-check', tam: { tokenLifetimeMs: 60_000 } }, await keys());
  const l = await firstRound(late);
  await rejects(tamProcess(late.tam, l.tamState, l.response.bytes, { now: T0 + 61_000 }), 'ERR_TEEP_TOKEN_EXPIRED');
  assert.ok(l.qr.challenge && l.qr.token);
});
