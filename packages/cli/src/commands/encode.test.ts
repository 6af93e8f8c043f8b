/**
 * `otrp encode` through the built binary (build first), over the TEEP draft's .diag/.hex pairs
 * (vectors/teep, keys/ and pre-26-numbering/): `otrp encode X.diag` gives exactly X.hex, and
 * `otrp decode --hex X.hex | otrp encode` does too for the messages and envelopes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../test-support/run-cli.js';
import { listVectors, readVectorHex, vectorPath } from '../../../core/src/test-support/vectors.js';

const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const pairs = (dir: string[]) => listVectors(...dir).filter((n) => n.endsWith('.diag') && listVectors(...dir).includes(n.replace(/\.diag$/, '.hex'))).map((n) => [...dir, n.replace(/\.diag$/, '')]);
const messages = pairs(['teep']);
const others = [...pairs(['teep', 'keys']), ...pairs(['teep', 'pre-26-numbering'])];

test('the TEEP pairs are all found', () => {
  assert.equal(messages.length, 9); // 5 messages, 3 SUIT envelopes, the fixed EAT claims
  assert.equal(others.length, 9);
});

test('otrp encode X.diag writes exactly the bytes of X.hex', { concurrency: 3 }, async (t) => {
  await Promise.all(
    messages.map((p) =>
      t.test(p.join('/'), async () => {
        const r = await runCli(['encode', vectorPath(...p.slice(0, -1), `${p.at(-1)}.diag`)]);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(toHex(r.stdoutBytes), toHex(readVectorHex(...p.slice(0, -1), `${p.at(-1)}.hex`)));
      }),
    ),
  );
});

test('the keys and the pre-26 messages as one CBOR sequence: encode --sequence --out, and decode --sequence | encode --sequence --hex', async () => {
  // Two invocations cover nine pairs (RFC 8742 sequence = the items back to back), to keep spawns few.
  const diag = others.map((p) => readFileSync(vectorPath(...p.slice(0, -1), `${p.at(-1)}.diag`), 'utf8')).join(',\n');
  const expected = others.map((p) => toHex(readVectorHex(...p.slice(0, -1), `${p.at(-1)}.hex`))).join('');
  const dir = mkdtempSync(join(tmpdir(), 'otrp-encode-'));
  try {
    const out = join(dir, 'all.cbor');
    const r = await runCli(['encode', '--sequence', '--out', out], { input: diag });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(toHex(readFileSync(out)), expected);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const decoded = await runCli(['decode', '--sequence', '--hex'], { input: expected });
  assert.equal(decoded.code, 0, decoded.stderr);
  const encoded = await runCli(['encode', '--sequence', '--hex'], { input: decoded.stdout });
  assert.equal(encoded.code, 0, encoded.stderr);
  assert.equal(encoded.stdout, `${expected}\n`);
});

test('otrp decode --hex X.hex | otrp encode gives the bytes of X.hex back', { concurrency: 3 }, async (t) => {
  await Promise.all(
    messages.map((p) =>
      t.test(p.join('/'), async () => {
        const hexFile = vectorPath(...p.slice(0, -1), `${p.at(-1)}.hex`);
        const decoded = await runCli(['decode', '--hex', hexFile]);
        assert.equal(decoded.code, 0, decoded.stderr);
        const encoded = await runCli(['encode'], { input: decoded.stdout });
        assert.equal(encoded.code, 0, encoded.stderr);
        assert.equal(toHex(encoded.stdoutBytes), toHex(readVectorHex(...p.slice(0, -1), `${p.at(-1)}.hex`)));
      }),
    ),
  );
});

test('a syntax error names the code and the line:column, exit 1', async () => {
  const r = await runCli(['encode', vectorPath('teep', 'eat_claims.diag')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^error: ERR_EDN_SYNTAX: .* at 16:44\n$/);
  assert.equal(r.stdout, '');
});
