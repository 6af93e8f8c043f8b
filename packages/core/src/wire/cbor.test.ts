import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeCbor, decodeCborPrefix, decodeCborSequence, encodeCbor } from './cbor.js';
import { CborFloat, CborSimple, CborTag, type CborValue } from './cbor-value.js';
import { fromHex, toHex } from './hex.js';
import { isOtrpError } from '../errors.js';

const h = (s: string) => fromHex(s.replace(/\s+/g, ''));

function rejects(bytes: Uint8Array, code: string, options = {}): void {
  assert.throws(
    () => decodeCbor(bytes, options),
    (e: unknown) => {
      assert.ok(isOtrpError(e), `not an OtrpError: ${String(e)}`);
      assert.equal((e as { code: string }).code, code);
      return true;
    },
  );
}

test('decodes the data model: ints, bigints, strings, maps in wire order, tags, simple, floats', () => {
  const v = decodeCbor(h('a3 03 01 01 82 20 3bffffffffffffffff 02 d8 2a 63 616263'));
  assert.ok(v instanceof Map);
  assert.deepEqual([...v.keys()], [3, 1, 2]);
  assert.deepEqual(v.get(1), [-1, -18446744073709551616n]);
  assert.deepEqual(v.get(2), new CborTag(42, 'abc'));
  assert.equal(decodeCbor(h('1b0020000000000000')), 9007199254740992n); // 2^53: beyond safe
  assert.equal(decodeCbor(h('1b001fffffffffffff')), 9007199254740991);
  assert.equal(decodeCbor(h('3b001ffffffffffffe')), -9007199254740991);
  assert.equal(decodeCbor(h('3b001fffffffffffff')), -9007199254740992n);
  assert.deepEqual(decodeCbor(h('f820')), new CborSimple(32));
  assert.deepEqual(decodeCbor(h('f0')), new CborSimple(16));
  assert.deepEqual(decodeCbor(h('f93c00')), new CborFloat(1));
  assert.deepEqual(decodeCbor(h('84 f4 f5 f6 f7')), [false, true, null, undefined]);
  assert.deepEqual(decodeCbor(h('c11a514b67b0')), new CborTag(1, 1363896240));
  assert.deepEqual(decodeCbor(h('db ffffffffffffffff 00')), new CborTag(18446744073709551615n, 0));
});

test('byte strings are views of the input, not copies', () => {
  const input = h('82 43 a10126 40');
  const v = decodeCbor(input) as Uint8Array[];
  assert.equal(v[0]!.buffer, input.buffer);
  assert.equal(v[0]!.byteOffset, 2);
  assert.deepEqual([...v[0]!], [0xa1, 0x01, 0x26]);
});

test('floats keep a non-preferred width so they re-encode to the same bytes', () => {
  for (const hex of ['fa3f800000', 'fb3ff0000000000000', 'fa7fc00000', 'f97e00', 'f98000', 'fb3fb999999999999a', 'f97c00', 'fa47c35000']) {
    assert.equal(toHex(encodeCbor(decodeCbor(h(hex)))), hex);
  }
  assert.deepEqual(decodeCbor(h('fa3f800000')), new CborFloat(1, 4));
});

test('ERR_CBOR_DEPTH: 100k nested arrays fail cleanly, before cborg recurses', () => {
  const deep = new Uint8Array(100_000).fill(0x81);
  rejects(deep, 'ERR_CBOR_DEPTH');
  const deepTags = new Uint8Array(100_001).fill(0xc1);
  rejects(deepTags, 'ERR_CBOR_DEPTH');
});

test('maxDepth: 128 levels pass by default, 129 fail; the option changes the limit', () => {
  const nest = (n: number) => Uint8Array.from([...new Array<number>(n).fill(0x81), 0x00]);
  assert.doesNotThrow(() => decodeCbor(nest(128)));
  rejects(nest(129), 'ERR_CBOR_DEPTH');
  rejects(nest(3), 'ERR_CBOR_DEPTH', { maxDepth: 2 });
  assert.doesNotThrow(() => decodeCbor(nest(2), { maxDepth: 2 }));
  rejects(h('a1 01 a1 01 a1 01 00'), 'ERR_CBOR_DEPTH', { maxDepth: 2 });
});

test('ERR_CBOR_TRUNCATED: declared lengths beyond the input fail before allocating', () => {
  rejects(h('5a ffffffff 00 00 00 00 00'), 'ERR_CBOR_TRUNCATED'); // bstr of 2^32-1 bytes in 10 bytes
  rejects(h('5b 0000000100000000 00'), 'ERR_CBOR_TRUNCATED'); // 2^32 bytes
  rejects(h('7b ffffffffffffffff'), 'ERR_CBOR_TRUNCATED');
  rejects(h('9b 00000000ffffffff 01'), 'ERR_CBOR_TRUNCATED'); // 4G-element array
  rejects(h('ba 00010000 0101'), 'ERR_CBOR_TRUNCATED');
  rejects(h('83 01 02'), 'ERR_CBOR_TRUNCATED');
  rejects(h('19 01'), 'ERR_CBOR_TRUNCATED');
  rejects(h('fb 3ff0'), 'ERR_CBOR_TRUNCATED');
  rejects(new Uint8Array(0), 'ERR_CBOR_TRUNCATED');
});

test('ERR_CBOR_TOO_LARGE: input above maxSize', () => {
  rejects(new Uint8Array(1025), 'ERR_CBOR_TOO_LARGE', { maxSize: 1024 });
  assert.equal(decodeCbor(new Uint8Array(1), { maxSize: 1 }), 0);
});

test('ERR_CBOR_DUPLICATE_KEY: numbers, strings, byte strings, arrays, floats, non-preferred twins', () => {
  rejects(h('a2 01 00 01 00'), 'ERR_CBOR_DUPLICATE_KEY');
  rejects(h('a2 6161 00 6161 00'), 'ERR_CBOR_DUPLICATE_KEY');
  rejects(h('a2 4101 00 4101 00'), 'ERR_CBOR_DUPLICATE_KEY');
  rejects(h('a2 820102 00 820102 00'), 'ERR_CBOR_DUPLICATE_KEY');
  rejects(h('a2 f93c00 00 fa3f800000 00'), 'ERR_CBOR_DUPLICATE_KEY'); // 1.0 twice, two widths
  rejects(h('a2 01 00 1801 00'), 'ERR_CBOR_DUPLICATE_KEY'); // 1 twice, second not preferred
  rejects(h('a2 a2 0102 0304 00 a2 0304 0102 00'), 'ERR_CBOR_DUPLICATE_KEY'); // equal maps as keys
  rejects(h('81 a1 00 a2 4100 01 4100 02'), 'ERR_CBOR_DUPLICATE_KEY'); // nested
  // Different types are different keys (RFC 8949 §5.6.1): 1, 1.0, "1", h'01'.
  assert.equal((decodeCbor(h('a4 01 00 f93c00 00 6131 00 4101 00')) as Map<CborValue, CborValue>).size, 4);
});

test('ERR_CBOR_INDEFINITE unless allowed; indefinite items decode when allowed', () => {
  rejects(h('9f 01 ff'), 'ERR_CBOR_INDEFINITE');
  rejects(h('bf ff'), 'ERR_CBOR_INDEFINITE');
  rejects(h('5f 4101 ff'), 'ERR_CBOR_INDEFINITE');
  rejects(h('7f 6161 ff'), 'ERR_CBOR_INDEFINITE');
  const o = { allowIndefinite: true };
  assert.deepEqual(decodeCbor(h('9f 01 9f ff ff'), o), [1, []]);
  assert.deepEqual(decodeCbor(h('bf 01 02 ff'), o), new Map([[1, 2]]));
  assert.deepEqual(decodeCbor(h('5f 4101 42 0203 ff'), o), Uint8Array.of(1, 2, 3));
  assert.equal(decodeCbor(h('7f 6161 60 6162 ff'), o), 'ab');
  rejects(h('5f 6161 ff'), 'ERR_CBOR_MALFORMED', o); // text chunk in a byte string
  rejects(h('5f 5f ff ff'), 'ERR_CBOR_MALFORMED', o); // nested indefinite chunk
  rejects(h('bf 01 ff'), 'ERR_CBOR_MALFORMED', o); // key without value
});

test('ERR_CBOR_NOT_PREFERRED only with requirePreferred', () => {
  const p = { requirePreferred: true };
  for (const hex of ['1801', '190001', '1a00000001', '1b0000000000000001', '3800', '5800', '780100', '9800', 'b800', 'd80100', 'fa3f800000', 'fb3ff0000000000000', 'fa7fc00000']) {
    assert.doesNotThrow(() => decodeCbor(h(hex)), hex);
    rejects(h(hex), 'ERR_CBOR_NOT_PREFERRED', p);
  }
  for (const hex of ['17', '1818', '19ffff', '1a00010000', 'f93c00', 'fa47c35000', 'fb3fb999999999999a', 'f97e00', 'f820']) {
    assert.doesNotThrow(() => decodeCbor(h(hex), p), hex);
  }
});

test('ERR_CBOR_INVALID_UTF8: text strings are checked, also in chunks and map keys', () => {
  rejects(h('62 c328'), 'ERR_CBOR_INVALID_UTF8');
  rejects(h('63 eda080'), 'ERR_CBOR_INVALID_UTF8'); // an encoded surrogate
  rejects(h('a1 61 ff 00'), 'ERR_CBOR_INVALID_UTF8');
  rejects(h('7f 61 c3 61 a9 ff'), 'ERR_CBOR_INVALID_UTF8', { allowIndefinite: true }); // split code point
  assert.equal(decodeCbor(h('62 c3a9')), 'é');
  assert.equal(decodeCbor(h('63 efbbbf')), '\ufeff'); // a BOM is kept, not stripped
});

test('ERR_CBOR_TRAILING_BYTES; decodeCborPrefix and decodeCborSequence read past one item', () => {
  rejects(h('01 02'), 'ERR_CBOR_TRAILING_BYTES');
  assert.deepEqual(decodeCborPrefix(h('8101 ff ff')), { value: [1], length: 2 });
  assert.deepEqual(decodeCborSequence(h('01 8102 63616263')), [1, [2], 'abc']);
  assert.deepEqual(decodeCborSequence(new Uint8Array(0)), []);
  assert.throws(() => decodeCborSequence(h('01 82')), { code: 'ERR_CBOR_TRUNCATED' });
});

test('ERR_CBOR_MALFORMED: reserved additional info, stray break, bad simple values', () => {
  for (const hex of ['1c', '1d', '1e', '3c', '5c', '7d', '9e', 'bc', 'dc', 'fc', 'fd', 'fe', 'ff', '81ff', '1f', '3f', 'df00', 'f800', 'f81f', '82 01 ff']) {
    rejects(h(hex), 'ERR_CBOR_MALFORMED', { allowIndefinite: true });
  }
});

test('input that is not a Uint8Array is a CborError, not a TypeError; bad limits are ERR_INVALID_ARGUMENT', () => {
  assert.throws(() => decodeCbor('a1' as unknown as Uint8Array), { code: 'ERR_CBOR_MALFORMED' });
  for (const o of [{ maxDepth: -1 }, { maxDepth: 1.5 }, { maxSize: NaN }, { maxSize: -1 }]) assert.throws(() => decodeCbor(h('00'), o), { code: 'ERR_INVALID_ARGUMENT' });
});

test('encodeCbor: preferred serialization, insertion order, deterministic on request', () => {
  const m = new Map<CborValue, CborValue>([[10, 1], [1, 2], [-1, 3], ['a', 4], [h('00'), 5], [100, 6]]);
  assert.equal(toHex(encodeCbor(m)), 'a60a010102200361610441000518640' + '6');
  assert.equal(toHex(encodeCbor(m, { deterministic: true })), 'a60102' + '0a01' + '1864' + '06' + '2003' + '410005' + '616104');
  assert.equal(toHex(encodeCbor([0, 23, 24, 255, 256, 65535, 65536, -1, -24, -25, -256, -257])), '8c0017181818ff19010019ffff1a000100002037381838ff390100');
  assert.equal(toHex(encodeCbor(2n ** 64n - 1n)), '1bffffffffffffffff');
  assert.equal(toHex(encodeCbor(-(2n ** 64n))), '3bffffffffffffffff');
  assert.equal(toHex(encodeCbor(2 ** 60)), '1b1000000000000000');
  assert.equal(toHex(encodeCbor(1.5)), 'f93e00');
  assert.equal(toHex(encodeCbor(0.1)), 'fb3fb999999999999a');
  assert.equal(toHex(encodeCbor(new CborFloat(1))), 'f93c00');
  assert.equal(toHex(encodeCbor(new CborFloat(1, 8))), 'fb3ff0000000000000');
  assert.equal(toHex(encodeCbor(new CborFloat(1, 8), { deterministic: true })), 'f93c00');
  assert.equal(toHex(encodeCbor(new CborFloat(-0))), 'f98000');
  assert.equal(toHex(encodeCbor(new CborFloat(NaN))), 'f97e00');
  // A received NaN keeps its width but not its payload (a JS number cannot carry it reliably).
  for (const [received, written] of [['faff800001', 'fa7fc00000'], ['fa7fc00001', 'fa7fc00000'], ['fbfff0000000000001', 'fb7ff8000000000000'], ['f97e01', 'f97e00']]) {
    assert.equal(toHex(encodeCbor(decodeCbor(h(received)))), written, received);
  }
  assert.equal(toHex(encodeCbor(new CborFloat(5.960464477539063e-8))), 'f90001'); // smallest half subnormal
  assert.equal(toHex(encodeCbor(new CborFloat(65504))), 'f97bff');
  assert.equal(toHex(encodeCbor(new CborFloat(100000))), 'fa47c35000');
  assert.equal(toHex(encodeCbor([undefined, null, true, new CborSimple(16), new CborSimple(255)])), '85f7f6f5f0f8ff');
  assert.equal(toHex(encodeCbor(new CborTag(18, []))), 'd280');
  assert.equal(toHex(encodeCbor('é')), '62c3a9');
});

test('ERR_CBOR_UNENCODABLE for values outside the data model', () => {
  const bad: unknown[] = [
    () => 1,
    Symbol('x'),
    { a: 1 },
    new Date(0),
    2n ** 64n,
    -(2n ** 64n) - 1n,
    new CborSimple(24),
    new CborSimple(256),
    new CborFloat(0.1, 2),
    new CborTag(-1, 0),
    '\ud800',
    new Uint16Array(2),
  ];
  for (const v of bad) assert.throws(() => encodeCbor(v as CborValue), { code: 'ERR_CBOR_UNENCODABLE' }, String(v));
  const cyclic: CborValue[] = [];
  cyclic.push(cyclic);
  assert.throws(() => encodeCbor(cyclic), { code: 'ERR_CBOR_UNENCODABLE' });
});

test('encodeCbor reuses one buffer: results are independent copies, and a failed or very large encode does not leak into the next', () => {
  const a = encodeCbor([1, new Uint8Array([9, 9, 9])]);
  const b = encodeCbor(new Map<CborValue, CborValue>([[1, 'x']]));
  assert.equal(toHex(a), '820143090909');
  assert.equal(toHex(b), 'a10161' + '78');
  // Never a view of a shared buffer.
  assert.equal(a.byteOffset, 0);
  assert.equal(a.buffer.byteLength, a.length);
  assert.notEqual(a.buffer, b.buffer);
  // A failure half-way (after bytes were written) leaves the next encode clean.
  assert.throws(() => encodeCbor([1, 2, { not: 'cbor' } as unknown as CborValue]), { code: 'ERR_CBOR_UNENCODABLE' });
  assert.equal(toHex(encodeCbor([3])), '8103');
  // A value larger than the kept buffer, then a small one.
  const big = new Uint8Array(200_000).fill(7);
  const e = encodeCbor([big]);
  assert.equal(e.length, 1 + 5 + big.length);
  assert.deepEqual(e.subarray(6), big);
  assert.equal(toHex(encodeCbor(true)), 'f5');
  // Deterministic maps (keys encoded in their own small writers) still sort bytewise.
  const m = new Map<CborValue, CborValue>([['bb', 1], [10, 2], ['a', 3], [-1, 4]]);
  assert.equal(toHex(encodeCbor(m, { deterministic: true })), 'a40a022004' + '616103' + '62626201');
});
