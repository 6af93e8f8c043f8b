import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { componentIdToFileName, fileNameToComponentId, uriToRelativePath } from './component-file-name.js';
import { id, hex, TC_ID } from './test-support/fixtures.js';

test('readable where safe, hex otherwise', () => {
  assert.equal(componentIdToFileName(id('ta', 'v1_2')), 'ta.v1_2');
  assert.equal(componentIdToFileName(TC_ID), '~544545502d446576696365.~5365637572654653.~8d82573a926d4754935332dc29997f74.ta');
  assert.equal(componentIdToFileName([hex('00')]), '~00');
  assert.equal(componentIdToFileName([new Uint8Array()]), '~');
  assert.equal(componentIdToFileName(id('..', '/etc/passwd')), '~2e2e.~2f6574632f706173737764');
  assert.throws(() => componentIdToFileName([]), { code: 'ERR_SUIT_INVALID_FILE_NAME' });
});

test('injective: decode(encode(id)) = id for arbitrary identifiers; names are never paths', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.uint8Array({ maxLength: 12 }), fc.stringMatching(/^[a-z0-9_-]{1,8}$/).map((s) => new TextEncoder().encode(s))), { minLength: 1, maxLength: 5 }), (cid) => {
      const name = componentIdToFileName(cid);
      assert.ok(!name.includes('/') && !name.includes('\\') && name !== '.' && name !== '..' && !name.startsWith('.'));
      assert.deepEqual(fileNameToComponentId(name).map((b) => [...b]), cid.map((b) => [...b]));
    }),
  );
});

test('non-canonical or foreign names are refused', () => {
  for (const n of ['', '..', 'A', '~6162', 'a..b', 'a/b', '~0', '~zz', '.hidden']) {
    assert.throws(() => fileNameToComponentId(n), { code: 'ERR_SUIT_INVALID_FILE_NAME' }, n);
  }
});

test('URIs map to relative paths that stay inside the fetch root', () => {
  assert.deepEqual(uriToRelativePath('https://Example.org/8d82573a.ta'), ['example.org', '8d82573a.ta']);
  assert.deepEqual(uriToRelativePath('payload.bin'), ['payload.bin']);
  for (const u of ['http://example.com/../x', 'http://example.com/a//b', '../x', '/etc/passwd', 'http://example.com/a?b', 'file:///etc/passwd', 'http://h/%2e%2e/x', 'c:\\x', '']) {
    assert.throws(() => uriToRelativePath(u), { code: 'ERR_SUIT_INVALID_FILE_NAME' }, u);
  }
});
