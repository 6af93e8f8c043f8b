/**
 * Every OTrP message built, signed/encrypted, verified/decrypted and parsed by the other role:
 * GetDeviceState -> CreateSD -> UpdateSD -> InstallTA -> UpdateTA -> DeleteTA -> DeleteSD, once with
 * P-256 parties (ES256 + ECDH-ES+A128KW) and once with RSA parties on the draft's mandatory set
 * (RS256 + RSA1_5 + A128CBC-HS256).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeFixturePki, makeParties, setup, type Parties } from './test-support/parties.js';
import { processOtrpRequest } from './tee-agent.js';
import { buildCommandRequest, buildGetDeviceStateRequest, processCommandResponse, processGetDeviceStateResponse, type TeeView } from './tam-session.js';
import { DEFAULT_JOSE_POLICY, DRAFT_MANDATORY_POLICY, type JosePolicy } from '../jose/algorithms.js';
import { generateJoseKeyPair } from '../jose/keys.js';
import { decodeBase64Lenient } from '../jose/base64.js';
import type { Fixture } from '../pki/test-support/fixture.js';

const enc = (s: string) => new TextEncoder().encode(s);

async function runLifecycle(parties: Parties, fixture: Fixture, policy: JosePolicy, expectAlg: string) {
  const { store, agent, tam } = setup(fixture, parties, policy);
  const gds = await buildGetDeviceStateRequest(tam);
  const gdsRes = await processOtrpRequest(agent, gds.message);
  assert.equal(gdsRes.error, undefined);
  const [state] = await processGetDeviceStateResponse(tam, gdsRes.response, gds.pending);
  assert.equal(state?.status, 'pass');
  let tee = (state as { tee: TeeView }).tee;
  assert.equal(tee.name, 'Primary TEE');
  assert.equal(tee.dsi.tee.sdlist.sd.length, 0);
  const protectedHeader = JSON.parse(gdsRes.response).GetDeviceStateResponse[0].GetDeviceTEEStateResponse.protected as string;
  assert.equal(JSON.parse(Buffer.from(protectedHeader, 'base64url').toString()).alg, expectAlg);

  const step = async <C extends Parameters<typeof buildCommandRequest>[1]>(command: C, p: Omit<Parameters<typeof buildCommandRequest<C>>[2], 'tee'>) => {
    const req = await buildCommandRequest(tam, command, { ...p, tee } as Parameters<typeof buildCommandRequest<C>>[2]);
    const res = await processOtrpRequest(agent, req.message);
    assert.equal(res.error, undefined, `${command}: ${res.error?.message}`);
    const r = await processCommandResponse(tam, command, res.response, req.pending, tee);
    assert.equal(r.status, 'pass');
    tee = r.tee;
    return r;
  };

  const spcert = Buffer.from(parties.spcert).toString('base64');
  const created = await step('CreateSD', { content: { spid: 'bank.com', sdname: 'sd.bank.com', spcert } });
  assert.ok(created.content?.teespaik);
  assert.equal(created.content?.teespaiktype, 'ECC');
  assert.deepEqual(tee.dsi.tee.sdlist.sd, [{ name: 'sd.bank.com', spid: 'bank.com', talist: [] }]);
  const updated = await step('UpdateSD', { content: { spid: 'bank.com', sdname: 'sd.bank.com', changes: { renewteespaik: true } } });
  assert.ok(updated.content?.teespaik && updated.content.teespaik !== created.content?.teespaik);
  const spaik = decodeBase64Lenient(updated.content!.teespaik!);
  await step('InstallTA', { content: { spid: 'bank.com', sdname: 'sd.bank.com', taid: 'ta-1' }, ta: { spaik, binary: enc('TA v1'), pdata: enc('perso v1') } });
  assert.deepEqual(tee.dsi.tee.sdlist.sd[0]!.talist, [{ taid: 'ta-1' }]);
  assert.deepEqual(Buffer.from(store.snapshot().sds[0]!.tas[0]!.binary).toString(), 'TA v1');
  await step('UpdateTA', { content: { spid: 'bank.com', sdname: 'sd.bank.com', taid: 'ta-1' }, ta: { spaik, binary: enc('TA v2') } });
  const ta = store.snapshot().sds[0]!.tas[0]!;
  assert.equal(Buffer.from(ta.binary).toString(), 'TA v2');
  assert.equal(Buffer.from(ta.pdata!).toString(), 'perso v1');
  await step('DeleteTA', { content: { sdname: 'sd.bank.com', taid: 'ta-1' } });
  assert.deepEqual(store.snapshot().sds[0]!.tas, []);
  await step('DeleteSD', { content: { sdname: 'sd.bank.com', deleteta: false } });
  assert.deepEqual(store.snapshot(), { sds: [], spaiks: [] });
  assert.deepEqual(tee.dsi.tee.sdlist.sd, []);
}

test('lifecycle with P-256 parties (ES256, ECDH-ES+A128KW, A128CBC-HS256)', async () => {
  const fixture = await makeFixturePki();
  await runLifecycle(await makeParties(fixture, 'P-256'), fixture, DEFAULT_JOSE_POLICY, 'ES256');
});

test('lifecycle with RSA parties on the draft mandatory set (RS256, RSA1_5, A128CBC-HS256)', async () => {
  const fixture = await makeFixturePki();
  const rsa = await generateJoseKeyPair('RSA'); // the one RSA key pair of this file
  const parties = await makeParties(fixture, rsa);
  await runLifecycle(parties, fixture, DRAFT_MANDATORY_POLICY, 'RS256');
  // The content JWE of a request really uses RSA1_5.
  const { tam } = setup(fixture, parties, DRAFT_MANDATORY_POLICY);
  const tee: TeeView = { name: 'Primary TEE', chain: parties.tee.chain as Uint8Array[], spki: parties.tee.key.spki, did: 'x', dsi: { tee: { name: 'Primary TEE', ver: '1', cert: '', cacert: [], sdlist: { cnt: '0', sd: [] }, teeaiklist: [] } }, dsihash: 'AA==' };
  const req = await buildCommandRequest(tam, 'DeleteTA', { tee, content: { sdname: 'a', taid: 'b' } });
  const payload = JSON.parse(Buffer.from(JSON.parse(req.message).DeleteTARequest.payload, 'base64url').toString());
  assert.equal(payload.DeleteTATBSRequest.content.recipients[0].header.alg, 'RSA1_5');
  assert.equal(JSON.parse(Buffer.from(payload.DeleteTATBSRequest.content.protected, 'base64url').toString()).enc, 'A128CBC-HS256');
});
