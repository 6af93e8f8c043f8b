import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fromHex, toHex } from './hex.js';
import { decodeBase64url, encodeBase64url } from './base64url.js';

test('hex: lowercase out, either case in, whitespace only when asked', () => {
  assert.equal(toHex(Uint8Array.of(0, 0x0f, 0xab, 0xff)), '000fabff');
  assert.deepEqual(fromHex('000FabfF'), Uint8Array.of(0, 0x0f, 0xab, 0xff));
  assert.deepEqual(fromHex(' 00 0f\n\tab\r\nff \n', { ignoreWhitespace: true }), Uint8Array.of(0, 0x0f, 0xab, 0xff));
  assert.deepEqual(fromHex(''), new Uint8Array(0));
  for (const bad of ['0', 'abc', '0g', 'zz', '00 11', '0x00', '+1']) assert.throws(() => fromHex(bad), { code: 'ERR_ENCODING' }, bad);
  assert.throws(() => fromHex('0 0 1', { ignoreWhitespace: true }), { code: 'ERR_ENCODING' });
});

test('base64url: RFC 4648 §10 test vectors, unpadded', () => {
  const vectors: [string, string][] = [['', ''], ['f', 'Zg'], ['fo', 'Zm8'], ['foo', 'Zm9v'], ['foob', 'Zm9vYg'], ['fooba', 'Zm9vYmE'], ['foobar', 'Zm9vYmFy']];
  for (const [plain, b64] of vectors) {
    assert.equal(encodeBase64url(new TextEncoder().encode(plain)), b64);
    assert.equal(new TextDecoder().decode(decodeBase64url(b64)), plain);
  }
  assert.equal(encodeBase64url(Uint8Array.of(0xfb, 0xff)), '-_8');
});

test('base64url decoding is strict: no padding, no +/, no whitespace, no stray bits', () => {
  for (const bad of ['Zg==', '+/8', 'Zm9v YmFy', 'Zh', 'Z', 'Zm9vY', 'é']) assert.throws(() => decodeBase64url(bad), { code: 'ERR_ENCODING' }, bad);
});

test('hex and base64url round-trip any bytes', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 100 }), (b) => {
      assert.deepEqual(fromHex(toHex(b)), b);
      assert.deepEqual(decodeBase64url(encodeBase64url(b)), b);
    }),
    { numRuns: 300 },
  );
});
