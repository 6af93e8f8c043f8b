import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnose, printDiagnostic, type DiagNode } from './diag.js';
import { ednToCbor } from './edn.js';
import { decodeCbor, encodeCbor } from './cbor.js';
import { CborFloat, CborSimple, CborTag, type CborValue } from './cbor-value.js';
import { fromHex, toHex } from './hex.js';

const print = (v: CborValue) => printDiagnostic(v);

test('prints every kind of item', () => {
  assert.equal(print([0, -1, 18446744073709551615n, -18446744073709551616n, 2 ** 60]), '[0, -1, 18446744073709551615, -18446744073709551616, 1152921504606846976]');
  assert.equal(print(new Map<CborValue, CborValue>([[1, 'a'], ['b', [true, false, null, undefined]]])), '{1: "a", "b": [true, false, null, undefined]}');
  assert.equal(print(new CborTag(1, 0)), '1(0)');
  assert.equal(print(new CborSimple(16)), 'simple(16)');
  assert.equal(print(Uint8Array.of(0, 0xab)), "h'00ab'");
  assert.equal(print(new Uint8Array(0)), "h''");
  assert.equal(print([]), '[]');
  assert.equal(print(new Map()), '{}');
});

test('text strings are escaped so they parse back', () => {
  const s = 'a"b\\c\n\r\t\u0000\u007fé😀';
  assert.equal(print(s), '"a\\"b\\\\c\\n\\r\\t\\u0000\\u007fé😀"');
  assert.equal(toHex(ednToCbor(print(s))), toHex(encodeCbor(s)));
});

test('floats: special values, an always-visible fraction, and width indicators when not preferred', () => {
  const cases: [CborFloat | number, string][] = [
    [new CborFloat(1), '1.0'],
    [new CborFloat(-0), '-0.0'],
    [new CborFloat(NaN), 'NaN'],
    [new CborFloat(Infinity), 'Infinity'],
    [new CborFloat(-Infinity), '-Infinity'],
    [new CborFloat(1e21), '1.0e+21'],
    [new CborFloat(1.5e-7), '1.5e-7'],
    [new CborFloat(1, 4), '1.0_2'],
    [new CborFloat(1, 8), '1.0_3'],
    [new CborFloat(NaN, 4), 'NaN_2'],
    [0.5, '0.5'],
    [2 ** 70, '1.1805916207174113e+21'],
  ];
  for (const [v, text] of cases) {
    assert.equal(print(v), text);
    assert.equal(toHex(ednToCbor(text)), toHex(encodeCbor(v)), text);
  }
});

test('byte strings holding one array, map or tag that re-encodes exactly are shown as << >>', () => {
  assert.equal(print(fromHex('a10126')), '<< {1: -7} >>');
  assert.equal(print(fromHex('d28440a0f640')), "<< 18([h'', {}, null, h'']) >>");
  assert.equal(print(fromHex('01')), "h'01'"); // not a container
  assert.equal(print(fromHex('0102')), "h'0102'");
  assert.equal(print(fromHex('8101ff')), "h'8101ff'"); // trailing byte
  assert.equal(print(fromHex('980101')), "h'980101'"); // not preferred: would not re-encode the same
  assert.equal(print(fromHex('9f01ff')), "h'9f01ff'"); // indefinite
  assert.equal(print(fromHex('a201000100')), "h'a201000100'"); // duplicate keys
  assert.equal(printDiagnostic(fromHex('a10126'), { embedded: false }), "h'a10126'");
});

test('indent mode breaks long or nested containers and re-parses to the same bytes', () => {
  const v = decodeCbor(fromHex('a20183010203' + '02a1636b65795840' + '00'.repeat(64)));
  const text = printDiagnostic(v, { indent: 2 });
  assert.match(text, /^\{\n {2}1: \[1, 2, 3\],\n {2}2: \{\n {4}"key": h'0{128}'\n {2}\}\n\}$/);
  assert.equal(toHex(ednToCbor(text)), toHex(encodeCbor(v)));
});

test('the annotate hook sees each item with its role and parents, and its comments are safe', () => {
  const seen: string[] = [];
  const annotate = (n: DiagNode) => {
    seen.push(`${n.role}:${n.index}:${n.parent?.role ?? '-'}`);
    if (n.role === 'key' && n.key === 1) return 'one/two';
    if (n.role === 'embedded') return { after: 'inner' };
    return undefined;
  };
  const v = new Map<CborValue, CborValue>([[1, fromHex('820102')]]);
  const text = printDiagnostic(v, { annotate });
  assert.equal(text, '{/ one\u2215two / 1: << [1, 2] / inner / >>}');
  assert.deepEqual(seen, ['root:0:-', 'key:0:root', 'value:0:root', 'embedded:0:value', 'item:0:embedded', 'item:1:embedded']);
  assert.equal(toHex(ednToCbor(text)), toHex(encodeCbor(v)));
});

test('diagnose decodes then prints; values outside the model are ERR_CBOR_UNENCODABLE', () => {
  assert.equal(diagnose(fromHex('8201a0')), '[1, {}]');
  assert.throws(() => diagnose(fromHex('ff')), { code: 'ERR_CBOR_MALFORMED' });
  assert.throws(() => printDiagnostic({ a: 1 } as unknown as CborValue), { code: 'ERR_CBOR_UNENCODABLE' });
  assert.throws(() => printDiagnostic((() => 1) as unknown as CborValue), { code: 'ERR_CBOR_UNENCODABLE' });
  const cyclic: CborValue[] = [];
  cyclic.push(cyclic);
  assert.throws(() => printDiagnostic(cyclic), { code: 'ERR_CBOR_UNENCODABLE' });
});
