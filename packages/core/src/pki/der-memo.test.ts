import { test } from 'node:test';
import assert from 'node:assert/strict';
import { derMemo } from './der-memo.js';

test('derMemo: one value per DER content, made from a copy, least recently used out first, failures not kept', () => {
  const memo = derMemo<Uint8Array>(2, 16);
  let made = 0;
  const make = (der: Uint8Array) => {
    made++;
    if (der[0] === 0xff) throw new Error('refused');
    return der;
  };
  const a = new Uint8Array([1, 2, 3]);
  const value = memo(a, make);
  assert.equal(memo(new Uint8Array([1, 2, 3]), make), value, 'equal content, another array: the same value');
  assert.equal(made, 1);
  a[0] = 9;
  assert.deepEqual(value, new Uint8Array([1, 2, 3]), 'the value does not alias the caller\'s array');
  assert.notEqual(memo(a, make), value, 'changed content is another key');
  assert.equal(made, 2);

  memo(new Uint8Array([1, 2, 3]), make); // used most recently: [1,2,3], then [9,2,3]
  memo(new Uint8Array([4]), make); // evicts [9,2,3]
  assert.equal(made, 3);
  memo(new Uint8Array([1, 2, 3]), make);
  assert.equal(made, 3, '[1,2,3] was kept');
  memo(new Uint8Array([9, 2, 3]), make);
  assert.equal(made, 4, '[9,2,3] was dropped');

  assert.throws(() => memo(new Uint8Array([0xff]), make), /refused/);
  assert.throws(() => memo(new Uint8Array([0xff]), make), /refused/);
  assert.equal(made, 6, 'a failure is tried again');
  const empty = memo(new Uint8Array(0), make);
  assert.equal(memo(new Uint8Array(0), make), empty, 'the empty input is a key too');
});

test('derMemo: an input longer than maxBytes is made every time and never kept', () => {
  const memo = derMemo<object>(4, 8);
  let made = 0;
  const make = () => ({ n: ++made });
  const big = new Uint8Array(9);
  assert.notEqual(memo(big, make), memo(big, make));
  assert.equal(made, 2);
  const small = new Uint8Array(8);
  assert.equal(memo(small, make), memo(small, make));
  assert.equal(made, 3);
});
