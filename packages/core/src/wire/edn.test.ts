import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ednToCbor, parseDiagnostic } from './edn.js';
import { CborFloat, CborSimple, CborTag } from './cbor-value.js';
import { toHex } from './hex.js';

const hex = (edn: string, opts = {}) => toHex(ednToCbor(edn, opts));

function syntaxError(edn: string, line?: number, column?: number): void {
  assert.throws(
    () => ednToCbor(edn),
    (e: unknown) => {
      assert.equal((e as { code?: string }).code, 'ERR_EDN_SYNTAX', String(e));
      if (line !== undefined) assert.deepEqual([(e as { line: number }).line, (e as { column: number }).column], [line, column]);
      return true;
    },
    edn,
  );
}

test('scalars: integers in all bases, bigints, floats, simple values', () => {
  assert.equal(hex('0'), '00');
  assert.equal(hex('-1'), '20');
  assert.equal(hex('18446744073709551615'), '1bffffffffffffffff');
  assert.equal(hex('-18446744073709551616'), '3bffffffffffffffff');
  assert.equal(hex('[0x10, 0o17, 0b101, -0x10]'), '84100f052f');
  assert.equal(hex('1.0'), 'f93c00');
  assert.equal(hex('-0.0'), 'f98000');
  assert.equal(hex('1.5e3'), 'f965dc');
  assert.equal(hex('1e3'), 'f963d0');
  assert.equal(hex('0.1'), 'fb3fb999999999999a');
  assert.equal(hex('[NaN, Infinity, -Infinity]'), '83f97e00f97c00f9fc00');
  assert.equal(hex('[true, false, null, undefined, simple(16), simple(255)]'), '86f5f4f6f7f0f8ff');
});

test('encoding indicators _i, _0.._3 on integers, floats, lengths and tags; indefinite markers', () => {
  assert.equal(hex('1_0'), '1801');
  assert.equal(hex('1_1'), '190001');
  assert.equal(hex('1_2'), '1a00000001');
  assert.equal(hex('1_3'), '1b0000000000000001');
  assert.equal(hex('-1_0'), '3800');
  assert.equal(hex('5_i'), '05');
  assert.equal(hex('1.0_2'), 'fa3f800000');
  assert.equal(hex('1.0_3'), 'fb3ff0000000000000');
  assert.equal(hex('NaN_2'), 'fa7fc00000');
  assert.equal(hex('"a"_0'), '780161');
  assert.equal(hex("h'01'_1"), '59000101');
  assert.equal(hex('[_0 1]'), '980101');
  assert.equal(hex('{_1 1: 2}'), 'b900010102');
  assert.equal(hex('18_0([])'), 'd81280');
  assert.equal(hex('[_ 1, [_ ]]'), '9f019fffff');
  assert.equal(hex('{_ 1: 2}'), 'bf0102ff');
  assert.equal(hex("(_ h'01', h'0203')"), '5f410142' + '0203ff');
  assert.equal(hex('(_ "a", "b")'), '7f61616162ff');
});

test('strings: escapes, single-quoted bytes, hex and base64 with whitespace and comments, concatenation', () => {
  assert.equal(hex('"a\\"b\\\\c\\n\\u00e9\\ud83d\\ude00"'), '6c6122625c630ac3a9f09f9880');
  assert.equal(hex("'hi'"), '426869');
  assert.equal(hex("'it\\'s'"), '4469742773');
  assert.equal(hex("h''"), '40');
  assert.equal(hex("h'0A 0b\n  0C / a comment / 0d # line comment\n 0e'"), '450a0b0c0d0e');
  assert.equal(hex("h'01' h'02' 'a'"), '43010261');
  assert.equal(hex('"ab" "cd"'), '6461626364');
  assert.equal(hex("b64'AQID'"), '43010203');
  assert.equal(hex("b64'-_8'"), '42fbff');
  assert.equal(hex("b64'+/8='"), '42fbff');
});

test('embedded CBOR << >> (a CBOR sequence inside a byte string), tags, comments everywhere', () => {
  assert.equal(hex('<< {1: -7} >>'), '43a10126');
  assert.equal(hex('<< 1, 2 >>'), '420102');
  assert.equal(hex('<<>>'), '40');
  assert.equal(hex('<< << 1 >> >>'), '424101');
  assert.equal(hex('/ a / 18 / b / ( / c / [ / d / ] / e / ) / f /'), 'd280');
  assert.equal(hex('# header\n[1, # one\n 2, / two / ]'), '820102');
  assert.equal(hex('{1: 2, "a": [3,],}'), 'a2010261618103');
  assert.equal(hex('1, 2, [3]', { sequence: true }), '01028103');
});

test('parseDiagnostic gives the data model', () => {
  assert.deepEqual(parseDiagnostic('[1, 1.0, 1.0_2, simple(32), 2(h\'01\'), {"a": null}]'), [
    1,
    new CborFloat(1),
    new CborFloat(1, 4),
    new CborSimple(32),
    new CborTag(2, Uint8Array.of(1)),
    new Map([['a', null]]),
  ]);
  assert.deepEqual(parseDiagnostic('[_ 1]'), [1]);
  assert.throws(() => parseDiagnostic('{1: 2, 1: 3}'), { code: 'ERR_CBOR_DUPLICATE_KEY' });
});

test('syntax errors carry line:column', () => {
  syntaxError('[1, 2', 1, 6);
  syntaxError('[1 2]', 1, 4);
  syntaxError('{1 2}', 1, 4);
  syntaxError('[1,\n  ...]', 2, 3); // ellipses are not data
  syntaxError("h'01 ...'", 1, 6);
  syntaxError("h'012'", 1, 1);
  syntaxError("h'0g'", 1, 4);
  syntaxError('"abc', 1, 1);
  syntaxError('/ never closed', 1, 1);
  syntaxError('[1] 2', 1, 5);
  syntaxError('', 1, 1);
  syntaxError('foo', 1, 1);
  syntaxError('-0');
  syntaxError('18446744073709551616');
  syntaxError('-18446744073709551617');
  syntaxError('256_0');
  syntaxError('24_i');
  syntaxError('0.1_1');
  syntaxError('1.0_0');
  syntaxError('simple(24)');
  syntaxError('simple(256)');
  syntaxError('-1(0)');
  syntaxError('"a" h\'01\'');
  syntaxError("(_ h'01', \"a\")");
  syntaxError('(_ 1)');
  syntaxError("b64'A'");
  syntaxError('"\\q"');
  syntaxError('"\\ud800"');
  syntaxError('1:2');
  syntaxError('<1>');
  syntaxError('[' .repeat(600) + ']'.repeat(600));
});
