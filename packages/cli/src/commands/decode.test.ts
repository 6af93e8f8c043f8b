/**
 * `otrp decode` through the built binary (build first). The TEEP vector pipeline
 * `otrp decode --hex X.hex | otrp encode` is in encode.test.ts, next to the encode checks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../test-support/run-cli.js';
import { vectorPath, readVectorHex } from '../../../core/src/test-support/vectors.js';

test('decode --hex prints EDN with COSE names and decoded protected headers', async () => {
  const r = await runCli(['decode', '--hex', vectorPath('teep', 'suit_uri.hex')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /\/ COSE_Sign1 \/ 18\(\[\n\s+\/ protected \/ << \{\/ alg \/ 1: -9 \/ ESP256 \/\} >>,/);
  assert.match(r.stdout, /\n$/);
});

test('decode reads binary CBOR from standard input; --annotate prints the hex dump', async () => {
  const bytes = readVectorHex('teep', 'query_request.hex');
  const edn = await runCli(['decode', '--compact'], { input: bytes });
  assert.equal(edn.code, 0, edn.stderr);
  assert.equal(edn.stdout, "[1, {19: h'a0a1a2a3a4a5a6a7a8a9aaabacadaeaf', 3: [0]}, [[[18, -9]], [[18, -19]]], [[-16, -9, -29, -65534], [-16, -19, -29, -65534], [-16, -9, -29, 1], [-16, -19, -29, 24]], 3]\n");
  const dump = await runCli(['decode', '--annotate', '-'], { input: bytes });
  assert.equal(dump.code, 0, dump.stderr);
  assert.match(dump.stdout, /^85 +# array\(5\)\n {3}01 +# unsigned\(1\)\n {3}a2 +# map\(2\)\n/);
});

test('bad input ends with one error line and exit 1', async () => {
  const badHex = await runCli(['decode', '--hex'], { input: 'a1 0g' });
  assert.equal(badHex.code, 1);
  assert.match(badHex.stderr, /^error: ERR_ENCODING: .+\n$/);
  const truncated = await runCli(['decode'], { input: Uint8Array.of(0x5a, 0xff, 0xff, 0xff, 0xff, 0x00) });
  assert.equal(truncated.code, 1);
  assert.match(truncated.stderr, /^error: ERR_CBOR_TRUNCATED: .+\n$/);
});
