import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSign1, encodeCbor, publicCoseKey, webCryptoProvider, coseKeyToJwk } from '@otrp/core';
import { readVectorHex, vectorPath } from '../../../core/src/test-support/vectors.js';
import { runCli } from '../test-support/run-cli.js';

test('otrp teep decode --hex prints every field of a bare QueryRequest', async () => {
  const r = await runCli(['teep', 'decode', '--hex', vectorPath('teep', 'query_request.hex')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^wrapper: none/m);
  assert.match(r.stdout, /^message: query-request \(type 1, profile draft-26\)$/m);
  assert.match(r.stdout, /^ {2}token: h'a0a1a2a3a4a5a6a7a8a9aaabacadaeaf'$/im);
  assert.match(r.stdout, /^ {2}supported-teep-cipher-suites: \[\[\[18, -9\]\], \[\[18, -19\]\]\]$/m);
  assert.match(r.stdout, /^ {2}data-item-requested: 3 \(attestation, trusted-components\)$/m);
});

test('decode: pre-26 profile; a CDDL violation exits 1 with the error line; nested failures are shown, not fatal', async () => {
  const pre = await runCli(['teep', 'decode', '--hex', '--profile', 'pre-26', vectorPath('teep', 'pre-26-numbering', 'error.hex')]);
  assert.equal(pre.code, 0, pre.stderr);
  assert.match(pre.stdout, /err-code: 17 \(ERR_MANIFEST_PROCESSING_FAILED\)/);

  const bad = await runCli(['teep', 'decode', '-'], { input: encodeCbor([1, new Map(), [[[18, -9]]], [[-16, -9, -29, -65534]], 2]) });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /^error: ERR_TEEP_TOKEN_REQUIRED: .+\n$/);

  // D.3 QueryResponse: its attestation-payload is empty, which is not an EAT: reported in place
  const qr = await runCli(['teep', 'decode', '--hex', vectorPath('teep', 'query_response.hex')]);
  assert.equal(qr.code, 0, qr.stderr);
  assert.match(qr.stdout, /attestation-payload: 0 bytes\n {4}not decoded: ERR_EAT_MALFORMED/);
});

test('otrp teep verify checks the COSE_Sign1 with the key, then prints; a wrong key fails', async () => {
  const key = await webCryptoProvider.generateKeyPair('P-256');
  const other = await webCryptoProvider.generateKeyPair('P-256');
  const dir = mkdtempSync(join(tmpdir(), 'otrp-teep-'));
  const msg = join(dir, 'msg.cbor');
  writeFileSync(msg, await createSign1({ payload: readVectorHex('teep', 'update.hex'), key, alg: -9 }));
  writeFileSync(join(dir, 'good.jwk'), JSON.stringify(coseKeyToJwk(publicCoseKey(key))));
  writeFileSync(join(dir, 'bad.jwk'), JSON.stringify(coseKeyToJwk(publicCoseKey(other))));

  const ok = await runCli(['teep', 'verify', msg, '--key', join(dir, 'good.jwk')]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /^wrapper: COSE_Sign1 \(tagged\), signature VERIFIED$/m);
  assert.match(ok.stdout, /^message: update/m);
  assert.match(ok.stdout, /manifest-list\[0\]: \d+ bytes/);

  const bad = await runCli(['teep', 'verify', msg, '--key', join(dir, 'bad.jwk')]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /^error: ERR_COSE_SIGNATURE_INVALID: /);

  const dec = await runCli(['teep', 'decode', msg]);
  assert.match(dec.stdout, /signature not verified/);
  assert.match(dec.stdout, /body protected: \{alg: -9/);
});
