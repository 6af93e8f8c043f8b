/** `otrp tam` argument handling and startup failures (the server itself: tests/tam/ at the repo root). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../test-support/run-cli.js';

test('tam serve fails at startup with one error line: no PKI, bad config, bad listen address', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'otrp-tam-cli-'));
  try {
    const noPki = await runCli(['tam', 'serve', '--pki', join(dir, 'missing'), '--data', join(dir, 'data'), '--listen', '127.0.0.1:0']);
    assert.equal(noPki.code, 1);
    assert.match(noPki.stderr, /^error: ERR_TAM_PKI: /m);
    assert.equal(noPki.stdout, '');
    await writeFile(join(dir, 'tam.json'), JSON.stringify({ listen: '127.0.0.1:0', colour: 'blue' }));
    const badConfig = await runCli(['tam', 'serve', '--config', join(dir, 'tam.json')]);
    assert.equal(badConfig.code, 1);
    assert.match(badConfig.stderr, /^error: ERR_TAM_CONFIG: unknown configuration key colour/m);
    const badListen = await runCli(['tam', 'serve', '--listen', 'localhost']);
    assert.match(badListen.stderr, /^error: ERR_TAM_CONFIG: /m);
    const tls = await runCli(['tam', 'serve', '--tls-cert', 'a.pem']);
    assert.match(tls.stderr, /^error: ERR_USAGE: --tls-cert and --tls-key go together/m);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('admin wrappers: no token is ERR_ADMIN_TOKEN_MISSING, an unreachable TAM is ERR_TAM_UNREACHABLE, scopes are exclusive', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'otrp-tam-cli-'));
  try {
    const noToken = await runCli(['tam', 'tc', 'list', '--data', dir]);
    assert.equal(noToken.code, 1);
    assert.match(noToken.stderr, /^error: ERR_ADMIN_TOKEN_MISSING: /m);
    await writeFile(join(dir, 'admin-token'), 'a-token-long-enough-0123456789\n');
    const down = await runCli(['tam', 'devices', '--data', dir, '--tam', 'http://127.0.0.1:9']);
    assert.match(down.stderr, /^error: ERR_TAM_UNREACHABLE: /m);
    const scopes = await runCli(['tam', 'policy', 'set', '--tc', 't', '--action', 'required', '--all', '--device', 'd', '--data', dir]);
    assert.match(scopes.stderr, /^error: ERR_USAGE: give one scope/m);
    const action = await runCli(['tam', 'policy', 'set', '--tc', 't', '--action', 'install', '--data', dir]);
    assert.match(action.stderr, /^error: ERR_USAGE: --action must be/m);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
