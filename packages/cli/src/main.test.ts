import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidArgument } from '@otrp/core';
import { formatError } from './main.js';
import { runCli } from './test-support/run-cli.js';

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

test('formatError gives the code of an OtrpError and ERR_INTERNAL for anything else', () => {
  assert.equal(formatError(new InvalidArgument('bad\nthing')), 'error: ERR_INVALID_ARGUMENT: bad thing');
  assert.equal(formatError(new TypeError('x is undefined')), 'error: ERR_INTERNAL: x is undefined');
});
