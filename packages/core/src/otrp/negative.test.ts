/**
 * Negative cases: each is answered with the draft's error code and leaves the TEE state unchanged.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nodeCrypto from 'node:crypto';
import { makeFixturePki, makeParties, setup, type Parties } from './test-support/parties.js';
import { fixedRsaKey } from '../jose/test-support/fixed-rsa-key.js';
import { processOtrpRequest } from './tee-agent.js';
import { buildCommandRequest, buildGetDeviceStateRequest, processCommandResponse, processGetDeviceStateResponse, type TamOptions, type TeeView } from './tam-session.js';
import { signOtrpMessage } from './signed-message.js';
import { DEFAULT_JOSE_POLICY, DRAFT_MANDATORY_POLICY } from '../jose/algorithms.js';
import { x5cHeader } from '../jose/jws.js';
import { generateJoseKeyPair } from '../jose/keys.js';
import { encodeBase64url } from '../jose/base64.js';
import type { Fixture } from '../pki/test-support/fixture.js';
import type { OtrpMessageName } from './messages/names.js';
import { x509 } from '../pki/x509-runtime.js';

const spcertOf = (p: Parties) => Buffer.from(p.spcert).toString('base64');

async function connect(tam: TamOptions, agent: Parameters<typeof processOtrpRequest>[0]): Promise<TeeView> {
  const gds = await buildGetDeviceStateRequest(tam);
  const res = await processOtrpRequest(agent, gds.message);
  const [s] = await processGetDeviceStateResponse(tam, res.response, gds.pending);
  assert.equal(s?.status, 'pass');
  return (s as { tee: TeeView }).tee;
}

/** The TBS object of a signed message, to modify and re-sign. */
function tbsOf(message: string): { name: OtrpMessageName; tbs: Record<string, unknown> } {
  const outer = JSON.parse(message);
  const name = Object.keys(outer)[0] as OtrpMessageName;
  const doc = JSON.parse(Buffer.from(outer[name].payload, 'base64url').toString());
  return { name, tbs: doc[Object.keys(doc)[0]!] };
}

async function resign(p: Parties, name: OtrpMessageName, tbs: Record<string, unknown>): Promise<string> {
  return JSON.stringify(await signOtrpMessage(name, tbs, { key: p.tam.key, header: x5cHeader(p.tam.chain) }));
}

function reasonOf(response: string): string | undefined {
  const { tbs } = tbsOf(response.includes('GetDeviceStateResponse') ? JSON.stringify(JSON.parse(response).GetDeviceStateResponse[0]) : response);
  return (tbs.reason as { 'error-code'?: string } | undefined)?.['error-code'];
}

let fixture: Fixture;
let parties: Parties;
test.before(async () => {
  fixture = await makeFixturePki();
  parties = await makeParties(fixture, 'P-256');
});

test('stale dsihash: ERR_DEV_STATE_MISMATCH, state unchanged', async () => {
  const { store, agent, tam } = setup(fixture, parties, DEFAULT_JOSE_POLICY);
  const tee = await connect(tam, agent);
  const req = await buildCommandRequest(tam, 'CreateSD', { tee, content: { spid: 'sp', sdname: 'sd1', spcert: spcertOf(parties) } });
  await processOtrpRequest(agent, req.message);
  const before = store.snapshot();
  const stale = await buildCommandRequest(tam, 'CreateSD', { tee, content: { spid: 'sp', sdname: 'sd2', spcert: spcertOf(parties) } });
  const res = await processOtrpRequest(agent, stale.message);
  assert.equal(res.error?.wireCode, 'ERR_DEV_STATE_MISMATCH');
  const r = await processCommandResponse(tam, 'CreateSD', res.response, stale.pending, tee);
  assert.equal(r.status, 'fail');
  assert.equal(r.reason, 'ERR_DEV_STATE_MISMATCH');
  assert.deepEqual(store.snapshot(), before);
});

test('replayed rid/tid: ERR_REQUEST_INVALID (ERR_OTRP_REPLAY), state unchanged', async () => {
  const { store, agent, tam } = setup(fixture, parties, DEFAULT_JOSE_POLICY);
  const tee = await connect(tam, agent);
  const req = await buildCommandRequest(tam, 'CreateSD', { tee, content: { spid: 'sp', sdname: 'sd1', spcert: spcertOf(parties) } });
  assert.equal((await processOtrpRequest(agent, req.message)).error, undefined);
  // The same message again: refused on rid/tid before anything else is looked at.
  const after = store.snapshot();
  const replay = await processOtrpRequest(agent, req.message);
  assert.equal(replay.error?.code, 'ERR_OTRP_REPLAY');
  assert.equal(replay.error?.wireCode, 'ERR_REQUEST_INVALID');
  assert.deepEqual(store.snapshot(), after);
  // A new rid with an old tid is fine (§9.1.1: the combination must be unique).
  const gds1 = await buildGetDeviceStateRequest(tam, { rid: 'r1', tid: 't1' });
  assert.equal((await processOtrpRequest(agent, gds1.message)).error, undefined);
  const gds2 = await buildGetDeviceStateRequest(tam, { rid: 'r2', tid: 't1' });
  assert.equal((await processOtrpRequest(agent, gds2.message)).error, undefined);
  const gds3 = await buildGetDeviceStateRequest(tam, { rid: 'r2', tid: 't1' });
  const r3 = await processOtrpRequest(agent, gds3.message);
  assert.equal(reasonOf(r3.response), 'ERR_REQUEST_INVALID');
});

test('tampered JWS: ERR_REQUEST_INVALID with the reason in clear', async () => {
  const { store, agent, tam } = setup(fixture, parties, DEFAULT_JOSE_POLICY);
  const tee = await connect(tam, agent);
  const req = await buildCommandRequest(tam, 'CreateSD', { tee, content: { spid: 'sp', sdname: 'sd1', spcert: spcertOf(parties) } });
  const outer = JSON.parse(req.message);
  const doc = JSON.parse(Buffer.from(outer.CreateSDRequest.payload, 'base64url').toString());
  doc.CreateSDTBSRequest.nextdsi = false;
  outer.CreateSDRequest.payload = encodeBase64url(new TextEncoder().encode(JSON.stringify(doc)));
  const res = await processOtrpRequest(agent, JSON.stringify(outer));
  assert.equal(res.error?.wireCode, 'ERR_REQUEST_INVALID');
  assert.equal(reasonOf(res.response), 'ERR_REQUEST_INVALID');
  assert.deepEqual(store.snapshot(), { sds: [], spaiks: [] });
});

test('JWE to the wrong key: ERR_REQUEST_INVALID, state unchanged', async () => {
  const { store, agent, tam } = setup(fixture, parties, DEFAULT_JOSE_POLICY);
  const tee = await connect(tam, agent);
  const other = await generateJoseKeyPair('EC-P256');
  const req = await buildCommandRequest(tam, 'CreateSD', { tee: { ...tee, spki: other.spki }, content: { spid: 'sp', sdname: 'sd1', spcert: spcertOf(parties) } });
  const res = await processOtrpRequest(agent, req.message);
  assert.equal(res.error?.wireCode, 'ERR_REQUEST_INVALID');
  const r = await processCommandResponse(tam, 'CreateSD', res.response, req.pending, tee);
  assert.equal(r.reason, 'ERR_REQUEST_INVALID');
  assert.deepEqual(store.snapshot(), { sds: [], spaiks: [] });
});

test('RSA1_5 with wrong padding fails exactly like a JWE to the wrong key', async () => {
  const rsa = await generateJoseKeyPair('RSA'); // the one RSA key pair of this file
  const rp = await makeParties(fixture, rsa);
  const { store, agent, tam } = setup(fixture, rp, DRAFT_MANDATORY_POLICY);
  const tee = await connect(tam, agent);
  const req = await buildCommandRequest(tam, 'CreateSD', { tee, content: { spid: 'sp', sdname: 'sd1', spcert: spcertOf(rp) } });
  const { name, tbs } = tbsOf(req.message);
  const em = new Uint8Array(256).fill(0x42);
  em[0] = 0;
  em[1] = 1; // block type 1: not encryption padding
  em[220] = 0;
  const pub = nodeCrypto.createPublicKey({ key: Buffer.from(rsa.spki), format: 'der', type: 'spki' });
  const bad = nodeCrypto.publicEncrypt({ key: pub, padding: nodeCrypto.constants.RSA_NO_PADDING }, em);
  const content = tbs.content as { recipients: { encrypted_key: string }[] };
  content.recipients[0]!.encrypted_key = encodeBase64url(new Uint8Array(bad));
  const padRes = await processOtrpRequest(agent, await resign(rp, name, tbs));
  // Wrong key: a valid RSA1_5 wrap to an unrelated RSA key (a fixed test key, not generated).
  const otherSpki = (await fixedRsaKey()).spki;
  const wrong = await buildCommandRequest(tam, 'CreateSD', { tee: { ...tee, spki: otherSpki }, content: { spid: 'sp', sdname: 'sd1', spcert: spcertOf(rp) } });
  const wrongRes = await processOtrpRequest(agent, wrong.message);
  assert.equal(padRes.error?.code, wrongRes.error?.code);
  assert.equal(padRes.error?.message, wrongRes.error?.message);
  assert.equal(padRes.error?.wireCode, 'ERR_REQUEST_INVALID');
  assert.equal((padRes.error?.cause as { code?: string }).code, 'ERR_JWE_DECRYPTION_FAILED');
  assert.equal((wrongRes.error?.cause as { code?: string }).code, 'ERR_JWE_DECRYPTION_FAILED');
  const a = await processCommandResponse(tam, 'CreateSD', padRes.response, { ...req.pending }, tee);
  const b = await processCommandResponse(tam, 'CreateSD', wrongRes.response, wrong.pending, tee);
  assert.equal(a.reason, b.reason);
  assert.deepEqual(store.snapshot(), { sds: [], spaiks: [] });
});

test('alg none is refused: ERR_UNSUPPORTED_CRYPTO_ALG', async () => {
  const { agent, tam } = setup(fixture, parties, DEFAULT_JOSE_POLICY);
  const gds = await buildGetDeviceStateRequest(tam);
  const outer = JSON.parse(gds.message);
  outer.GetDeviceStateRequest.protected = encodeBase64url(new TextEncoder().encode('{"alg":"none"}'));
  outer.GetDeviceStateRequest.signature = '';
  const res = await processOtrpRequest(agent, JSON.stringify(outer));
  assert.equal(res.error?.wireCode, 'ERR_UNSUPPORTED_CRYPTO_ALG');
  assert.equal(reasonOf(res.response), 'ERR_UNSUPPORTED_CRYPTO_ALG');
});

test('SD owned by another TAM: ERR_TAM_NOT_AUTHORIZED; tamid not matching the certificate too', async () => {
  const { store, agent, tam } = setup(fixture, parties, DEFAULT_JOSE_POLICY);
  const other: TamOptions = { ...tam, identity: parties.otherTam, tamid: 'https://other-tam.example/tam' };
  const otherView = await connect(other, agent);
  const c = await buildCommandRequest(other, 'CreateSD', { tee: otherView, content: { spid: 'sp', sdname: 'shared', spcert: spcertOf(parties) } });
  assert.equal((await processOtrpRequest(agent, c.message)).error, undefined);
  const before = store.snapshot();
  const tee = await connect(tam, agent);
  assert.deepEqual(tee.dsi.tee.sdlist.sd, []); // a TAM sees only its own SDs
  const del = await buildCommandRequest(tam, 'DeleteSD', { tee, content: { spid: 'sp', sdname: 'shared', deleteta: true } });
  const res = await processOtrpRequest(agent, del.message);
  assert.equal(res.error?.wireCode, 'ERR_TAM_NOT_AUTHORIZED');
  assert.deepEqual(store.snapshot(), before);
  // A TAM claiming another tamid in content.
  const liar: TamOptions = { ...tam, tamid: 'https://other-tam.example/tam' };
  const lie = await buildCommandRequest(liar, 'CreateSD', { tee, content: { spid: 'sp2', sdname: 'x', spcert: spcertOf(parties) } });
  assert.equal((await processOtrpRequest(agent, lie.message)).error?.wireCode, 'ERR_TAM_NOT_AUTHORIZED');
  assert.deepEqual(store.snapshot(), before);
});

test('TAM certificate from an unknown CA: ERR_TAM_NOT_TRUSTED', async () => {
  const foreign = await makeParties(await makeFixturePki(), 'P-256');
  const { agent, tam } = setup(fixture, parties, DEFAULT_JOSE_POLICY);
  const gds = await buildGetDeviceStateRequest({ ...tam, identity: foreign.tam });
  const res = await processOtrpRequest(agent, gds.message);
  assert.equal(res.error?.wireCode, 'ERR_TAM_NOT_TRUSTED');
  const [s] = await processGetDeviceStateResponse(tam, res.response, gds.pending);
  assert.equal(s?.status, 'fail');
  assert.equal((s as { reason?: { 'error-code': string } }).reason?.['error-code'], 'ERR_TAM_NOT_TRUSTED');
});

test('oversize and deep JSON, outer/inner name mismatch, unknown members', async () => {
  const { agent, tam } = setup(fixture, parties, DEFAULT_JOSE_POLICY);
  await assert.rejects(processOtrpRequest(agent, '['.repeat(100000) + ']'.repeat(100000)), { code: 'ERR_OTRP_JSON_LIMIT' });
  await assert.rejects(processOtrpRequest({ ...agent, limits: { maxBytes: 100 } }, JSON.stringify({ CreateSDRequest: { payload: 'x'.repeat(200) } })), { code: 'ERR_OTRP_JSON_LIMIT' });
  await assert.rejects(processOtrpRequest(agent, '{"GetDeviceStateRequest": 1, "x": 2}'), { code: 'ERR_OTRP_REQUEST_INVALID' });
  await assert.rejects(processOtrpRequest(agent, 'not json'), { code: 'ERR_OTRP_REQUEST_INVALID' });
  // A GetDeviceStateRequest whose signed payload holds a DeleteTATBSRequest (A22).
  const gds = await buildGetDeviceStateRequest(tam);
  const { tbs } = tbsOf(gds.message);
  const signed = await signOtrpMessage('DeleteTARequest', tbs, { key: parties.tam.key, header: x5cHeader(parties.tam.chain) });
  const res = await processOtrpRequest(agent, JSON.stringify({ GetDeviceStateRequest: signed.DeleteTARequest }));
  assert.equal(res.error?.wireCode, 'ERR_REQUEST_INVALID');
  const extra = await resign(parties, 'GetDeviceStateRequest', { ...tbs, rid: 'fresh', surprise: 1 });
  assert.equal((await processOtrpRequest(agent, extra)).error?.wireCode, 'ERR_REQUEST_INVALID');
  const v2 = await resign(parties, 'GetDeviceStateRequest', { ...tbs, rid: 'fresh2', ver: '2.0' });
  assert.equal((await processOtrpRequest(agent, v2)).error?.wireCode, 'ERR_UNSUPPORTED_MSG_VERSION');
});

test('TAM side: a response with another rid is refused', async () => {
  const { agent, tam } = setup(fixture, parties, DEFAULT_JOSE_POLICY);
  const gds = await buildGetDeviceStateRequest(tam);
  const res = await processOtrpRequest(agent, gds.message);
  await assert.rejects(processGetDeviceStateResponse(tam, res.response, { ...gds.pending, rid: 'other' }), { code: 'ERR_OTRP_UNEXPECTED_RESPONSE' });
});

test('a TAM signing with RSA-1024 is refused (ERR_UNSUPPORTED_CRYPTO_ALG) outside the draft-sample path', async () => {
  const { agent, tam } = setup(fixture, parties, DEFAULT_JOSE_POLICY);
  const params = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
  const keys = (await crypto.subtle.generateKey(params, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01', name: 'CN=weak TAM', keys, signingAlgorithm: params, notBefore: new Date(Date.now() - 86400_000), notAfter: new Date(Date.now() + 86400_000),
  });
  const gds = await buildGetDeviceStateRequest(tam, { supportedsigalgs: ['ES256'] });
  const { tbs } = tbsOf(gds.message);
  const protectedB64 = encodeBase64url(new TextEncoder().encode('{"alg":"RS256"}'));
  const payload = encodeBase64url(new TextEncoder().encode(JSON.stringify({ GetDeviceStateTBSRequest: tbs })));
  const sig = new Uint8Array(await crypto.subtle.sign('RSASSA-PKCS1-v1_5', keys.privateKey, new TextEncoder().encode(`${protectedB64}.${payload}`)));
  const msg = { GetDeviceStateRequest: { payload, protected: protectedB64, header: x5cHeader([new Uint8Array(cert.rawData)]), signature: encodeBase64url(sig) } };
  const res = await processOtrpRequest({ ...agent, policy: { ...DEFAULT_JOSE_POLICY, jws: ['RS256', 'ES256'] } }, JSON.stringify(msg));
  assert.equal(res.error?.wireCode, 'ERR_UNSUPPORTED_CRYPTO_ALG');
  assert.equal((res.error?.cause as { code?: string }).code, 'ERR_JOSE_WEAK_KEY');
});
