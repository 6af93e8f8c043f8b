import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readVectorHex } from '../test-support/vectors.js';
import { processEnvelope } from './processor.js';
import { decodeReport, encodeReport } from './report.js';
import { signReport, verifyReport } from './report-sign.js';
import { keys, MemoryStorage, text, TEEP_SYSTEM } from './test-support/fixtures.js';
import { decodeCbor } from '../wire/cbor.js';
import { decodeEnvelope } from './envelope.js';

async function failureReport() {
  const r = await processEnvelope(readVectorHex('teep', 'suit_uri.hex'), {
    trust: { keys: [keys.signer()] }, storage: new MemoryStorage(), system: { ...TEEP_SYSTEM, classId: new Uint8Array(16) },
    nonce: text('teep-token'), fetch: () => new Uint8Array(),
  });
  assert.equal(r.ok, false);
  return r.report;
}

test('SUIT report of a failure: reference, nonce, result {code, record, reason}; encode/decode round trip', async () => {
  const report = await failureReport();
  assert.equal(report.reference.digest.algorithmId, -16);
  assert.notEqual(report.result, true);
  const bytes = encodeReport(report);
  const map = decodeCbor(bytes) as Map<number, unknown>;
  assert.deepEqual([...map.keys()], [2, 3, 4, 99]); // deterministic order
  const back = decodeReport(bytes);
  assert.deepEqual(back.nonce, text('teep-token'));
  assert.deepEqual(back.reference.digest.bytes, report.reference.digest.bytes);
  assert.deepEqual(back.result, report.result);
  if (back.result !== true) {
    assert.equal(back.result.reason, 10);
    assert.equal(back.result.record.section, 3); // the shared sequence (suit-common)
    // class-identifier is the last command of suit_uri's shared sequence: `... 02 0f` at its end.
    const env = decodeEnvelope(readVectorHex('teep', 'suit_uri.hex'));
    const common = (decodeCbor(env.manifestBytes) as Map<number, Uint8Array>).get(3)!;
    const shared = (decodeCbor(common) as Map<number, Uint8Array>).get(4)!;
    assert.deepEqual([...shared.subarray(shared.length - 2)], [0x02, 0x0f]);
    assert.equal(back.result.record.offset, shared.length - 2);
    assert.equal(back.result.code, 15); // ERR_SUIT_CLASS_MISMATCH in SUIT_RESULT_CODES
  }
});

test('records: reporting policy 15 on conditions adds success records and system-property claims', async () => {
  const r = await processEnvelope(readVectorHex('teep', 'suit_uri.hex'), {
    trust: { keys: [keys.signer()] }, storage: new MemoryStorage(), system: TEEP_SYSTEM,
    fetch: () => readVectorHex('teep', 'tc_binary_8d82573a-926d-4754-9353-32dc29997f74.ta.hex'),
  });
  assert.equal(r.ok, true);
  const claims = r.report.records.filter((x) => 'componentId' in x);
  const records = r.report.records.filter((x) => !('componentId' in x));
  assert.ok(claims.length >= 1);
  assert.ok(records.some((x) => 'section' in x && x.section === 20 && x.properties.has(3)));
  assert.deepEqual(decodeReport(encodeReport(r.report)).records.length, r.report.records.length);
});

test('signReport / verifyReport (COSE_Sign1); a wrong key is refused', async () => {
  const report = await failureReport();
  const signed = await signReport(report, keys.signerPriv(), -9);
  const back = await verifyReport(signed, keys.signer());
  assert.deepEqual(back.result, report.result);
  await assert.rejects(verifyReport(signed, keys.fwencDependencySigner()), { code: 'ERR_SUIT_AUTHENTICATION_FAILED' });
});

test('decodeReport rejects malformed input with typed errors', () => {
  assert.throws(() => decodeReport(new Uint8Array([0xa0])), { code: 'ERR_SUIT_MALFORMED' });
  assert.throws(() => decodeReport(new Uint8Array([0xff])), { code: 'ERR_SUIT_MALFORMED' });
});
