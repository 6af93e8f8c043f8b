import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createOcspResponse } from './ocsp-response.js';
import { createOcspVerifier } from './ocsp.js';
import { makeFixturePki, makeParties, setup, type Parties } from './test-support/parties.js';
import { createPkiTamTrust } from './trust.js';
import { processOtrpRequest } from './tee-agent.js';
import { buildCommandRequest, buildGetDeviceStateRequest, processGetDeviceStateResponse, type TeeView } from './tam-session.js';
import { DEFAULT_JOSE_POLICY } from '../jose/algorithms.js';
import type { Fixture } from '../pki/test-support/fixture.js';

let fixture: Fixture;
let parties: Parties;
let path: Uint8Array[];
test.before(async () => {
  fixture = await makeFixturePki();
  parties = await makeParties(fixture, 'P-256');
  path = [parties.tam.chain[0]!, fixture.branches['tam-ca'].certificate, fixture.root.certificate];
});

async function staple(status: Parameters<typeof createOcspResponse>[0]['status'] = { status: 'good' }, extra: Partial<Parameters<typeof createOcspResponse>[0]> = {}) {
  return [
    await createOcspResponse({ certificate: path[0]!, issuer: fixture.branches['tam-ca'], status, ...extra }),
    await createOcspResponse({ certificate: path[1]!, issuer: fixture.root }),
  ];
}

const notTrusted = { code: 'ERR_OTRP_TAM_NOT_TRUSTED' };

test('good stapled responses for the TAM certificate and its CA verify', async () => {
  await createOcspVerifier().verify(path, await staple(), new Date());
});

test('revoked, unknown, missing, stale, wrongly signed or garbage OCSP data is refused', async () => {
  const v = createOcspVerifier();
  await assert.rejects(v.verify(path, await staple({ status: 'revoked', revokedAt: new Date(Date.now() - 1000) }), new Date()), notTrusted);
  await assert.rejects(v.verify(path, await staple({ status: 'unknown' }), new Date()), notTrusted);
  await assert.rejects(v.verify(path, (await staple()).slice(0, 1), new Date()), notTrusted);
  const old = new Date(Date.now() - 3 * 86400_000);
  await assert.rejects(v.verify(path, await staple({ status: 'good' }, { thisUpdate: old, nextUpdate: new Date(old.getTime() + 86400_000) }), new Date()), notTrusted);
  const forged = await createOcspResponse({ certificate: path[0]!, issuer: { certificate: fixture.branches['tam-ca'].certificate, privateKey: fixture.root.privateKey } });
  await assert.rejects(v.verify(path, [forged, (await staple())[1]!], new Date()), notTrusted);
  await assert.rejects(v.verify(path, [new Uint8Array([0x30, 0x03, 0x0a, 0x01, 0x00])], new Date()), notTrusted);
  await assert.rejects(v.verify(path, [new Uint8Array([1, 2, 3])], new Date()), notTrusted);
});

test('the TEE checks the stapled ocspdat of GetDeviceState and caches the result for later requests', async () => {
  const base = setup(fixture, parties, DEFAULT_JOSE_POLICY);
  const tamTrust = createPkiTamTrust({ anchors: [{ certificate: fixture.root.certificate }], ocsp: createOcspVerifier() });
  const agent = { ...base.agent, tamTrust };
  const tam = { ...base.tam, identity: { ...parties.tam, chain: [parties.tam.chain[0]!, fixture.branches['tam-ca'].certificate] } };
  // No OCSP data: refused.
  const bare = await buildGetDeviceStateRequest(tam);
  assert.equal((await processOtrpRequest(agent, bare.message)).error?.wireCode, 'ERR_TAM_NOT_TRUSTED');
  // Revoked: refused, and nothing is cached.
  const revoked = await buildGetDeviceStateRequest(tam, { ocspdat: await staple({ status: 'revoked', revokedAt: new Date() }) });
  assert.equal((await processOtrpRequest(agent, revoked.message)).error?.wireCode, 'ERR_TAM_NOT_TRUSTED');
  // Good: accepted, and the next request (no ocspdat) relies on the cached status.
  const gds = await buildGetDeviceStateRequest(tam, { ocspdat: await staple() });
  const res = await processOtrpRequest(agent, gds.message);
  assert.equal(res.error, undefined);
  const [s] = await processGetDeviceStateResponse(tam, res.response, gds.pending);
  const tee = (s as { tee: TeeView }).tee;
  const create = await buildCommandRequest(tam, 'CreateSD', { tee, content: { spid: 'sp', sdname: 'sd', spcert: Buffer.from(parties.spcert).toString('base64') } });
  assert.equal((await processOtrpRequest(agent, create.message)).error, undefined);
});
