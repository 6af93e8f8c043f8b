import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidArgument } from '@otrp/core';
import { buildProgram, formatError } from './main.js';
import { spawn } from 'node:child_process';
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
