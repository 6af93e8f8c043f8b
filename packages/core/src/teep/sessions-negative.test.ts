/**
 * Negative cases of the session machines, asserting codes: bad signature, wrong key, replayed token
 * or challenge, expired token, SUIT report nonce mismatch, and what the Agent answers to bad input.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeCbor, encodeCbor } from '../wire/cbor.js';
import type { CborTag } from '../wire/cbor-value.js';
import { encodeReport } from '../suit/report.js';
import { coseKeyThumbprint } from '../cose/thumbprint.js';
import { createSign1, decodeSign1 } from '../cose/sign1.js';
import { publicCoseKey, type CoseKey } from '../cose/key.js';
import { decodeTeepMessage, encodeTeepMessage, type TeepMessage } from './messages/teep-message.js';
import { openTeepMessage } from './secured-message.js';
import { createAgentSession, processTeepMessage as agentProcess } from './agent-session.js';
import { processConnect, processTeepMessage as tamProcess } from './tam-session.js';
import { signTeepPayload } from './cipher-suites.js';
import { openReport, protectReport, reportProfileSupported } from './suit-reports.js';
import { decryptFromAgent, encryptToTam } from './confidentiality.js';
import { DRAFT_26, TEEP_CIPHER_SUITE, SUIT_COSE_PROFILE } from './profiles.js';
import type { TeepErrorMessage } from './messages/teep-error.js';
import type { Update } from './messages/update.js';
import type { AgentStepResult } from './agent-types.js';
import type { TeepOutbound } from './tam-types.js';
import { createPeerTrust } from './peer-trust.js';
import { runSession, T0, types } from './test-support/exchange.js';
import { deviceClaims, makeKeys, makeRelease, makeWorld, type World, type WorldKeys } from './test-support/world.js';

const TAM_URI = 'https://tam.example/teep';
let shared: WorldKeys | undefined;
const keys = async () => (shared ??= await makeKeys());
const rejects = (p: Promise<unknown>, code: string) => assert.rejects(p, (e: { code?: string }) => e.code === code);
const sentError = (r: AgentStepResult): TeepErrorMessage => {
  assert.equal(r.outputs.length, 1);
  const out = r.outputs[0] as TeepOutbound;
  assert.equal(out.type, 'error');
  return out.message as TeepErrorMessage;
};
const flipLast = (b: Uint8Array) => {
  const c = b.slice();
  c[c.length - 1]! ^= 1;
  return c;
};
const resign = (m: TeepMessage, key: CoseKey) => signTeepPayload(encodeTeepMessage(m), [key], [TEEP_CIPHER_SUITE.sign1Esp256]);

/** Runs ProcessConnect and lets the Agent answer the QueryRequest. */
async function firstRound(w: World) {
  const c = await processConnect(w.tam, { now: T0 });
  const a = await agentProcess(w.agent, createAgentSession(TAM_URI), c.outputs[0]!.bytes);
  return { tamState: c.state, qr: c.outputs[0]!, agent: a, response: a.outputs[0] as TeepOutbound };
}

test('TAM: a QueryResponse with a bad signature is dropped (ERR_COSE_SIGNATURE_INVALID), the token stays usable', async () => {
  const w = await makeWorld({ model: 'passport' }, await keys());
  const r = await firstRound(w);
  await rejects(tamProcess(w.tam, r.tamState, flipLast(r.response.bytes), { now: T0 }), 'ERR_COSE_SIGNATURE_INVALID');
  // Nothing was consumed: the genuine answer is still accepted.
  const ok = await tamProcess(w.tam, r.tamState, r.response.bytes, { now: T0 });
  assert.equal(ok.state.phase, 'closed');
});

test('TAM: a message the caller decoded is verified as always and used only when its payload is the one that verified', async () => {
  const w = await makeWorld({ model: 'passport' }, await keys());
  const r = await firstRound(w);
  const opened = openTeepMessage(r.response.bytes);
  const message = decodeTeepMessage(opened.payload, { profile: 'draft-26' });
  const reused = await tamProcess(w.tam, r.tamState, r.response.bytes, { now: T0, decoded: { opened, message } });
  assert.equal(reused.state.phase, 'closed');
  // Tampered bytes opened by the caller: the signature check still refuses them (nothing consumed).
  const r2 = await firstRound(w);
  const opened2 = openTeepMessage(r2.response.bytes);
  const message2 = decodeTeepMessage(opened2.payload, { profile: 'draft-26' });
  const bad = openTeepMessage(flipLast(r2.response.bytes));
  await rejects(tamProcess(w.tam, r2.tamState, r2.response.bytes, { now: T0, decoded: { opened: bad, message: message2 } }), 'ERR_COSE_SIGNATURE_INVALID');
  // A payload other than the verified one: the given message is ignored, the verified payload decoded.
  const other = { type: 'success', token: new Uint8Array(8) } as TeepMessage;
  const copied = await tamProcess(w.tam, r2.tamState, r2.response.bytes, { now: T0, decoded: { opened: { ...opened2, payload: opened2.payload.slice() }, message: other } });
  assert.equal(copied.state.phase, 'closed');
});

test('TAM: a message signed by an unknown key (ERR_COSE_NO_KEY) or by a stranger under the Agent kid (ERR_COSE_SIGNATURE_INVALID)', async () => {
  const w = await makeWorld({ model: 'passport' }, await keys());
  const r = await firstRound(w);
  const stranger = { ...w.keys.stranger, kid: await coseKeyThumbprint(w.keys.stranger) };
  await rejects(tamProcess(w.tam, r.tamState, await resign(r.response.message, stranger), { now: T0 }), 'ERR_COSE_NO_KEY');
  const spoofed = await createSign1({ payload: encodeTeepMessage(r.response.message), key: { ...w.keys.stranger, kid: await coseKeyThumbprint(w.keys.agentTeep) }, alg: -9 });
  await rejects(tamProcess(w.tam, r.tamState, spoofed, { now: T0 }), 'ERR_COSE_SIGNATURE_INVALID');
});

test('TAM: a replayed QueryResponse (token) is rejected with ERR_TEEP_REPLAYED, against the new and the stale state', async () => {
  const w = await makeWorld({ model: 'passport' }, await keys());
  w.policy.wanted = [await makeRelease('SecureFS', 1, w.keys.tcSigner)];
  const r = await firstRound(w);
  const t = await tamProcess(w.tam, r.tamState, r.response.bytes, { now: T0 });
  assert.equal(t.state.phase, 'awaiting-result');
  await rejects(tamProcess(w.tam, t.state, r.response.bytes, { now: T0 }), 'ERR_TEEP_REPLAYED');
  await rejects(tamProcess(w.tam, r.tamState, r.response.bytes, { now: T0 }), 'ERR_TEEP_REPLAYED');
  // The Success is accepted once; a replay of it is refused too.
  const s = await agentProcess(w.agent, r.agent.state, t.outputs[0]!.bytes);
  const success = (s.outputs[0] as TeepOutbound).bytes;
  assert.equal((await tamProcess(w.tam, t.state, success, { now: T0 })).state.phase, 'closed');
  await rejects(tamProcess(w.tam, t.state, success, { now: T0 }), 'ERR_TEEP_REPLAYED');
  // A replayed Update reinstalls the same sequence number (not lower: no rollback); its answer is a replay for the TAM.
  const again = await agentProcess(w.agent, s.state, t.outputs[0]!.bytes);
  assert.equal((again.outputs[0] as TeepOutbound).type, 'success');
  await rejects(tamProcess(w.tam, t.state, (again.outputs[0] as TeepOutbound).bytes, { now: T0 }), 'ERR_TEEP_REPLAYED');
});

test('TAM: a replayed QueryResponse in the Background-Check model (challenge) is rejected with ERR_TEEP_REPLAYED', async () => {
  const w = await makeWorld({ model: 'background-check' }, await keys());
  const r = await firstRound(w);
  assert.equal((r.qr.message as { challenge?: Uint8Array }).challenge?.length, 32);
  assert.equal((await tamProcess(w.tam, r.tamState, r.response.bytes, { now: T0 })).state.phase, 'closed');
  await rejects(tamProcess(w.tam, r.tamState, r.response.bytes, { now: T0 }), 'ERR_TEEP_REPLAYED');
});

test('TAM: an answer after the token expired is dropped (ERR_TEEP_TOKEN_EXPIRED); a foreign token is unknown', async () => {
  const w = await makeWorld({ model: 'passport', tam: { tokenLifetimeMs: 60_000 } }, await keys());
  const r = await firstRound(w);
  await rejects(tamProcess(w.tam, r.tamState, r.response.bytes, { now: T0 + 61_000 }), 'ERR_TEEP_TOKEN_EXPIRED');
  const other = await firstRound(w);
  await rejects(tamProcess(w.tam, other.tamState, r.response.bytes, { now: T0 }), 'ERR_TEEP_TOKEN_UNKNOWN');
});

test('TAM: a Success whose SUIT report nonce is not the Update token is dropped (ERR_TEEP_REPORT_NONCE_MISMATCH)', async () => {
  const w = await makeWorld({ model: 'passport' }, await keys());
  w.policy.wanted = [await makeRelease('SecureFS', 1, w.keys.tcSigner)];
  const r = await firstRound(w);
  const t = await tamProcess(w.tam, r.tamState, r.response.bytes, { now: T0 });
  const token = (t.outputs[0]!.message as Update).token!;
  const report = encodeReport({ reference: { uri: '', digest: { algorithmId: -16, bytes: new Uint8Array(32) } }, nonce: new Uint8Array(16).fill(9), records: [], result: true });
  const suitReports = [await protectReport(report, w.keys.agentReport, undefined)];
  const forged = await resign({ type: 'success', token, suitReports }, w.keys.agentTeep);
  await rejects(tamProcess(w.tam, t.state, forged, { now: T0 }), 'ERR_TEEP_REPORT_NONCE_MISMATCH');
  // A report signed with the TEEP key instead of the report key is not authenticated.
  const wrongKey = [await protectReport(report, w.keys.agentTeep, undefined)];
  const other = await firstRound(w);
  const t2 = await tamProcess(w.tam, other.tamState, other.response.bytes, { now: T0 });
  const token2 = (t2.outputs[0]!.message as Update).token!;
  await rejects(tamProcess(w.tam, t2.state, await resign({ type: 'success', token: token2, suitReports: wrongKey }, w.keys.agentTeep), { now: T0 }), 'ERR_TEEP_REPORT_INVALID');
});

test('TAM: SUIT reports: one signed with the TEEP message key is refused (-26 §4.5), an unprotected one rests on the message signature; err-lang is kept', async () => {
  const k = await keys();
  // A report trust that also resolves the Agent's TEEP key, as the TAM service's x5chain trust does.
  const reportTrust = createPeerTrust({ keys: [publicCoseKey(k.agentReport), publicCoseKey(k.agentTeep)] });
  const w = await makeWorld({ model: 'passport', tam: { reportTrust } }, k);
  w.policy.wanted = [await makeRelease('SecureFS', 1, w.keys.tcSigner)];
  const update = async () => {
    const r = await firstRound(w);
    const t = await tamProcess(w.tam, r.tamState, r.response.bytes, { now: T0 });
    return { state: t.state, token: (t.outputs[0]!.message as Update).token! };
  };
  const report = (nonce: Uint8Array) => encodeReport({ reference: { uri: '', digest: { algorithmId: -16, bytes: new Uint8Array(32) } }, nonce, records: [], result: true });
  const success = (token: Uint8Array, suitReports: Uint8Array[]) => resign({ type: 'success', token, suitReports }, w.keys.agentTeep);
  const succeeded = (r: { events: readonly { type: string }[] }) => r.events.find((e) => e.type === 'update-succeeded') as { reports: { nonce?: Uint8Array }[] } | undefined;

  // (Each attempt answers its own Update: core consumes the token before it opens the reports; the
  // TAM service's transaction undoes that when the message is dropped.)
  const a = await update();
  await rejects(tamProcess(w.tam, a.state, await success(a.token, [await protectReport(report(a.token), w.keys.agentTeep, undefined)]), { now: T0 }), 'ERR_TEEP_REPORT_INVALID');
  const a2 = await update();
  const signed = await tamProcess(w.tam, a2.state, await success(a2.token, [await protectReport(report(a2.token), w.keys.agentReport, undefined)]), { now: T0 });
  assert.ok(succeeded(signed), 'the same answer with the report key is accepted');

  const b = await update();
  await rejects(tamProcess(w.tam, b.state, await success(b.token, [report(new Uint8Array(16).fill(9))]), { now: T0 }), 'ERR_TEEP_REPORT_NONCE_MISMATCH');
  const b2 = await update();
  const bare = await tamProcess(w.tam, b2.state, await success(b2.token, [report(b2.token)]), { now: T0 });
  assert.deepEqual(succeeded(bare)?.reports.map((x) => x.nonce), [b2.token], 'SUIT_Report_Unprotected (-26 §4.5)');

  const c = await update();
  const failed = await resign({ type: 'error', token: c.token, errCode: DRAFT_26.errorCodes.ERR_MANIFEST_PROCESSING_FAILED, errMsg: 'Speicher voll', errLang: 'de' }, w.keys.agentTeep);
  const e = await tamProcess(w.tam, c.state, failed, { now: T0 });
  assert.deepEqual(e.events.find((x) => x.type === 'agent-error'), { type: 'agent-error', errCode: DRAFT_26.errorCodes.ERR_MANIFEST_PROCESSING_FAILED, name: 'ERR_MANIFEST_PROCESSING_FAILED', errMsg: 'Speicher voll', errLang: 'de', reports: [] });
  assert.equal(e.state.lastError?.errLang, 'de', 'err-lang goes with err-msg to the operator (-26 §4.6)');
});

test('SUIT reports follow the -26 §8.2 suites: signed ESP256 or Ed25519 (not ES256 / EdDSA), encrypted A128GCM or ChaCha20/Poly1305 to match', async () => {
  const k = await keys();
  const r = encodeReport({ reference: { uri: '', digest: { algorithmId: -16, bytes: new Uint8Array(32) } }, records: [], result: true });
  for (const [key, content] of [[k.agentReport, 1], [k.tamEd25519, 24]] as const) {
    const signed = await protectReport(r, key, undefined);
    assert.ok(reportProfileSupported(signed, DRAFT_26.suitCoseProfiles), `${key.crv}: alg ${String(decodeSign1(signed).headers.protected.get(1))}`);
    const sealed = await protectReport(r, key, publicCoseKey(k.tamKa));
    const encrypt = decodeCbor(sealed) as CborTag;
    assert.equal((decodeCbor((encrypt.value as Uint8Array[])[0]!) as Map<number, unknown>).get(1), content, `${key.crv}: content algorithm`);
    const opened = await openReport(sealed, { trust: createPeerTrust({ keys: [publicCoseKey(key)] }), keyAgreementKey: k.tamKa });
    assert.deepEqual(opened.payload, r);
  }
  // A payload that is not a COSE_Sign1 names no suite: A128GCM, and it still decrypts.
  const opaque = await encryptToTam(new Uint8Array([1, 2, 3]), publicCoseKey(k.tamKa), 'eat');
  assert.equal((decodeCbor(((decodeCbor(opaque) as CborTag).value as Uint8Array[])[0]!) as Map<number, unknown>).get(1), 1);
  assert.deepEqual(await decryptFromAgent(opaque, k.tamKa, 'eat'), new Uint8Array([1, 2, 3]));
});

test('Agent: asked for attestation without an attestation source, it answers Error 1, not 7 (which would ask the TAM to attest itself)', async () => {
  const w = await makeWorld({ model: 'background-check' }, await keys());
  const { attestation: _unused, ...agent } = w.agent;
  const c = await processConnect(w.tam, { now: T0 });
  const r = await agentProcess(agent, createAgentSession(TAM_URI), c.outputs[0]!.bytes);
  const e = sentError(r);
  assert.equal(e.errCode, DRAFT_26.errorCodes.ERR_PERMANENT_ERROR);
  assert.equal(e.challenge, undefined, 'no challenge: the Agent does not ask the TAM for Evidence');
  assert.deepEqual(r.events, [{ type: 'error-sent', name: 'ERR_PERMANENT_ERROR', code: 'ERR_TEEP_ATTESTATION_UNAVAILABLE' }]);
});

test('Agent: a QueryRequest with a bad signature or from an unknown TAM key is answered with Error 1', async () => {
  const w = await makeWorld({ model: 'passport' }, await keys());
  const c = await processConnect({ ...w.tam, initialOffer: { cipherSuites: [TEEP_CIPHER_SUITE.sign1Esp256] } }, { now: T0 });
  const bad = await agentProcess(w.agent, createAgentSession(TAM_URI), flipLast(c.outputs[0]!.bytes));
  const e1 = sentError(bad);
  assert.equal(e1.errCode, DRAFT_26.errorCodes.ERR_PERMANENT_ERROR);
  assert.deepEqual(e1.token, (c.outputs[0]!.message as { token?: Uint8Array }).token, 'the token is echoed (-26 §4.6)');
  assert.deepEqual(bad.events, [{ type: 'error-sent', name: 'ERR_PERMANENT_ERROR', code: 'ERR_COSE_SIGNATURE_INVALID' }]);
  const stranger = { ...w.keys.stranger, kid: await coseKeyThumbprint(w.keys.stranger) };
  const unknown = await agentProcess(w.agent, createAgentSession(TAM_URI), await resign(c.outputs[0]!.message, stranger));
  assert.equal(sentError(unknown).errCode, 1);
  assert.equal(unknown.events[0]?.type === 'error-sent' && unknown.events[0].code, 'ERR_COSE_NO_KEY');
});

test('Agent: bad TEEP content and unsupported options get the Error the draft requires', async () => {
  const w = await makeWorld({ model: 'passport' }, await keys());
  const tamSign = (m: Uint8Array) => signTeepPayload(m, [w.keys.tamP256], [TEEP_CIPHER_SUITE.sign1Esp256]);
  const send = async (payload: Uint8Array) => agentProcess(w.agent, createAgentSession(TAM_URI), await tamSign(payload));
  const suites = [TEEP_CIPHER_SUITE.sign1Esp256];
  const profiles = [SUIT_COSE_PROFILE.sha256Esp256EcdhA128ctr];
  // The attestation bit clear and no token (docs/teep-decisions.md §1).
  const noToken = await send(encodeCbor([1, new Map(), [[[18, -9]]], [[-16, -9, -29, -65534]], 2]));
  assert.equal(sentError(noToken).errCode, 1);
  assert.equal(noToken.events[0]?.type === 'error-sent' && noToken.events[0].code, 'ERR_TEEP_TOKEN_REQUIRED');
  // A message an Agent never receives.
  const success = await send(encodeTeepMessage({ type: 'success', token: new Uint8Array(8) }));
  assert.equal(success.events[0]?.type === 'error-sent' && success.events[0].code, 'ERR_TEEP_UNEXPECTED_MESSAGE');
  assert.deepEqual(sentError(success).token, new Uint8Array(8));
  // Only the timestamp freshness mechanism offered: Error 3 with the Agent's mechanisms.
  const token = new Uint8Array(8).fill(1);
  const fresh = await send(encodeTeepMessage({ type: 'query-request', token, supportedFreshnessMechanisms: [1], supportedTeepCipherSuites: suites, supportedSuitCoseProfiles: profiles, dataItemRequested: 3 }));
  const e3 = sentError(fresh);
  assert.equal(e3.errCode, 3);
  assert.deepEqual(e3.supportedFreshnessMechanisms, [0]);
  assert.deepEqual(e3.token, token);
  // A TAM SUIT report signed with an algorithm of no supported SUIT COSE profile: Error 8.
  const es384 = await createSign1({ payload: new Uint8Array([0xa0]), key: await (await import('../cose/webcrypto-provider.js')).webCryptoProvider.generateKeyPair('P-384') });
  const rep = await send(encodeTeepMessage({ type: 'query-request', token, suitReports: [es384], supportedTeepCipherSuites: suites, supportedSuitCoseProfiles: profiles, dataItemRequested: 2 }));
  const e8 = sentError(rep);
  assert.equal(e8.errCode, 8);
  assert.deepEqual(e8.supportedSuitCoseProfiles, DRAFT_26.suitCoseProfiles);
});

test('TAM: a closed session takes no message (ERR_TEEP_SESSION_STATE); the Agent of the session cannot change (ERR_TEEP_PEER_MISMATCH)', async () => {
  const w = await makeWorld({ model: 'passport' }, await keys());
  w.policy.wanted = [await makeRelease('SecureFS', 1, w.keys.tcSigner)];
  const x = await runSession(w, createAgentSession(TAM_URI));
  assert.equal(x.tamState.phase, 'closed');
  await rejects(tamProcess(w.tam, x.tamState, x.transcript[1]!.out.bytes, { now: T0 }), 'ERR_TEEP_SESSION_STATE');
  // Another Agent, trusted too, answering an Update that was sent to the first one.
  const second = await makeWorld({ model: 'passport' }, await keys());
  second.policy.wanted = w.policy.wanted;
  const r = await firstRound(second);
  const t = await tamProcess(second.tam, r.tamState, r.response.bytes, { now: T0 });
  assert.equal(t.state.phase, 'awaiting-result');
  const stranger = { ...w.keys.stranger, kid: await coseKeyThumbprint(w.keys.stranger) };
  const tam = { ...second.tam, agentTrust: createPeerTrust({ keys: [w.keys.agentTeep, w.keys.stranger] }) };
  const forged = await resign({ type: 'success', token: (t.outputs[0]!.message as Update).token! }, stranger);
  await rejects(tamProcess(tam, t.state, forged, { now: T0 }), 'ERR_TEEP_PEER_MISMATCH');
});

test('Agent: after the negotiation an Update must use the selected suite (-26 §8.1): another suite or a COSE_Sign gets Error 1', async () => {
  const k = await keys();
  const agentEd = await (await import('../cose/webcrypto-provider.js')).webCryptoProvider.generateKeyPair('Ed25519');
  const w = await makeWorld({ model: 'passport', agent: { keys: [k.agentTeep, agentEd] } }, k);
  w.policy.wanted = [await makeRelease('SecureFS', 1, w.keys.tcSigner)];
  const r = await firstRound(w);
  assert.deepEqual(r.agent.state.selectedSuite, TEEP_CIPHER_SUITE.sign1Esp256, 'the first suite of the TAM offer that the Agent has');
  const t = await tamProcess(w.tam, r.tamState, r.response.bytes, { now: T0 });
  const update = t.outputs[0]!.message as Update;
  const payload = encodeTeepMessage(update);
  const algOf = (bytes: Uint8Array) => decodeSign1(bytes).headers.protected.get(1);
  const refused = async (bytes: Uint8Array, what: string) => {
    const e = await agentProcess(w.agent, r.agent.state, bytes);
    assert.equal(sentError(e).errCode, DRAFT_26.errorCodes.ERR_PERMANENT_ERROR, what);
    assert.deepEqual(sentError(e).token, update.token, `${what}: the token is echoed`);
    assert.deepEqual(e.events, [{ type: 'error-sent', name: 'ERR_PERMANENT_ERROR', code: 'ERR_TEEP_CIPHER_SUITE_MISMATCH' }], what);
    assert.equal(algOf((e.outputs[0] as TeepOutbound).bytes), -9, `${what}: the Error itself uses the selected suite`);
    assert.equal((await w.tcStore.list()).length, 0, `${what}: nothing installed`);
  };
  await refused(await signTeepPayload(payload, [k.tamEd25519], [TEEP_CIPHER_SUITE.sign1Ed25519]), 'Ed25519 after ESP256 was selected');
  await refused(await signTeepPayload(payload, [k.tamP256, k.tamEd25519], [TEEP_CIPHER_SUITE.sign1Esp256, TEEP_CIPHER_SUITE.sign1Ed25519]), 'a COSE_Sign');
  // The Update as the TAM sent it installs.
  const ok = await agentProcess(w.agent, r.agent.state, t.outputs[0]!.bytes);
  assert.equal((ok.outputs[0] as TeepOutbound).type, 'success');
  assert.equal((await w.tcStore.list()).length, 1);
});

test('Agent: an Error answering a QueryRequest is signed with the suite that request selects, not the previous selection (-26 §8.1)', async () => {
  const k = await keys();
  const agentEd = await (await import('../cose/webcrypto-provider.js')).webCryptoProvider.generateKeyPair('Ed25519');
  const w = await makeWorld({ model: 'passport', requireTamAttestation: true, agent: { keys: [k.agentTeep, agentEd] } }, k);
  const before = { ...createAgentSession(TAM_URI), selectedSuite: TEEP_CIPHER_SUITE.sign1Ed25519 };
  const c = await processConnect({ ...w.tam, initialOffer: { cipherSuites: [TEEP_CIPHER_SUITE.sign1Esp256] } }, { now: T0 });
  const r = await agentProcess(w.agent, before, c.outputs[0]!.bytes);
  assert.equal(sentError(r).errCode, DRAFT_26.errorCodes.ERR_ATTESTATION_REQUIRED);
  assert.equal(decodeSign1((r.outputs[0] as TeepOutbound).bytes).headers.protected.get(1), -9, 'ESP256, the suite this QueryRequest selects');
});

test('TAM: an answer to an Update signed with another suite than the selected one is dropped before its token is used (-26 §8.1)', async () => {
  const k = await keys();
  const suites = [TEEP_CIPHER_SUITE.sign1Esp256, TEEP_CIPHER_SUITE.sign1Ed25519, TEEP_CIPHER_SUITE.sign1Es256];
  // ES256 and ESP256 are both P-256: the same Agent key can sign with either.
  const w = await makeWorld({ model: 'passport', tam: { cipherSuites: suites }, agent: { cipherSuites: [TEEP_CIPHER_SUITE.sign1Esp256, TEEP_CIPHER_SUITE.sign1Es256] } }, k);
  w.policy.wanted = [await makeRelease('SecureFS', 1, w.keys.tcSigner)];
  const r = await firstRound(w);
  const t = await tamProcess(w.tam, r.tamState, r.response.bytes, { now: T0 });
  assert.deepEqual(t.state.signWith, TEEP_CIPHER_SUITE.sign1Esp256);
  const a = await agentProcess(w.agent, r.agent.state, t.outputs[0]!.bytes);
  const success = a.outputs[0] as TeepOutbound;
  assert.equal(success.type, 'success');
  const es256 = await signTeepPayload(encodeTeepMessage(success.message), [k.agentTeep], [TEEP_CIPHER_SUITE.sign1Es256]);
  await rejects(tamProcess(w.tam, t.state, es256, { now: T0 }), 'ERR_TEEP_CIPHER_SUITE_MISMATCH');
  const done = await tamProcess(w.tam, t.state, success.bytes, { now: T0 });
  assert.ok(done.events.some((e) => e.type === 'update-succeeded'), 'the genuine Success still matches its token');
});

test('TAM: an Attestation Result past its exp is refused at the TAM clock (Update with Error 7, ERR_EAT_EXPIRED); one still valid passes', async () => {
  const k = await keys();
  for (const [exp, refused] of [[T0 / 1000 - 1, true], [T0 / 1000 + 60, false]] as const) {
    const w = await makeWorld({ model: 'passport', claims: { ...deviceClaims(), exp } }, k);
    w.policy.wanted = [await makeRelease('SecureFS', 1, w.keys.tcSigner)];
    const r = await firstRound(w);
    const t = await tamProcess(w.tam, r.tamState, r.response.bytes, { now: T0 });
    const update = t.outputs[0]!.message as Update;
    if (refused) {
      assert.equal(update.errCode, DRAFT_26.errorCodes.ERR_ATTESTATION_REQUIRED);
      assert.match(update.errMsg ?? '', /ERR_EAT_EXPIRED/);
      assert.equal(update.manifestList, undefined);
    } else {
      assert.equal(update.errCode, undefined);
      assert.equal(update.manifestList?.length, 1);
    }
  }
});

test('Agent: a TAM Attestation Result past its exp at the Agent clock (requireTamAttestation.now) is refused with Error 7 (ERR_EAT_EXPIRED)', async () => {
  const k = await keys();
  const exp = T0 / 1000 + 60;
  for (const [agentNow, refused] of [[T0 + 61_000, true], [T0 + 59_000, false]] as const) {
    const w = await makeWorld({ model: 'passport', requireTamAttestation: true, tamClaims: { ...deviceClaims(), exp } }, k);
    w.agent = { ...w.agent, requireTamAttestation: { ...w.agent.requireTamAttestation, now: () => agentNow } };
    w.policy.wanted = [await makeRelease('SecureFS', 1, w.keys.tcSigner)];
    const x = await runSession(w, createAgentSession(TAM_URI));
    if (refused) {
      // Each attested QueryRequest gets Error 7 naming the cause; the TAM retries a bounded number of times, then backs off.
      assert.deepEqual(types(x).slice(0, 4), ['query-request', 'error', 'query-request', 'error']);
      const errors = x.transcript.filter((t) => t.out.type === 'error').map((t) => t.out.message as TeepErrorMessage);
      assert.ok(errors.every((e) => e.errCode === DRAFT_26.errorCodes.ERR_ATTESTATION_REQUIRED && e.challenge));
      assert.match(errors[1]!.errMsg ?? '', /refused \(ERR_EAT_EXPIRED\)/);
      assert.equal(x.tamState.phase, 'backing-off');
      assert.equal(w.tcStore.list().length, 0);
    } else {
      assert.deepEqual(types(x), ['query-request', 'error', 'query-request', 'query-response', 'update', 'success']);
      assert.equal(w.tcStore.list().length, 1);
    }
  }
});

test('Agent: a challenge longer than eat_nonce allows (65..512 bytes, -26 §4.2 against RFC 9711 §4.1) gets Error 1, not a truncated nonce', async () => {
  const w = await makeWorld({ model: 'background-check' }, await keys());
  const send = async (challenge: Uint8Array) => {
    const qr = encodeTeepMessage({ type: 'query-request', challenge, supportedTeepCipherSuites: [TEEP_CIPHER_SUITE.sign1Esp256], supportedSuitCoseProfiles: [SUIT_COSE_PROFILE.sha256Esp256EcdhA128ctr], dataItemRequested: 1 });
    return agentProcess(w.agent, createAgentSession(TAM_URI), await signTeepPayload(qr, [w.keys.tamP256], [TEEP_CIPHER_SUITE.sign1Esp256]));
  };
  const long = await send(new Uint8Array(65).fill(3));
  assert.equal(sentError(long).errCode, DRAFT_26.errorCodes.ERR_PERMANENT_ERROR);
  assert.deepEqual(long.events, [{ type: 'error-sent', name: 'ERR_PERMANENT_ERROR', code: 'ERR_EAT_INVALID_CLAIM' }]);
  const ok = await send(new Uint8Array(64).fill(3));
  assert.equal((ok.outputs[0] as TeepOutbound).type, 'query-response');
});
