import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCsr, decodeCaState, decodeCertificateChainPem, encodePem, generateKeyPair, readCrl, validateChain } from '@otrp/core';
import { runCli } from '../test-support/run-cli.js';

async function modeOf(path: string): Promise<number> {
  return (await stat(path)).mode & 0o777;
}

async function keyFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { recursive: true })) if (String(entry).endsWith('key.pem')) out.push(join(dir, String(entry)));
  return out;
}

test('otrp pki: init, issue from a CSR, verify, revoke, crl', async (t) => {
  const work = await mkdtemp(join(tmpdir(), 'otrp-pki-'));
  t.after(() => rm(work, { recursive: true, force: true }));
  const dir = join(work, 'pki');

  const init = await runCli(['pki', 'init', dir, '--tam-uri', 'https://tam.test/tam']);
  assert.equal(init.code, 0, init.stderr);
  const keys = await keyFiles(dir);
  assert.equal(keys.length, 4 + 3 + 1 + 2, keys.join(' ')); // 4 CAs, 3 TAM keys, the TAM attestation key, signer, verifier
  for (const k of keys) assert.equal(await modeOf(k), 0o600, k);
  assert.equal(await modeOf(join(dir, 'tam-ca', 'cert.pem')), 0o644);

  const again = await runCli(['pki', 'init', dir]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /^error: ERR_PKI_DIR_NOT_EMPTY: /);

  // A device key born elsewhere (its TEE) is enrolled by CSR; no key file is written for it.
  const deviceKeys = await generateKeyPair('ESP256');
  const csrPath = join(work, 'dev1.csr');
  await writeFile(csrPath, encodePem(await createCsr({ keys: deviceKeys, name: 'dev1', sanUris: ['urn:uuid:0e9a6cf0-3b4d-4a8e-9d7e-2f1c3a5b7d90'] }), 'CERTIFICATE REQUEST'));
  const out = join(dir, 'devices', 'dev1');
  const issue = await runCli(['pki', 'issue', '--ca', join(dir, 'device-ca'), '--role', 'device', '--csr', csrPath, '--days', '30', '--out', out]);
  assert.equal(issue.code, 0, issue.stderr);
  assert.deepEqual((await readdir(out)).sort(), ['cert.pem', 'chain.pem']);
  const chain = decodeCertificateChainPem(await readFile(join(out, 'chain.pem'), 'utf8'));
  const anchors = [{ certificate: await readFile(join(dir, 'device-ca', 'cert.pem'), 'utf8') }];
  const v = await validateChain({ chain, anchors, role: 'device' });
  assert.equal(v.leaf.subject, 'CN=dev1');
  assert.deepEqual(v.leaf.sanUris, ['urn:uuid:0e9a6cf0-3b4d-4a8e-9d7e-2f1c3a5b7d90']);
  assert.deepEqual(v.spki, new Uint8Array(await crypto.subtle.exportKey('spki', deviceKeys.publicKey)));
  assert.equal(decodeCaState(await readFile(join(dir, 'device-ca', 'ca.json'), 'utf8')).issued.at(-1)?.serialNumber, v.leaf.serialNumber);

  const ok = await runCli(['pki', 'verify', join(out, 'chain.pem'), '--role', 'device', '--pki', dir]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /^ok: device CN=dev1 /);
  const asSigner = await runCli(['pki', 'verify', join(out, 'chain.pem'), '--role', 'signer', '--pki', dir]);
  assert.match(asSigner.stderr, /^error: ERR_CERTIFICATE_ROLE: /);

  // A CA folder of pki init only issues roles of its own branch.
  const wrong = await runCli(['pki', 'issue', '--ca', join(dir, 'device-ca'), '--role', 'signer', '--name', 'x', '--out', join(work, 'x')]);
  assert.match(wrong.stderr, /^error: ERR_PKI_WRONG_BRANCH: /);

  const revoke = await runCli(['pki', 'revoke', '--ca', join(dir, 'device-ca'), join(out, 'cert.pem'), '--reason', 'keyCompromise']);
  assert.equal(revoke.code, 0, revoke.stderr);
  const crl = readCrl(await readFile(join(dir, 'device-ca', 'crl.pem'), 'utf8'));
  assert.deepEqual(crl.entries.map((e) => [e.serialNumber.toLowerCase(), e.reason]), [[v.leaf.serialNumber, 1]]);
  const revoked = await runCli(['pki', 'verify', join(out, 'chain.pem'), '--role', 'device', '--pki', dir]);
  assert.match(revoked.stderr, /^error: ERR_CERTIFICATE_REVOKED: /);

  // A certificate of another CA is not this CA's to revoke.
  const notMine = await runCli(['pki', 'revoke', '--ca', join(dir, 'signer-ca'), join(out, 'cert.pem')]);
  assert.match(notMine.stderr, /^error: ERR_PKI_NOT_ISSUER: /);

  const before = decodeCaState(await readFile(join(dir, 'device-ca', 'ca.json'), 'utf8')).nextCrlNumber;
  const refresh = await runCli(['pki', 'crl', '--ca', join(dir, 'device-ca'), '--days', '2']);
  assert.equal(refresh.code, 0, refresh.stderr);
  assert.equal(decodeCaState(await readFile(join(dir, 'device-ca', 'ca.json'), 'utf8')).nextCrlNumber, before + 1);
  const fresh = readCrl(await readFile(join(dir, 'device-ca', 'crl.pem'), 'utf8'));
  assert.equal(fresh.entries.length, 1);
  assert.ok(fresh.nextUpdate!.getTime() - fresh.thisUpdate.getTime() <= 2 * 86_400_000 + 1000);

  // --name generates the key here: key.pem is 0600; an expired certificate fails verification with code 9's error.
  const tamOut = join(work, 'tam2');
  const tam = await runCli(['pki', 'issue', '--ca', join(dir, 'tam-ca'), '--role', 'tam', '--name', 'tam2', '--uri', 'https://tam2.test/tam',
    '--not-before', '2020-01-01T00:00:00Z', '--not-after', '2021-01-01T00:00:00Z', '--out', tamOut]);
  assert.equal(tam.code, 0, tam.stderr);
  assert.equal(await modeOf(join(tamOut, 'key.pem')), 0o600);
  const expired = await runCli(['pki', 'verify', join(tamOut, 'chain.pem'), '--role', 'tam', '--pki', dir]);
  assert.match(expired.stderr, /^error: ERR_CERTIFICATE_EXPIRED: /);
});
