import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCommandRequest, buildGetDeviceStateRequest, processGetDeviceStateResponse, processOtrpRequest, encodePem, DEFAULT_JOSE_POLICY, type TeeView } from '@otrp/core';
import { vectorPath } from '../../../core/src/test-support/vectors.js';
import { makeFixturePki, makeParties, setup } from '../../../core/src/otrp/test-support/parties.js';
import { runCli } from '../test-support/run-cli.js';

const CERT = vectorPath('otrp', 'draft-test-cert.pem');
const SAMPLES = [
  ['a121-create-sd-request.json', 'CreateSDRequest'],
  ['a122-create-sd-response.json', 'CreateSDResponse'],
  ['a221-update-ta-request.json', 'UpdateTARequest'],
  ['a222-update-ta-response.json', 'UpdateTAResponse'],
  ['a231-delete-ta-request.json', 'DeleteTARequest'],
] as const;

test('otrp otrp decode --cert verifies the five signed samples of the draft', async () => {
  for (const [file, name] of SAMPLES) {
    const r = await runCli(['otrp', 'decode', '--cert', CERT, vectorPath('otrp', file)]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.message, name);
    assert.match(out.signature, /^verified \(draft-sample compatibility path/);
    assert.equal(out.alg, 'RS256');
  }
});

test('otrp otrp decode: unchecked without --cert; a damaged sample fails with the error line', async () => {
  const r = await runCli(['otrp', 'decode', vectorPath('otrp', 'a121-create-sd-request.json')]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).signature, 'not checked');
  assert.equal(JSON.parse(r.stdout).tbs.tee, 'SecuriTEE');
  const dir = mkdtempSync(join(tmpdir(), 'otrp-decode-'));
  const msg = JSON.parse(readFileSync(vectorPath('otrp', 'a222-update-ta-response.json'), 'utf8'));
  msg.UpdateTAResponse.signature = msg.UpdateTAResponse.signature.replace(/^./, (c: string) => (c === 'A' ? 'B' : 'A'));
  writeFileSync(join(dir, 'bad.json'), JSON.stringify(msg));
  const bad = await runCli(['otrp', 'decode', '--cert', CERT, join(dir, 'bad.json')]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /^error: ERR_JWS_SIGNATURE_INVALID: /);
  const junk = await runCli(['otrp', 'decode', '-'], { input: '{"nope": 1}' });
  assert.equal(junk.code, 1);
  assert.match(junk.stderr, /^error: ERR_OTRP_REQUEST_INVALID: /);
});

test('otrp otrp decode --cert --decrypt-key verifies and decrypts a generated CreateSDRequest', async () => {
  const fixture = await makeFixturePki();
  const parties = await makeParties(fixture, 'P-256');
  const { agent, tam } = setup(fixture, parties, DEFAULT_JOSE_POLICY);
  const gds = await buildGetDeviceStateRequest(tam);
  const [s] = await processGetDeviceStateResponse(tam, (await processOtrpRequest(agent, gds.message)).response, gds.pending);
  const tee = (s as { tee: TeeView }).tee;
  const req = await buildCommandRequest(tam, 'CreateSD', { tee, content: { spid: 'bank.com', sdname: 'sd.bank.com', spcert: Buffer.from(parties.spcert).toString('base64') } });
  const dir = mkdtempSync(join(tmpdir(), 'otrp-decode-'));
  writeFileSync(join(dir, 'req.json'), req.message);
  writeFileSync(join(dir, 'tam.pem'), encodePem(parties.tam.chain[0]!, 'CERTIFICATE'));
  writeFileSync(join(dir, 'tee-key.pem'), encodePem(parties.tee.key.pkcs8, 'PRIVATE KEY'));
  writeFileSync(join(dir, 'tam-key.pem'), encodePem(parties.tam.key.pkcs8, 'PRIVATE KEY'));
  const r = await runCli(['otrp', 'decode', '--cert', join(dir, 'tam.pem'), '--decrypt-key', join(dir, 'tee-key.pem'), join(dir, 'req.json')]);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.signature, 'verified');
  assert.equal(out.alg, 'ES256');
  assert.equal(out.tbs.content.decrypted.spid, 'bank.com');
  assert.equal(out.tbs.content.decrypted.tamid, 'https://tam.example/tam');
  const wrong = await runCli(['otrp', 'decode', '--decrypt-key', join(dir, 'tam-key.pem'), join(dir, 'req.json')]);
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /^error: ERR_JWE_DECRYPTION_FAILED: decryption failed/);
});
