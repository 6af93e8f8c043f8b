import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTcId, formatTcId, componentIdFromUuid } from './tc-id.js';

const te = (s: string) => new TextEncoder().encode(s);

test('a UUID names the TEEP-convention component identifier', () => {
  const id = parseTcId('8D82573A-926D-4754-9353-32DC29997F74');
  assert.deepEqual(id, [te('TEEP-Device'), te('SecureFS'), Uint8Array.from(Buffer.from('8d82573a926d4754935332dc29997f74', 'hex')), te('ta')]);
  assert.deepEqual(componentIdFromUuid('8d82573a-926d-4754-9353-32dc29997f74'), id);
});

test('hex of a CBOR component identifier round-trips through formatTcId', () => {
  const id = [te('TEEP-Device'), te('hello'), te('ta')];
  assert.deepEqual(parseTcId(formatTcId(id)), id);
  assert.deepEqual(parseTcId('824174426161'), [te('t'), te('aa')]);
});

test('anything else is ERR_INVALID_ARGUMENT', () => {
  for (const bad of ['', 'zz', '80', '8101', '41aa', '8-d82573a', '824174426161ff']) {
    assert.throws(() => parseTcId(bad), { code: 'ERR_INVALID_ARGUMENT' }, bad);
  }
  assert.throws(() => componentIdFromUuid('not-a-uuid'), { code: 'ERR_INVALID_ARGUMENT' });
});
