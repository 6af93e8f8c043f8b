/**
 * Property tests (fast-check): hostile bytes never crash the decoder with anything but an
 * OtrpError, and the round trips between the data model, CBOR bytes and EDN text are exact.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeCbor, encodeCbor } from './cbor.js';
import { CborFloat, CborSimple, CborTag, type CborValue } from './cbor-value.js';
import { printDiagnostic } from './diag.js';
import { ednToCbor } from './edn.js';
import { annotateHex } from './annotate.js';
import { toHex } from './hex.js';
import { isOtrpError } from '../errors.js';

const RUNS = 500;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const integer = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.maxSafeInteger(),
  fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n - 1n }).map((b) => (b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b)),
);
const float = fc.oneof(
  fc.double().map((v) => new CborFloat(v)),
  fc.float().map((v) => new CborFloat(v, 4)),
  fc.double().map((v) => new CborFloat(v, 8)),
  fc.constantFrom(0.5, 1.5, -2.25, 65504).map((v) => new CborFloat(v, 2)),
);
const simple = fc.oneof(fc.integer({ min: 0, max: 19 }), fc.integer({ min: 32, max: 255 })).map((n) => new CborSimple(n));
const text = fc.string({ unit: 'binary', maxLength: 12 }).filter((s) => !LONE_SURROGATE.test(s));
const keyId = (k: CborValue) => toHex(encodeCbor(k, { deterministic: true }));

const { item } = fc.letrec<{ item: CborValue; leaf: CborValue; container: CborValue }>((tie) => ({
  leaf: fc.oneof(integer, text, fc.uint8Array({ maxLength: 12 }), float, simple, fc.constantFrom<CborValue>(true, false, null, undefined)),
  container: fc.oneof(
    fc.array(tie('item'), { maxLength: 4 }),
    fc.uniqueArray(fc.tuple(tie('item'), tie('item')), { maxLength: 4, selector: ([k]) => keyId(k) }).map((entries) => new Map(entries)),
    fc.tuple(fc.oneof(fc.integer({ min: 0, max: 300 }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })), tie('item')).map(([t, v]) => new CborTag(t, v)),
    tie('item').map((v) => encodeCbor(v)), // bstr-wrapped CBOR
  ),
  item: fc.oneof({ depthSize: 'small', withCrossShrink: true }, tie('leaf'), tie('container')),
}));

function onlyOtrpErrors(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    if (!isOtrpError(e)) throw e;
  }
}

const decodeOptions = fc.record({ allowIndefinite: fc.boolean(), requirePreferred: fc.boolean(), maxDepth: fc.integer({ min: 1, max: 200 }) });

test('random bytes: decodeCbor returns or throws an OtrpError, nothing else', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), decodeOptions, (bytes, opts) => onlyOtrpErrors(() => decodeCbor(bytes, opts))),
    { numRuns: 1000 },
  );
});

test('mutated valid CBOR: decodeCbor and annotateHex throw only OtrpErrors', () => {
  const mutated = fc.tuple(item, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('set', 'insert', 'delete')), { minLength: 1, maxLength: 4 })).map(([v, edits]) => {
    const b = [...encodeCbor(v)];
    for (const [at, byte, op] of edits) {
      const i = at % (b.length + 1);
      if (op === 'set' && i < b.length) b[i] = byte;
      else if (op === 'insert') b.splice(i, 0, byte);
      else b.splice(i, 1);
    }
    return Uint8Array.from(b);
  });
  fc.assert(
    fc.property(mutated, decodeOptions, (bytes, opts) => {
      onlyOtrpErrors(() => decodeCbor(bytes, opts));
      onlyOtrpErrors(() => annotateHex(bytes));
    }),
    { numRuns: RUNS },
  );
});

test('random text: the EDN parser throws only OtrpErrors', () => {
  const ednish = fc.array(fc.constantFrom('[', ']', '{', '}', '(', ')', '<<', '>>', ',', ':', '_', '_1', '1', '-', '.', 'e', "h'", "'", '"', '/', '#', '\n', ' ', 'simple', 'NaN', '0x', 'b64', '24', '\\'), { maxLength: 30 }).map((a) => a.join(''));
  fc.assert(
    fc.property(fc.oneof(fc.string({ maxLength: 30 }), ednish), (s) => onlyOtrpErrors(() => ednToCbor(s))),
    { numRuns: 1000 },
  );
});

test('encode -> decode -> encode is the identity on bytes', () => {
  fc.assert(
    fc.property(item, fc.boolean(), (v, deterministic) => {
      const bytes = encodeCbor(v, { deterministic });
      assert.equal(toHex(encodeCbor(decodeCbor(bytes), { deterministic })), toHex(bytes));
      // Deterministic output is in preferred serialization by construction.
      if (deterministic) decodeCbor(bytes, { requirePreferred: true });
    }),
    { numRuns: RUNS },
  );
});

test('print -> parse gives the same bytes as encodeCbor (compact and indented, with a hook)', () => {
  fc.assert(
    fc.property(item, (v) => {
      const expected = toHex(encodeCbor(v));
      assert.equal(toHex(ednToCbor(printDiagnostic(v))), expected);
      const annotated = printDiagnostic(v, { indent: 2, annotate: (n) => (n.role === 'key' ? 'k/ey' : n.role === 'embedded' ? { after: 'e' } : undefined) });
      assert.equal(toHex(ednToCbor(annotated)), expected);
    }),
    { numRuns: RUNS },
  );
});

test('decoded arbitrary well-formed bytes print and parse back to their re-encoding', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 32 }), (bytes) => {
      let v: CborValue;
      try {
        v = decodeCbor(bytes, { allowIndefinite: true });
      } catch (e) {
        if (isOtrpError(e)) return;
        throw e;
      }
      assert.equal(toHex(ednToCbor(printDiagnostic(v))), toHex(encodeCbor(v)));
    }),
    { numRuns: 1000 },
  );
});
