/**
 * Property: whatever bytes arrive, decodeTeepMessage either returns a message or throws a TeepError
 * (never a TypeError/RangeError or a foreign error); and what it returns re-encodes to bytes that
 * decode to the same message.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readVectorHex } from '../../test-support/vectors.js';
import { TeepError } from '../errors.js';
import { decodeTeepMessage, encodeTeepMessage } from './teep-message.js';
import type { TeepProfileName } from '../profiles.js';

const SEEDS: ReadonlyArray<readonly [TeepProfileName, Uint8Array]> = [
  ...['query_request', 'query_response', 'success', 'error', 'update'].map((n) => ['draft-26', readVectorHex('teep', `${n}.hex`)] as const),
  ...['query_request', 'query_response', 'success', 'error', 'update'].map((n) => ['pre-26', readVectorHex('teep', 'pre-26-numbering', `${n}.hex`)] as const),
];

/** A mutation: overwrite, insert or delete a byte, or truncate. */
const mutation = fc.oneof(
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), byte: fc.constant(0) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat(), byte: fc.constant(0) }),
);

function mutate(input: Uint8Array, ops: ReadonlyArray<{ op: string; at: number; byte: number }>): Uint8Array {
  let b = Array.from(input);
  for (const { op, at, byte } of ops) {
    const i = b.length === 0 ? 0 : at % b.length;
    if (op === 'set' && b.length) b[i] = byte;
    else if (op === 'insert') b.splice(i, 0, byte);
    else if (op === 'delete') b.splice(i, 1);
    else if (op === 'truncate') b = b.slice(0, i);
  }
  return new Uint8Array(b);
}

test('mutated TEEP messages produce only typed errors', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: SEEDS.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), (seed, ops) => {
      const [profile, bytes] = SEEDS[seed] as (typeof SEEDS)[number];
      const input = mutate(bytes, ops);
      let msg;
      try {
        msg = decodeTeepMessage(input, { profile });
      } catch (e) {
        assert.ok(e instanceof TeepError, `not a TeepError: ${String(e)}`);
        assert.match(e.code, /^ERR_TEEP_/);
        return;
      }
      const again = encodeTeepMessage(msg, { profile });
      assert.deepEqual(decodeTeepMessage(again, { profile }), msg);
    }),
    { numRuns: 2000 },
  );
});
