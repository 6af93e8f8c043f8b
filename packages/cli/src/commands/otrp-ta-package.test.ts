// `otrp otrp ta-package` from the built CLI, and how `otrp tam tc add` tells a TA package from a SUIT
// envelope. The upload itself runs against a real TAM in tests/otrp/otrp-device-e2e.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPki, decodePem } from '@otrp/core';
import { decodeOtrpTaPackage } from '@otrp/tam';
import { runCli } from '../test-support/run-cli.js';
import { uploadFormat } from './tam-tc.js';

async function workDir(): Promise<{ dir: string; certPem: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'otrp-ta-package-'));
  const { files } = await createPki({ alg: 'ESP256', tamUri: 'https://tam.example/tam' });
  const chainPem = files.find((f) => f.path === 'signer/chain.pem')!.contents;
  await writeFile(join(dir, 'chain.pem'), chainPem);
  await writeFile(join(dir, 'ta.bin'), 'TA binary v3\n');
  await writeFile(join(dir, 'perso.bin'), new Uint8Array([0, 1, 2, 255]));
  return { dir, certPem: chainPem };
}

const args = (dir: string, extra: string[] = []) => [
  'otrp', 'ta-package', '--spid', 'bank.example', '--sdname', 'sd.bank.example', '--taid', 'wallet', '--taname', 'Wallet',
  '--ta-version', '3', '--binary', join(dir, 'ta.bin'), '--pdata', join(dir, 'perso.bin'), '--spcert', join(dir, 'chain.pem'), ...extra,
];

test('otrp otrp ta-package writes a package the TAM decodes: ids, version, the first certificate of the chain, binary, pdata', async () => {
  const { dir, certPem } = await workDir();
  try {
    const out = join(dir, 'wallet.json');
    const r = await runCli(args(dir, ['--out', out]));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^wrote .*wallet\.json: TA wallet version 3 for SP bank\.example, SD sd\.bank\.example \(13 bytes; SP certificate CN=otrp TC Signer\)\n$/);
    const pkg = decodeOtrpTaPackage(new Uint8Array(await readFile(out)));
    assert.deepEqual(
      { ...pkg, spcert: Buffer.from(pkg.spcert).toString('hex'), binary: Buffer.from(pkg.binary).toString(), pdata: [...pkg.pdata!] },
      {
        spid: 'bank.example', sdname: 'sd.bank.example', taid: 'wallet', taname: 'Wallet', version: 3,
        spcert: Buffer.from(decodePem(certPem, 'CERTIFICATE')[0]!).toString('hex'), binary: 'TA binary v3\n', pdata: [0, 1, 2, 255],
      },
    );
    // --out -: the package alone on standard output.
    const std = await runCli(args(dir, ['--out', '-']));
    assert.equal(std.code, 0, std.stderr);
    assert.deepEqual(std.stdoutBytes, new Uint8Array(await readFile(out)));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('otrp otrp ta-package refuses bad versions, a non-certificate, a missing file and ids the TAM would refuse; nothing written', async () => {
  const { dir } = await workDir();
  try {
    const out = join(dir, 'x.json');
    const cases: [string[], RegExp][] = [
      [['--ta-version', '0'], /^error: ERR_USAGE: --ta-version must be an integer/],
      [['--ta-version', '1.5'], /^error: ERR_USAGE: --ta-version must be an integer/],
      [['--ta-version', '9007199254740992'], /^error: ERR_USAGE: --ta-version must be an integer/],
      [['--spcert', join(dir, 'ta.bin')], /^error: ERR_CERTIFICATE_MALFORMED: /],
      [['--binary', join(dir, 'missing.bin')], /^error: ERR_FILE_READ: /],
      [['--taid', 'wal\nlet'], /^error: ERR_TAM_OTRP_TA_PACKAGE: /],
      [['--sdname', 's'.repeat(257)], /^error: ERR_TAM_OTRP_TA_PACKAGE: /],
    ];
    for (const [extra, error] of cases) {
      const r = await runCli([...args(dir), ...extra, '--out', out]);
      assert.equal(r.code, 1, extra.join(' '));
      assert.match(r.stderr, error);
      assert.equal(existsSync(out), false);
    }
    const missing = await runCli(['otrp', 'ta-package', '--spid', 'a', '--out', out]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^error: ERR_USAGE: required option/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('tam tc add: a JSON object is a TA package, anything else a SUIT envelope; --format decides when given', () => {
  const te = (s: string) => new TextEncoder().encode(s);
  assert.equal(uploadFormat(te('{"spid":"a"}'), undefined), 'otrp-ta');
  assert.equal(uploadFormat(te(' \n\t{}'), undefined), 'otrp-ta');
  assert.equal(uploadFormat(new Uint8Array([0xd8, 0x6b, 0xa2]), undefined), 'suit');
  assert.equal(uploadFormat(new Uint8Array([]), undefined), 'suit');
  assert.equal(uploadFormat(te('{}'), 'suit'), 'suit');
  assert.equal(uploadFormat(new Uint8Array([0xa2]), 'otrp-ta'), 'otrp-ta');
  assert.throws(() => uploadFormat(te('{}'), 'jar'), { code: 'ERR_USAGE' });
});
