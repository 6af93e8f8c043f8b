/**
 * `otrp tam serve` (BUILT output, `npm run build` first) in the Background-Check model, where the
 * Agent's Error must be matched to its session: the QueryRequest carries a token as well as the
 * challenge, and the Error echoes the token (docs/teep-decisions.md §1). The device first answers
 * as an Agent that verifies only COSE_Sign1 (another implementation, -26 §8.1 lets an Agent support
 * one suite): Error 5 to the multi-signature first QueryRequest, signed with its real key and
 * x5chain. The TAM retries with a COSE_Sign1 in the common suite, which core's Agent answers; the
 * session completes over real loopback HTTP.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeTeepMessage, DRAFT_26, encodeTeepMessage, openTeepMessage, publicCoseKey, signTeepPayload, TEEP_CIPHER_SUITE } from '@otrp/core';
import type { QueryRequest, TeepErrorMessage } from '@otrp/core';
import { answer, installed, makeAgent, messageType, post, runSession } from './support/agent.js';
import { makeDevice, makePki, makeTc } from './support/fixtures.js';
import { adminCall, startTam, uploadTc } from './support/server.js';

const COSE_SIGN1_TAG = 0xd2;
const COSE_SIGN_TAG = [0xd8, 98];

test('Background-Check: the Agent answers Error 5 first, the TAM matches it by the echoed token, retries, and the session completes', { timeout: 120_000 }, async () => {
  const root = await mkdtemp(join(tmpdir(), 'otrp-tam-bc-'));
  const pkiDir = join(root, 'pki');
  const pki = await makePki(pkiDir);
  const device = await makeDevice(pki.deviceCa, 'dev-bc', pkiDir);
  const tam = await startTam({ pkiDir, dataDir: join(root, 'data') });
  try {
    const up = await uploadTc(tam.url, tam.token, await makeTc(pki.signer, 'SecureFS', 1));
    assert.equal(up.status, 201);
    assert.equal((await adminCall(tam.url, tam.token, 'POST', '/policies', { tcId: up.json.id, action: 'required', scope: { kind: 'all' } })).status, 201);
    const agent = makeAgent(device, pki, `${tam.url}/tam`);

    const connect = await post(tam.url, new Uint8Array());
    assert.equal(connect.status, 200);
    assert.deepEqual([...connect.body.subarray(0, 2)], COSE_SIGN_TAG, 'the first QueryRequest is a COSE_Sign');
    const first = decodeTeepMessage(openTeepMessage(connect.body).payload) as QueryRequest;
    assert.ok(first.challenge && first.token, 'a Background-Check QueryRequest carries a challenge and a token');

    // Error 5, echoing the token (-26 §4.6), signed with a suite mandatory for the TAM (-26 §8.1).
    const error: TeepErrorMessage = {
      type: 'error',
      token: first.token,
      errCode: DRAFT_26.errorCodes.ERR_UNSUPPORTED_CIPHER_SUITES,
      supportedTeepCipherSuites: [TEEP_CIPHER_SUITE.sign1Esp256],
    };
    const errorBytes = await signTeepPayload(encodeTeepMessage(error), { keys: [device.teep.key], chains: [device.teep.chain] }, [TEEP_CIPHER_SUITE.sign1Esp256]);
    const retry = await post(tam.url, errorBytes);
    assert.equal(retry.status, 200, 'the Error is matched to its session and answered with a retry');
    assert.equal(retry.body[0], COSE_SIGN1_TAG, 'the retry is a COSE_Sign1 with the common suite');
    const second = decodeTeepMessage(openTeepMessage(retry.body).payload) as QueryRequest;
    assert.equal(second.type, 'query-request');
    assert.deepEqual(second.supportedTeepCipherSuites, [TEEP_CIPHER_SUITE.sign1Esp256]);
    assert.ok(second.challenge && second.token);

    // From here core's Agent: QueryResponse (token echoed, Evidence on the challenge), Update, Success.
    const qrsp = await answer(agent, retry.body);
    assert.equal(qrsp?.type, 'query-response');
    const update = await post(tam.url, qrsp.bytes);
    assert.equal(update.status, 200);
    assert.equal(messageType(update.body), 'update');
    const success = await answer(agent, update.body);
    assert.equal(success?.type, 'success');
    assert.equal((await post(tam.url, success.bytes)).status, 204);
    assert.deepEqual(await installed(agent), ['SecureFS']);

    // The Error's token was used: a replay of it is dropped (204).
    assert.equal((await post(tam.url, errorBytes)).status, 204);
    const devices = (await adminCall(tam.url, tam.token, 'GET', '/devices?limit=1000')).json.items as any[];
    const d = devices.find((x) => String(x.subject).endsWith('=dev-bc teep'));
    assert.deepEqual(d.inventory.map((i: any) => [i.tcId, i.state]), [[up.json.id, 'installed']]);
    const audit = (await adminCall(tam.url, tam.token, 'GET', '/audit?limit=1000')).json.entries as any[];
    const teep = audit.filter((e) => String(e.action).startsWith('teep.')).map((e) => [e.action, e.decision, e.code]).reverse();
    assert.deepEqual(teep, [
      ['teep.error', 'deny', 'ERR_UNSUPPORTED_CIPHER_SUITES'],
      ['teep.query-response', 'allow', null],
      ['teep.success', 'allow', null],
      ['teep.drop', 'deny', 'ERR_TEEP_REPLAYED'],
    ]);
    assert.doesNotMatch(tam.stderr(), /no TAM attestation key/, 'this PKI has tam/attestation/');
  } finally {
    await tam.stop();
    await rm(root, { recursive: true, force: true });
  }
});

test('a PKI without tam/attestation/: the TAM warns at start, and answers an Agent that requires TAM attestation by backing off (204), nothing installed', { timeout: 120_000 }, async () => {
  const root = await mkdtemp(join(tmpdir(), 'otrp-tam-noatt-'));
  const pkiDir = join(root, 'pki');
  const pki = await makePki(pkiDir);
  await rm(join(pkiDir, 'tam', 'attestation'), { recursive: true });
  const device = await makeDevice(pki.deviceCa, 'dev-noatt', pkiDir);
  const tam = await startTam({ pkiDir, dataDir: join(root, 'data') });
  try {
    assert.match(tam.stderr(), /the PKI has no TAM attestation key \(tam\/attestation\/\)/);
    const up = await uploadTc(tam.url, tam.token, await makeTc(pki.signer, 'SecureFS', 1));
    assert.equal((await adminCall(tam.url, tam.token, 'POST', '/policies', { tcId: up.json.id, action: 'required', scope: { kind: 'all' } })).status, 201);
    const agent = makeAgent(device, pki, `${tam.url}/tam`);
    // The Agent's Verifier key is never consulted here: the TAM has nothing to attest with.
    const strict = { ...agent, config: { ...agent.config, requireTamAttestation: { verifierKeys: [publicCoseKey(device.attestation.key)] } } };
    const trace = await runSession(tam.url, strict);
    // -26 §4.6: the TAM cannot send "another QueryRequest with an attestation-payload", so it stops.
    assert.deepEqual(trace.types, ['query-request', 'error']);
    assert.deepEqual(trace.statuses, [200, 204]);
    assert.deepEqual(await installed(strict), []);
    assert.ok(strict.state.tamChallenge, 'the Agent still waits for an answer to its challenge');
  } finally {
    await tam.stop();
    await rm(root, { recursive: true, force: true });
  }
});
