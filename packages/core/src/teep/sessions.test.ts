/**
 * The TAM and Agent session machines driven against each other in memory (issue 4 "Must show"):
 * real keys, real SUIT envelopes through the real SUIT processor, real EAT Evidence / Attestation
 * Results, encryption of EATs and SUIT reports to the TAM.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeReport, suitResultCode } from '../suit/report.js';
import { isEncryptedToTam } from './confidentiality.js';
import { createAgentSession, processTeepMessage as agentProcess, requestTA, unrequestTA } from './agent-session.js';
import type { TeepOutbound } from './tam-types.js';
import type { QueryRequest } from './messages/query-request.js';
import type { QueryResponse } from './messages/query-response.js';
import type { TeepErrorMessage } from './messages/teep-error.js';
import type { Update } from './messages/update.js';
import { DRAFT_26, PRE_26, TEEP_CIPHER_SUITE, TEEP_DATA_ITEM } from './profiles.js';
import { decodeCbor } from '../wire/cbor.js';
import type { CborTag } from '../wire/cbor-value.js';
import { runSession, types, T0 } from './test-support/exchange.js';
import { deviceClaims, makeKeys, makeRelease, makeWorld, type WorldKeys } from './test-support/world.js';

const TAM_URI = 'https://tam.example/teep';
let shared: WorldKeys | undefined;
const keys = async () => (shared ??= await makeKeys());
const msgOf = <T>(x: { transcript: { out: { type: string; message: unknown } }[] }, type: string, nth = 0): T =>
  x.transcript.filter((e) => e.out.type === type)[nth]!.out.message as T;

for (const model of ['passport', 'background-check'] as const) {
  test(`first install with attestation (${model}): QueryRequest -> QueryResponse (EAT) -> Update -> Success`, async () => {
    const w = await makeWorld({ model }, await keys());
    const v1 = await makeRelease('SecureFS', 1, w.keys.tcSigner);
    w.policy.wanted = [v1];
    const x = await runSession(w, createAgentSession(TAM_URI));
    assert.deepEqual(types(x), ['query-request', 'query-response', 'update', 'success']);
    const qr = msgOf<QueryRequest>(x, 'query-request');
    assert.equal(qr.dataItemRequested & TEEP_DATA_ITEM.attestation, TEEP_DATA_ITEM.attestation);
    // The token rule (docs/teep-decisions.md §1): the Passport nonce is the token, Background-Check
    // a challenge, with a token as well (what every answer echoes).
    assert.ok(qr.token);
    assert.equal(qr.challenge !== undefined, model === 'background-check');
    // The first QueryRequest is a COSE_Sign with one signature per offered suite (-26 §8.1).
    assert.equal(x.transcript[0]!.out.bytes[0], 0xd8);
    assert.equal(x.transcript[0]!.out.bytes[1], 98);
    const resp = msgOf<QueryResponse>(x, 'query-response');
    assert.ok(resp.attestationPayload && isEncryptedToTam(resp.attestationPayload), 'the EAT is encrypted to the TAM');
    assert.equal(resp.attestationPayloadFormat === undefined, model === 'passport');
    const attested = x.tamEvents.find((e) => e.type === 'attestation-verified');
    assert.ok(attested && attested.type === 'attestation-verified');
    assert.deepEqual(attested.claims.hwmodel, deviceClaims().hwmodel);
    const update = msgOf<Update>(x, 'update');
    assert.equal(update.manifestList?.length, 1);
    assert.ok(update.token);
    assert.deepEqual(w.storage.read(v1.componentId), v1.payload);
    assert.equal(w.tcStore.list()[0]?.sequenceNumber, 1n);
    assert.equal(x.tamState.phase, 'closed');
    const ok = x.tamEvents.find((e) => e.type === 'update-succeeded');
    assert.ok(ok && ok.type === 'update-succeeded');
    assert.deepEqual(ok.reports[0]?.nonce, update.token, 'suit-report-nonce = the Update token');
    assert.equal(ok.reports[0]?.result, true);
    assert.equal(w.policy.outcomes[0]?.ok, true);
    // A second session finds everything installed: nothing to do, no Update.
    const again = await runSession(w, x.agentState, T0 + 1000);
    assert.deepEqual(types(again), ['query-request', 'query-response']);
    assert.ok(again.tamEvents.some((e) => e.type === 'nothing-to-do'));
  });
}

test('update to a higher sequence number, then a rollback attempt refused with a SUIT report', async () => {
  const w = await makeWorld({ model: 'passport' }, await keys());
  const v1 = await makeRelease('SecureFS', 1, w.keys.tcSigner);
  const v2 = await makeRelease('SecureFS', 2, w.keys.tcSigner);
  w.policy.wanted = [v1];
  let agent = (await runSession(w, createAgentSession(TAM_URI))).agentState;
  w.policy.wanted = [v2];
  const up = await runSession(w, agent, T0 + 1000);
  assert.deepEqual(types(up), ['query-request', 'query-response', 'update', 'success']);
  assert.deepEqual(w.storage.read(v2.componentId), v2.payload);
  assert.equal(w.tcStore.list()[0]?.sequenceNumber, 2n);
  agent = up.agentState;
  // A TAM that tries to put v1 back: the SUIT processor refuses the lower sequence number.
  w.policy.wanted = [v1];
  const back = await runSession(w, agent, T0 + 2000);
  assert.deepEqual(types(back), ['query-request', 'query-response', 'update', 'error']);
  const err = msgOf<TeepErrorMessage>(back, 'error');
  assert.equal(err.errCode, DRAFT_26.errorCodes.ERR_MANIFEST_PROCESSING_FAILED);
  assert.equal(err.suitReports?.length, 1);
  const event = back.tamEvents.find((e) => e.type === 'agent-error');
  assert.ok(event && event.type === 'agent-error');
  assert.equal(event.name, 'ERR_MANIFEST_PROCESSING_FAILED');
  const report = event.reports[0]!;
  assert.notEqual(report.result, true);
  assert.equal(report.result !== true && report.result.code, suitResultCode('ERR_SUIT_ROLLBACK'));
  assert.deepEqual(report.nonce, msgOf<Update>(back, 'update').token);
  assert.deepEqual(w.storage.read(v2.componentId), v2.payload, 'v2 stays installed');
  assert.equal(w.policy.outcomes.at(-1)?.ok, false);
  assert.ok(decodeReport(w.policy.outcomes.at(-1)!.reports[0]!));
  assert.equal(back.tamState.phase, 'closed');
});

test('RequestTA installs a requested TC; UnrequestTA removes the unneeded one', async () => {
  const w = await makeWorld({ model: 'passport' }, await keys());
  const tc = await makeRelease('Wallet', 3, w.keys.tcSigner);
  w.policy.catalog = [tc];
  const asked = await requestTA(w.agent, createAgentSession(TAM_URI), { componentId: tc.componentId });
  assert.deepEqual(asked.outputs, [{ type: 'connect', tamUri: TAM_URI }]);
  // have-binary needs a sequence number (-26 §4.3): refused at the API, not sent in a QueryResponse.
  await assert.rejects(requestTA(w.agent, createAgentSession(TAM_URI), { componentId: tc.componentId, haveBinary: true }), { code: 'ERR_INVALID_ARGUMENT' });
  const x = await runSession(w, asked.state);
  assert.deepEqual(types(x), ['query-request', 'query-response', 'update', 'success']);
  assert.equal(msgOf<QueryResponse>(x, 'query-response').requestedTcList?.length, 1);
  assert.deepEqual(w.storage.read(tc.componentId), tc.payload);
  assert.deepEqual(x.agentState.requested, []);
  // Already installed: RequestTA passes nothing back (-26 §7.2).
  assert.deepEqual((await requestTA(w.agent, x.agentState, { componentId: tc.componentId })).outputs, []);
  const un = await unrequestTA(w.agent, x.agentState, tc.componentId);
  assert.equal(un.outputs.length, 1);
  const y = await runSession(w, un.state, T0 + 1000);
  assert.deepEqual(types(y), ['query-request', 'query-response', 'update', 'success']);
  assert.equal(msgOf<QueryResponse>(y, 'query-response').unneededManifestList?.length, 1);
  assert.equal(msgOf<Update>(y, 'update').unneededManifestList?.length, 1);
  assert.equal(w.storage.read(tc.componentId), undefined, 'the component is gone');
  assert.equal(w.tcStore.list().length, 0);
  assert.deepEqual(y.agentState.unneeded, []);
});

test('cipher-suite mismatch: Error 5 with the Agent suites, then the TAM retries with a common suite', async () => {
  const w = await makeWorld({ model: 'passport', tam: { initialOffer: { cipherSuites: [TEEP_CIPHER_SUITE.sign1Ed25519] } } }, await keys());
  w.policy.wanted = [await makeRelease('SecureFS', 1, w.keys.tcSigner)];
  const x = await runSession(w, createAgentSession(TAM_URI));
  assert.deepEqual(types(x), ['query-request', 'error', 'query-request', 'query-response', 'update', 'success']);
  const err = msgOf<TeepErrorMessage>(x, 'error');
  assert.equal(err.errCode, DRAFT_26.errorCodes.ERR_UNSUPPORTED_CIPHER_SUITES);
  assert.deepEqual(err.supportedTeepCipherSuites, [TEEP_CIPHER_SUITE.sign1Esp256]);
  assert.deepEqual(msgOf<QueryRequest>(x, 'query-request', 1).supportedTeepCipherSuites, [TEEP_CIPHER_SUITE.sign1Esp256]);
  assert.equal(x.transcript[2]!.out.bytes[0], 0xd2, 'the retry is a COSE_Sign1 with the selected suite');
  assert.ok(x.tamEvents.some((e) => e.type === 'retry' && e.reason === 'ERR_UNSUPPORTED_CIPHER_SUITES'));
});

test('version mismatch: Error 4 with the Agent versions; retry with a common one, or back off without one', async () => {
  const w = await makeWorld({ model: 'passport', tam: { versions: [1, 0], initialOffer: { versions: [1] } } }, await keys());
  const x = await runSession(w, createAgentSession(TAM_URI));
  assert.deepEqual(types(x), ['query-request', 'error', 'query-request', 'query-response']);
  const err = msgOf<TeepErrorMessage>(x, 'error');
  assert.equal(err.errCode, 4);
  assert.deepEqual(err.versions, [0]);
  assert.deepEqual(msgOf<QueryRequest>(x, 'query-request', 1).versions, [0]);
  assert.equal(msgOf<QueryResponse>(x, 'query-response').selectedVersion, 0);

  const only1 = await makeWorld({ model: 'passport', tam: { versions: [1] } }, await keys());
  const y = await runSession(only1, createAgentSession(TAM_URI));
  assert.deepEqual(types(y), ['query-request', 'error']);
  assert.equal(y.tamState.phase, 'backing-off');
  // While backing off, ProcessConnect sends nothing.
  const z = await runSession(only1, createAgentSession(TAM_URI), T0 + 60_000, y.tamState);
  assert.deepEqual(types(z), []);
  assert.ok(z.tamEvents.some((e) => e.type === 'backoff'));
});

for (const model of ['passport', 'background-check'] as const) test(`an Agent that requires TAM attestation (${model}): Error 7 with a challenge, then a QueryRequest with the TAM attestation`, async () => {
  const w = await makeWorld({ model, requireTamAttestation: true }, await keys());
  w.policy.wanted = [await makeRelease('SecureFS', 1, w.keys.tcSigner)];
  const x = await runSession(w, createAgentSession(TAM_URI));
  assert.deepEqual(types(x), ['query-request', 'error', 'query-request', 'query-response', 'update', 'success']);
  const err = msgOf<TeepErrorMessage>(x, 'error');
  assert.equal(err.errCode, DRAFT_26.errorCodes.ERR_ATTESTATION_REQUIRED);
  assert.ok(err.challenge && err.supportedFreshnessMechanisms);
  const retry = msgOf<QueryRequest>(x, 'query-request', 1);
  assert.ok(retry.attestationPayload, 'the second QueryRequest carries the TAM attestation');
  assert.equal(x.agentState.tamChallenge, undefined, 'the challenge was used up');
});

test('a TAM that refuses the Agent attestation answers with an Update carrying err-code 7, never an Error', async () => {
  const w = await makeWorld({ model: 'background-check', claims: deviceClaims(new TextEncoder().encode('rogue-model')) }, await keys());
  w.policy.wanted = [await makeRelease('SecureFS', 1, w.keys.tcSigner)];
  const x = await runSession(w, createAgentSession(TAM_URI));
  assert.deepEqual(types(x), ['query-request', 'query-response', 'update']);
  const u = msgOf<Update>(x, 'update');
  assert.equal(u.errCode, DRAFT_26.errorCodes.ERR_ATTESTATION_REQUIRED);
  assert.match(u.errMsg ?? '', /ERR_EAT_REFERENCE_VALUE_MISMATCH/);
  assert.equal(u.manifestList, undefined);
  assert.equal(w.tcStore.list().length, 0);
  assert.equal(x.agentState.lastTamError?.name, 'ERR_ATTESTATION_REQUIRED');
  assert.equal(x.tamState.phase, 'closed');
});

test('pre-26 numbering end to end, without encryption: Success is type 5, the QueryResponse names the selected suite', async () => {
  const w = await makeWorld({ model: 'background-check', encrypt: false, tam: { profile: 'pre-26' } }, await keys());
  w.policy.wanted = [await makeRelease('SecureFS', 1, w.keys.tcSigner)];
  const x = await runSession(w, createAgentSession(TAM_URI, 'pre-26'));
  assert.deepEqual(types(x), ['query-request', 'query-response', 'update', 'success']);
  const resp = msgOf<QueryResponse>(x, 'query-response');
  assert.deepEqual(resp.selectedTeepCipherSuite, TEEP_CIPHER_SUITE.sign1Esp256);
  assert.ok(resp.attestationPayload && !isEncryptedToTam(resp.attestationPayload), 'no TAM key-agreement key: the EAT is only signed');
  const success = x.transcript.at(-1)!.out.bytes;
  const payload = decodeCbor(success) as CborTag;
  assert.equal((decodeCbor((payload.value as Uint8Array[])[2]!) as number[])[0], PRE_26.messageTypes.success);
  assert.equal(PRE_26.messageTypes.success, 5);
});

test('an Agent that requires TAM attestation takes it only as the answer to its outstanding challenge: a replayed attested QueryRequest gets Error 7', async () => {
  const w = await makeWorld({ model: 'passport', requireTamAttestation: true }, await keys());
  w.policy.wanted = [await makeRelease('SecureFS', 1, w.keys.tcSigner)];
  const x = await runSession(w, createAgentSession(TAM_URI));
  assert.deepEqual(types(x), ['query-request', 'error', 'query-request', 'query-response', 'update', 'success']);
  const attested = x.transcript.filter((t) => t.out.type === 'query-request')[1]!.out.bytes;
  for (const [state, what] of [[x.agentState, 'after the challenge was used'], [createAgentSession(TAM_URI), 'by an Agent that sent no challenge']] as const) {
    const r = await agentProcess(w.agent, state, attested);
    const e = r.outputs[0] as TeepOutbound;
    assert.equal(e.type, 'error', what);
    assert.equal((e.message as TeepErrorMessage).errCode, DRAFT_26.errorCodes.ERR_ATTESTATION_REQUIRED, what);
    assert.ok((e.message as TeepErrorMessage).challenge, `${what}: a fresh challenge`);
  }
});
