import { test } from 'node:test';
import assert from 'node:assert/strict';
import { annotateHex } from './annotate.js';
import { fromHex } from './hex.js';
import { readVectorHex } from '../test-support/vectors.js';

test('one line per head, indented by nesting, strings on their own lines, embedded CBOR nested', () => {
  const out = annotateHex(fromHex('a2 01 43 a10126 02 9f 62 6869 f93c00 f820 ff'.replace(/ /g, '')));
  assert.equal(
    out,
    [
      'a2             # map(2)',
      '   01          # unsigned(1)',
      '   43          # bytes(3), embedded CBOR:',
      '      a1       # map(1)',
      '         01    # unsigned(1)',
      '         26    # negative(-7)',
      '   02          # unsigned(2)',
      '   9f          # array(*)',
      '      62       # text(2)',
      '         6869  # "hi"',
      '      f93c00   # float16(1)',
      '      f820     # simple(32)',
      '      ff       # break',
      '',
    ].join('\n'),
  );
});

test('the TEEP Update dump follows the structure of the draft .pretty.txt', () => {
  const lines = annotateHex(readVectorHex('teep', 'update.hex')).split('\n');
  assert.match(lines[0]!, /^82 +# array\(2\)$/);
  assert.match(lines[1]!, /^ {3}03 +# unsigned\(3\)$/);
  assert.match(lines[4]!, /^ {6}50 +# bytes\(16\)$/);
  assert.match(lines[5]!, /^ {9}a0a1a2a3a4a5a6a7a8a9aaabacadaeaf$/);
  assert.match(lines[8]!, /^ {9}59014e +# bytes\(334\), embedded CBOR:$/);
  assert.ok(lines.some((l) => /^ +d2 +# tag\(18\)$/.test(l)));
});

test('malformed input is a CborError', () => {
  assert.throws(() => annotateHex(fromHex('5a ffffffff 00'.replace(/ /g, ''))), { code: 'ERR_CBOR_TRUNCATED' });
  assert.throws(() => annotateHex(fromHex('0101')), { code: 'ERR_CBOR_TRAILING_BYTES' });
  assert.throws(() => annotateHex(new Uint8Array(1000).fill(0x81)), { code: 'ERR_CBOR_DEPTH' });
});
