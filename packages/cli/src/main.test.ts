import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidArgument } from '@otrp/core';
import { buildProgram, formatError } from './main.js';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI_BIN, runCli } from './test-support/run-cli.js';

test('--version prints the package version and exits 0', async () => {
  const r = await runCli(['--version']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^\d+\.\d+\.\d+\n$/);
});

test('an unknown command exits 1 with one error line and no stack trace', async () => {
  const r = await runCli(['no-such-command']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^error: ERR_USAGE: .+\n$/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});

test('a reader that closes the pipe early (otrp ... | head) ends the command quietly, not with a stack trace', async () => {
  const child = spawn(process.execPath, [CLI_BIN, 'pki', 'init', '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.destroy(); // the read end is closed before the command writes its help
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(stderr, '');
  assert.equal(code, 0);
});

test('formatError gives the code of an OtrpError and ERR_INTERNAL for anything else', () => {
  assert.equal(formatError(new InvalidArgument('bad\nthing')), 'error: ERR_INVALID_ARGUMENT: bad thing');
  assert.equal(formatError(new TypeError('x is undefined')), 'error: ERR_INTERNAL: x is undefined');
});

test('the program for a command holds only that command; help and unknown commands get all of them', async () => {
  const names = async (argv: string[]) => (await buildProgram(['node', 'otrp', ...argv])).commands.map((c) => c.name());
  const all = ['pki', 'teep', 'decode', 'encode', 'suit', 'tam', 'otrp', 'bench', 'device', 'demo'];
  assert.deepEqual(await names(['--debug', 'device', 'list', 'dir']), ['device']);
  assert.deepEqual(await names(['pki', 'init']), ['pki']);
  assert.deepEqual(await names(['--version']), []);
  assert.deepEqual(await names([]), all);
  assert.deepEqual(await names(['--help']), all);
  assert.deepEqual(await names(['help', 'device']), all);
  assert.deepEqual(await names(['no-such-command']), all);
});

test('otrp --help lists every command', async () => {
  const r = await runCli(['--help']);
  assert.equal(r.code, 0);
  for (const name of ['pki', 'teep', 'decode', 'encode', 'suit', 'tam', 'otrp', 'bench', 'device', 'demo']) assert.match(r.stdout, new RegExp(`^  ${name}\\b`, 'm'));
});

test('otrp --version loads no command and not core; a command loads its own module and not the TAM', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'otrp-modules-'));
  const register = fileURLToPath(new URL('./test-support/module-log/register.mjs', import.meta.url));
  /** The ES modules `otrp ARGS` resolved (built output and dependencies). */
  const loaded = async (args: string[], name: string) => {
    const log = join(dir, name);
    const r = await runCli(args, { nodeArgs: ['--import', register], env: { OTRP_MODULE_LOG: log } });
    return { code: r.code, urls: (await readFile(log, 'utf8')).split('\n').filter(Boolean) };
  };
  const any = (urls: string[], part: string) => urls.some((u) => u.includes(part));
  try {
    const version = await loaded(['--version'], 'version');
    assert.equal(version.code, 0);
    assert.ok(any(version.urls, '/cli/dist/main.js'), 'the log sees the modules');
    assert.ok(!any(version.urls, '/packages/core/') && !any(version.urls, '/core/dist/'), 'core is not loaded');
    assert.ok(!any(version.urls, '/cli/dist/commands/'), 'no command module is loaded');

    const list = await loaded(['device', 'list', join(dir, 'no-device')], 'device-list');
    assert.equal(list.code, 1);
    assert.ok(any(list.urls, '/cli/dist/commands/device.js'));
    assert.ok(!any(list.urls, '/tam/dist/') && !any(list.urls, '/cli/dist/commands/tam.js'), 'the TAM server stack is not loaded');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
