import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseChannelRequest, parseChannelResponse } from './tee-channel.js';
import { decodeRecord, encodeRecord } from './cbor-record.js';
import { TEE_COMMAND } from './tee-backend.js';

test('well-formed channel messages pass the checks unchanged', () => {
  const req = { op: 'invoke', id: 3, session: 1, command: TEE_COMMAND.listInstalled, request: new Uint8Array([0xa0]) } as const;
  assert.deepEqual(parseChannelRequest(req), req);
  assert.deepEqual(parseChannelRequest({ op: 'open', id: 0 }), { op: 'open', id: 0 });
  assert.deepEqual(parseChannelResponse({ op: 'result', id: 3, response: new Uint8Array([1]) }), { op: 'result', id: 3, response: new Uint8Array([1]) });
  assert.deepEqual(parseChannelResponse({ op: 'error', id: 3, code: 'ERR_X', message: 'm' }), { op: 'error', id: 3, code: 'ERR_X', message: 'm' });
});

test('malformed channel messages are ERR_TEE_CHANNEL', () => {
  const bad = [null, 5, [], {}, { op: 'open' }, { op: 'open', id: -1 }, { op: 'open', id: 1.5 }, { op: 'zap', id: 1 },
    { op: 'close', id: 1 }, { op: 'invoke', id: 1, session: 1, command: 999, request: new Uint8Array() },
    { op: 'invoke', id: 1, session: 1, command: TEE_COMMAND.getIdentity, request: 'text' }];
  for (const m of bad) assert.throws(() => parseChannelRequest(m), { code: 'ERR_TEE_CHANNEL' }, JSON.stringify(m));
  for (const m of [null, { op: 'result' }, { op: 'error', id: 1 }, { op: 'result', id: 1, response: [1, 2] }]) {
    assert.throws(() => parseChannelResponse(m), { code: 'ERR_TEE_CHANNEL' });
  }
});

test('command records round-trip; non-record CBOR is refused', () => {
  const v = { a: new Uint8Array([1]), b: [1n << 60n, 'x', true, null], c: { d: 2 } };
  assert.deepEqual(decodeRecord(encodeRecord(v)), v);
  assert.throws(() => decodeRecord(new Uint8Array([0xff])), { code: 'ERR_TEE_CHANNEL' });
  assert.throws(() => decodeRecord(new Uint8Array([0xa1, 0x01, 0x02])), { code: 'ERR_TEE_CHANNEL' }); // int key
  assert.throws(() => decodeRecord(new Uint8Array([0xc1, 0x00])), { code: 'ERR_TEE_CHANNEL' }); // tag
});
