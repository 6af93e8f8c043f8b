/**
 * Conformance over the drafts' examples (vectors/teep, vectors/suit; see their READMEs): every
 * .diag with a .hex of the same item encodes to exactly those bytes, and every CBOR .hex goes
 * decode -> print -> parse back to the same bytes. Sources: draft-ietf-teep-protocol-26 App. D-F,
 * draft-ietf-suit-manifest-37 App. B, draft-ietf-suit-trust-domains-12 App. B,
 * draft-ietf-suit-firmware-encryption-24 §6 and §9.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listVectors, readVectorHex, readVectorText } from '../test-support/vectors.js';
import { decodeCbor } from './cbor.js';
import { printDiagnostic } from './diag.js';
import { ednToCbor } from './edn.js';
import { annotateHex } from './annotate.js';
import { toHex } from './hex.js';

const DIRS = ['teep', 'teep/keys', 'teep/pre-26-numbering', 'suit/manifest', 'suit/firmware-encryption', 'suit/trust-domains', 'suit/keys'];
/** .hex files that are raw payloads, not CBOR (the READMEs say so). */
const NOT_CBOR = /^(tc_binary_.*|encrypted-payload-.*)\.hex$/;

/** The .hex that holds the item a .diag describes (vectors/suit/README.md: the signed envelope). */
function hexFor(dir: string, diag: string): string | undefined {
  const base = diag.replace(/\.diag$/, '');
  const names = listVectors(...dir.split('/'));
  for (const candidate of [`${base}.hex`, `${base}.signed.hex`, `${base}.severed-signed.hex`]) {
    if (base === 'example2' && candidate === 'example2.signed.hex') continue; // example2.diag is the severed one
    if (names.includes(candidate)) return candidate;
  }
  return undefined;
}

const pairs: { dir: string; diag: string; hex: string }[] = [];
const unpaired: { dir: string; diag: string }[] = [];
const cborHex: { dir: string; hex: string }[] = [];
for (const dir of DIRS) {
  for (const name of listVectors(...dir.split('/'))) {
    if (name.endsWith('.diag')) {
      const hex = hexFor(dir, name);
      if (hex) pairs.push({ dir, diag: name, hex });
      else unpaired.push({ dir, diag: name });
    } else if (name.endsWith('.hex') && !NOT_CBOR.test(name)) cborHex.push({ dir, hex: name });
  }
}

test('the vector sets are all there', () => {
  // 5 TEEP messages + 3 SUIT envelopes + EAT (fixed) + 4 keys, 5 pre-26 messages, 6 SUIT manifest
  // examples, 9 firmware-encryption items, 3 trust-domains examples, 6 SUIT keys.
  assert.equal(pairs.filter((p) => p.dir.startsWith('teep')).length, 18);
  assert.equal(pairs.filter((p) => p.dir.startsWith('suit')).length, 24);
  assert.ok(pairs.some((p) => p.dir === 'suit/manifest' && p.diag === 'example2.diag' && p.hex === 'example2.severed-signed.hex'));
});

for (const { dir, diag, hex } of pairs) {
  test(`${dir}/${diag} encodes to ${hex}, and ${hex} goes decode -> print -> parse to itself`, () => {
    const expected = toHex(readVectorHex(...dir.split('/'), hex));
    assert.equal(toHex(ednToCbor(readVectorText(...dir.split('/'), diag))), expected);
    const printed = printDiagnostic(decodeCbor(readVectorHex(...dir.split('/'), hex)), { indent: 2 });
    assert.equal(toHex(ednToCbor(printed)), expected);
  });
}

test('every CBOR .hex (also the unsigned and severable variants) round-trips and can be annotated', () => {
  assert.equal(cborHex.length, 49); // the 42 paired items + 5 unsigned + example2 signed and severed-unsigned
  for (const { dir, hex } of cborHex) {
    const bytes = readVectorHex(...dir.split('/'), hex);
    const printed = printDiagnostic(decodeCbor(bytes));
    assert.equal(toHex(ednToCbor(printed)), toHex(bytes), `${dir}/${hex}`);
    assert.match(annotateHex(bytes), /^[0-9a-f]{2,18} +# /, `${dir}/${hex}`);
  }
});

test('.diag files without a .hex still parse (SUIT reports, the KDF context)', () => {
  const names = unpaired.map((u) => `${u.dir}/${u.diag}`).sort();
  assert.deepEqual(names, ['suit/firmware-encryption/a128kw_kdf_context.diag', 'teep/eat_claims.diag', 'teep/suit_report_failure.diag', 'teep/suit_report_success.diag']);
  for (const { dir, diag } of unpaired) {
    if (diag === 'eat_claims.diag') continue;
    assert.ok(ednToCbor(readVectorText(...dir.split('/'), diag)).length > 0);
  }
});

test('teep/eat_claims.diag as printed in the draft is not valid EDN (a / inside a comment)', () => {
  assert.throws(() => ednToCbor(readVectorText('teep', 'eat_claims.diag')), (e: unknown) => {
    assert.equal((e as { code?: string }).code, 'ERR_EDN_SYNTAX');
    assert.deepEqual([(e as { line: number }).line, (e as { column: number }).column], [16, 44]);
    return true;
  });
});
