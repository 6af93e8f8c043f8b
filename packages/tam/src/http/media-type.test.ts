import { test } from 'node:test';
import assert from 'node:assert/strict';
import { acceptsTeep, isTeepContentType, mediaTypeEssence } from './media-type.js';

test('Content-Type essence ignores case, parameters and whitespace', () => {
  assert.equal(mediaTypeEssence(' Application/TEEP+CBOR ; charset=binary'), 'application/teep+cbor');
  assert.equal(mediaTypeEssence(''), undefined);
  assert.equal(mediaTypeEssence(undefined), undefined);
  assert.equal(isTeepContentType('application/teep+cbor'), true);
  assert.equal(isTeepContentType('application/cbor'), false);
  assert.equal(isTeepContentType('application/teep+cbor-seq'), false);
  assert.equal(isTeepContentType(undefined), false);
});

test('Accept: the most specific matching range decides, q=0 refuses, absent is undefined', () => {
  const cases: [string | string[] | undefined, boolean | undefined][] = [
    [undefined, undefined],
    ['application/teep+cbor', true],
    ['*/*', true],
    ['application/*;q=0.1', true],
    ['text/html, application/json', false],
    ['application/teep+cbor;q=0, */*', false],
    ['application/teep+cbor;q=0.5, */*;q=0', true],
    ['application/*;q=0, application/teep+cbor', true],
    ['*/*;q=0', false],
    ['application/teep+cbor;q=bogus', false],
    ['', false],
    [['text/plain', 'application/teep+cbor'], true],
  ];
  for (const [header, expected] of cases) assert.equal(acceptsTeep(header), expected, JSON.stringify(header));
});
