/**
 * `otrp suit` end to end through the built binary: create -> verify -> process, the failure paths
 * (wrong key, rollback, truncated input) with DIR unchanged, and the TEEP example with --fetch-root.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, readdirSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../test-support/run-cli.js';
import { vectorPath, readVectorHex } from '../../../core/src/test-support/vectors.js';

const SIGNER_PRIV = vectorPath('suit', 'keys', 'suit-example-signer-p256.priv.pem');
const SIGNER_PUB = vectorPath('suit', 'keys', 'suit-example-signer-p256.pub.pem');
const OTHER_PUB = vectorPath('suit', 'keys', 'fwenc-dependency-signer-p256.pub.pem');
const ESDH_PUB = vectorPath('suit', 'keys', 'esdh-receiver-p256.pub.jwk.json');
const ESDH_PRIV = vectorPath('suit', 'keys', 'esdh-receiver-p256.priv.cose_key.hex');
const VENDOR = 'fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe';
const CLASS = '1492af14-2569-5e48-bf42-9b2d51f2ab45';

function workdir(): string {
  return mkdtempSync(join(tmpdir(), 'otrp-suit-'));
}

function writeSpec(dir: string, sequenceNumber: number): string {
  const p = join(dir, `spec-${sequenceNumber}.json`);
  writeFileSync(p, JSON.stringify({
    sequenceNumber,
    manifestComponentId: ['app', 'suit'],
    description: 'example trusted application',
    components: [{ id: ['app', 'ta'], vendorId: VENDOR, classId: CLASS, integratedKey: '#tc' }],
  }));
  return p;
}

const SYSTEM = ['--vendor-id', VENDOR, '--class-id', CLASS];

test('otrp suit create -> verify -> process -> inspect; rollback and wrong key leave DIR unchanged', async () => {
  const w = workdir();
  const payload = join(w, 'app.ta');
  writeFileSync(payload, 'trusted application v2');
  const env2 = join(w, 'v2.suit');
  const c = await runCli(['suit', 'create', '--spec', writeSpec(w, 2), '--key', SIGNER_PRIV, '--payload', payload, '--out', env2]);
  assert.equal(c.code, 0, c.stderr);

  const v = await runCli(['suit', 'verify', env2, '--key', SIGNER_PUB]);
  assert.equal(v.code, 0, v.stderr);
  assert.equal(v.stdout, 'verified\n');
  const vj = await runCli(['suit', 'verify', env2, '--key', SIGNER_PUB, '--json']);
  assert.equal(JSON.parse(vj.stdout).sequenceNumber, 2);
  const bad = await runCli(['suit', 'verify', env2, '--key', OTHER_PUB]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /^error: ERR_SUIT_AUTHENTICATION_FAILED: /);

  const dir = join(w, 'tee');
  const report = join(w, 'report.cbor');
  const p = await runCli(['suit', 'process', env2, '--key', SIGNER_PUB, '--dir', dir, '--report', report, ...SYSTEM]);
  assert.equal(p.code, 0, p.stderr);
  assert.equal(readFileSync(join(dir, 'app.ta'), 'utf8'), 'trusted application v2');
  assert.deepEqual(JSON.parse(readFileSync(join(dir, '.suit-sequence-numbers.json'), 'utf8')), { 'app.suit': '2' });
  assert.ok(readFileSync(report).length > 10);

  const i = await runCli(['suit', 'inspect', env2]);
  assert.equal(i.code, 0, i.stderr);
  assert.match(i.stdout, /sequence number 2/);
  assert.match(i.stdout, /COSE_Sign1 ESP256 \(-9\)/);
  assert.match(i.stdout, /\['app', 'ta'\]/);

  // a lower sequence number is refused and the installed file stays
  writeFileSync(payload, 'trusted application v1');
  const env1 = join(w, 'v1.suit');
  assert.equal((await runCli(['suit', 'create', '--spec', writeSpec(w, 1), '--key', SIGNER_PRIV, '--payload', payload, '--out', env1])).code, 0);
  const before = readdirSync(dir).sort();
  const r = await runCli(['suit', 'process', env1, '--key', SIGNER_PUB, '--dir', dir, ...SYSTEM]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^error: ERR_SUIT_ROLLBACK: /);
  assert.equal(readFileSync(join(dir, 'app.ta'), 'utf8'), 'trusted application v2');
  assert.deepEqual(readdirSync(dir).sort(), before);

  // wrong vendor: condition fails, nothing written
  const fresh = join(w, 'fresh');
  const wrong = await runCli(['suit', 'process', env2, '--key', SIGNER_PUB, '--dir', fresh, '--vendor-id', CLASS, '--class-id', CLASS]);
  assert.match(wrong.stderr, /^error: ERR_SUIT_VENDOR_MISMATCH: /);
  assert.deepEqual(readdirSync(fresh), []);

  // truncated input
  const trunc = join(w, 'trunc.suit');
  writeFileSync(trunc, readFileSync(env2).subarray(0, 40));
  const t = await runCli(['suit', 'process', trunc, '--key', SIGNER_PUB, '--dir', fresh, ...SYSTEM]);
  assert.match(t.stderr, /^error: ERR_SUIT_MALFORMED: /);
  assert.deepEqual(readdirSync(fresh), []);
});

test('otrp suit create --encrypt-to (ECDH-ES+A128KW) -> process --decrypt-key', async () => {
  const w = workdir();
  const payload = join(w, 'config.json');
  writeFileSync(payload, '{"secret":"0123456789"}');
  const env = join(w, 'enc.suit');
  const c = await runCli(['suit', 'create', '--spec', writeSpec(w, 1), '--key', SIGNER_PRIV, '--payload', payload, '--encrypt-to', ESDH_PUB, '--out', env]);
  assert.equal(c.code, 0, c.stderr);
  assert.ok(!readFileSync(env).includes(Buffer.from('0123456789')));
  const dir = join(w, 'tee');
  const no = await runCli(['suit', 'process', env, '--key', SIGNER_PUB, '--dir', dir, ...SYSTEM]);
  assert.match(no.stderr, /^error: ERR_SUIT_DECRYPTION_FAILED: /);
  assert.ok(!existsSync(join(dir, 'app.ta')));
  const ok = await runCli(['suit', 'process', env, '--key', SIGNER_PUB, '--dir', dir, '--decrypt-key', ESDH_PRIV, ...SYSTEM]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(readFileSync(join(dir, 'app.ta'), 'utf8'), '{"secret":"0123456789"}');
});

test('otrp suit process: TEEP suit_uri with --fetch-root (hex input)', async () => {
  const w = workdir();
  const root = join(w, 'www');
  mkdirSync(join(root, 'example.org'), { recursive: true });
  writeFileSync(join(root, 'example.org', '8d82573a-926d-4754-9353-32dc29997f74.ta'), readVectorHex('teep', 'tc_binary_8d82573a-926d-4754-9353-32dc29997f74.ta.hex'));
  const dir = join(w, 'tee');
  const args = ['suit', 'process', vectorPath('teep', 'suit_uri.hex'), '--hex', '--key', SIGNER_PUB, '--dir', dir,
    '--vendor-id', 'c0ddd5f1-5243-5660-87db-4f5b0aa26c2f', '--class-id', 'db42f709-3d8c-55ba-a8c5-265fc5820f4e'];
  const none = await runCli(args);
  assert.match(none.stderr, /^error: ERR_SUIT_FETCH_FAILED: /);
  const r = await runCli([...args, '--fetch-root', root]);
  assert.equal(r.code, 0, r.stderr);
  const name = '~544545502d446576696365.~5365637572654653.~8d82573a926d4754935332dc29997f74.ta';
  assert.equal(readFileSync(join(dir, name), 'utf8'), 'Hello, Secure World!');
});
