import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeFixturePki, makeParties, setup } from './test-support/parties.js';
import { createTfwSigner, verifyTfwData, type TfwPolicy } from './tfw.js';
import { processOtrpRequest } from './tee-agent.js';
import { buildGetDeviceStateRequest, processGetDeviceStateResponse } from './tam-session.js';
import { DEFAULT_JOSE_POLICY } from '../jose/algorithms.js';
import { encodeBase64 } from '../jose/base64.js';
import { encodeOtrpBrokerError } from './messages/broker-error.js';

const trustAll: TfwPolicy = { required: true, async trust() {} };

test('TFW evidence: the TEE signs the tid, the TAM verifies it; bad evidence is ERR_TFW_NOT_TRUSTED', async () => {
  const fixture = await makeFixturePki();
  const parties = await makeParties(fixture, 'P-256');
  const { agent, tam } = setup(fixture, parties, DEFAULT_JOSE_POLICY);
  const tfwCert = parties.tee.chain[0]!; // any certificate of the TFW key; here the TEE's own (test shortcut)
  const tee = { ...agent, tfw: createTfwSigner(parties.tee.key, tfwCert) };
  const gds = await buildGetDeviceStateRequest(tam);
  const [s] = await processGetDeviceStateResponse({ ...tam, tfwPolicy: trustAll }, (await processOtrpRequest(tee, gds.message)).response, gds.pending);
  assert.equal(s?.status, 'pass');
  assert.equal((s as { tfw: string }).tfw, 'verified');

  const signed = await createTfwSigner(parties.tee.key, tfwCert).sign(new TextEncoder().encode('tid-1'));
  const tfw = { tbs: encodeBase64(new TextEncoder().encode('tid-1')), cert: encodeBase64(signed.cert), sigalg: signed.sigalg, sig: encodeBase64(signed.sig) };
  assert.equal(await verifyTfwData(tfw, 'tid-1', trustAll), 'verified');
  assert.equal(await verifyTfwData({ ...tfw, sigalg: 'RVMyNTY=' }, 'tid-1', trustAll), 'verified'); // A19: BASE64 sigalg
  const notTrusted = { code: 'ERR_OTRP_TFW_NOT_TRUSTED' };
  await assert.rejects(verifyTfwData(tfw, 'tid-2', trustAll), notTrusted);
  await assert.rejects(verifyTfwData({ ...tfw, sig: encodeBase64(new Uint8Array(64)) }, 'tid-1', trustAll), notTrusted);
  await assert.rejects(verifyTfwData(undefined, 'tid-1', trustAll), notTrusted);
  assert.equal(await verifyTfwData(undefined, 'tid-1', { ...trustAll, required: false }), 'absent');
  await assert.rejects(verifyTfwData(tfw, 'tid-1', { required: true, trust: async () => Promise.reject(new Error('not ours')) }), notTrusted);
  await assert.rejects(verifyTfwData({ ...tfw, cert: 'AAAA' }, 'tid-1', trustAll), notTrusted);
});

test('an unsigned Broker error ends the exchange with its errcode', async () => {
  const fixture = await makeFixturePki();
  const parties = await makeParties(fixture, 'P-256');
  const { tam } = setup(fixture, parties, DEFAULT_JOSE_POLICY);
  const gds = await buildGetDeviceStateRequest(tam);
  await assert.rejects(processGetDeviceStateResponse(tam, encodeOtrpBrokerError('ERR_AGENT_TEE_BUSY'), gds.pending), { code: 'ERR_OTRP_PEER_FAILURE', wireCode: 'ERR_AGENT_TEE_BUSY' });
  const status = JSON.stringify({ status: { result: 'fail', 'error-code': 'ERR_AGENT_TEE_FAIL', 'error-message': 'TEE fails to respond' } });
  await assert.rejects(processGetDeviceStateResponse(tam, status, gds.pending), { code: 'ERR_OTRP_PEER_FAILURE', wireCode: 'ERR_AGENT_TEE_FAIL' });
});
