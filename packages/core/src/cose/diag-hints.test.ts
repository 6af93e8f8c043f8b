import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coseDiagHints } from './diag-hints.js';
import { printDiagnostic } from '../wire/diag.js';
import { decodeCbor, encodeCbor } from '../wire/cbor.js';
import { ednToCbor } from '../wire/edn.js';
import { fromHex, toHex } from '../wire/hex.js';
import { readVectorHex } from '../test-support/vectors.js';

const show = (hex: string) => printDiagnostic(decodeCbor(fromHex(hex)), { annotate: coseDiagHints });

test('COSE_Sign1: message, positions, decoded protected header, alg name', () => {
  // RFC 9052 App. C.2.1 shape: 18([<< {1: -7} >>, {4: '11'}, 'This is the content.', sig])
  const bytes = ednToCbor("18([<< {1: -7} >>, {4: '11'}, h'01', h'0203'])");
  assert.equal(
    printDiagnostic(decodeCbor(bytes), { annotate: coseDiagHints }),
    "/ COSE_Sign1 / 18([/ protected / << {/ alg / 1: -7 / ES256 /} >>, / unprotected / {/ kid / 4: h'3131'}, / payload / h'01', / signature / h'0203'])",
  );
});

test('every COSE message tag is named; header labels and algorithm values from the table', () => {
  const names: [number, string][] = [[16, 'COSE_Encrypt0'], [17, 'COSE_Mac0'], [18, 'COSE_Sign1'], [96, 'COSE_Encrypt'], [97, 'COSE_Mac'], [98, 'COSE_Sign']];
  for (const [tag, name] of names) assert.ok(show(toHex(ednToCbor(`${tag}([h'', {}, null, h''])`))).startsWith(`/ ${name} / ${tag}([`), name);
  const algs: [number, string][] = [[-7, 'ES256'], [-9, 'ESP256'], [-8, 'EdDSA'], [-19, 'Ed25519'], [-35, 'ES384'], [5, 'HMAC 256\u2215256'], [-3, 'A128KW'], [-5, 'A256KW'], [-29, 'ECDH-ES + A128KW'], [1, 'A128GCM'], [3, 'A256GCM'], [-65534, 'A128CTR'], [24, 'ChaCha20\u2215Poly1305']];
  for (const [alg, name] of algs) assert.ok(show(toHex(ednToCbor(`17([<< {1: ${alg}} >>, {}, null, h''])`))).includes(`1: ${alg} / ${name} /`), name);
  const labels = show(toHex(ednToCbor("18([h'', {2: [1], 3: 0, 5: h'', 6: h'', 33: h'', 34: [-16, h'']}, null, h''])")));
  for (const l of ['crit', 'content type', 'IV', 'Partial IV', 'x5chain', 'x5t']) assert.ok(labels.includes(`/ ${l} /`), l);
});

test('COSE_Sign signatures and COSE_Encrypt recipients are named at any depth', () => {
  const sign = show(toHex(ednToCbor("98([h'', {}, h'', [[<< {1: -9} >>, {4: h'01'}, h'ff']]])")));
  assert.match(sign, /\/ signatures \/ \[\[\/ protected \/ << \{\/ alg \/ 1: -9 \/ ESP256 \/\} >>, \/ unprotected \/ \{\/ kid \/ 4: h'01'\}, \/ signature \/ h'ff'\]\]/);
  const text = printDiagnostic(decodeCbor(readVectorHex('suit', 'firmware-encryption', 'suit-encryption-info-es-ecdh-aes-gcm.hex')), { annotate: coseDiagHints });
  assert.match(text, /\/ recipients \/ \[\[\/ protected \/ << \{\/ alg \/ 1: -29 \/ ECDH-ES \+ A128KW \/\} >>, \/ unprotected \/ \{\/ ephemeral key \/ -1: \{/);
  assert.match(text, /\{\/ kty \/ 1: 2 \/ EC2 \/, \/ crv \/ -1: 1 \/ P-256 \/, \/ x \/ -2: h'73024f/);
});

test('untagged arrays and maps outside header positions are not guessed', () => {
  const untagged = show(toHex(ednToCbor("[<< {1: -7} >>, {4: h'01'}, null, h'']")));
  assert.equal(untagged, "[<< {1: -7} >>, {4: h'01'}, null, h'']");
  // In the payload position a map with key 1 is not a header.
  const payload = show(toHex(ednToCbor("18([h'', {}, {1: -7}, h''])")));
  assert.ok(payload.includes('/ payload / {1: -7}'));
  // A protected header must be the bstr: an inline map at position 0 is not decoded or named.
  assert.ok(show(toHex(ednToCbor("18([{1: -7}, {}, null, h''])"))).includes('/ protected / {1: -7}'));
});

test('hinted output of the SUIT and TEEP vectors still parses to the same bytes', () => {
  for (const parts of [['teep', 'update.hex'], ['teep', 'suit_personalization.hex'], ['suit', 'manifest', 'example2.signed.hex']]) {
    const bytes = readVectorHex(...parts);
    const text = printDiagnostic(decodeCbor(bytes), { indent: 2, annotate: coseDiagHints });
    assert.match(text, /\/ COSE_(Sign1|Mac0) \//);
    assert.equal(toHex(ednToCbor(text)), toHex(encodeCbor(decodeCbor(bytes))));
    assert.equal(toHex(ednToCbor(text)), toHex(bytes));
  }
});
