/** Negative and edge cases of the TEEP message codecs; every assertion is on an error `code`. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeCbor } from '../../wire/cbor.js';
import { CborTag, type CborValue } from '../../wire/cbor-value.js';
import { decodeTeepMessage, encodeTeepMessage } from './teep-message.js';
import { decodeUpdate, encodeUpdate } from './update.js';
import { encodeQueryRequest } from './query-request.js';
import { encodeQueryResponse } from './query-response.js';
import { encodeTeepError } from './teep-error.js';
import type { TeepProfileName } from '../profiles.js';

const TOKEN = new Uint8Array(16).fill(0xa5);
const SUITES: CborValue = [[[18, -9]], [[18, -19]]];
const PROFILES: CborValue = [[-16, -9, -29, -65534]];
const m = (entries: Array<[CborValue, CborValue]>): Map<CborValue, CborValue> => new Map(entries);
const raw = (v: CborValue): Uint8Array => encodeCbor(v);

function rejects(v: CborValue | Uint8Array, code: string, profile?: TeepProfileName): void {
  const bytes = v instanceof Uint8Array ? v : raw(v);
  assert.throws(() => decodeTeepMessage(bytes, { profile }), (e: unknown) => {
    assert.equal((e as { code?: string }).code, code, `${String(e)}`);
    return true;
  });
}

test('each required positional element missing', () => {
  rejects([1], 'ERR_TEEP_MISSING_FIELD');
  rejects([1, m([[19, TOKEN]])], 'ERR_TEEP_MISSING_FIELD');
  rejects([1, m([[19, TOKEN]]), SUITES], 'ERR_TEEP_MISSING_FIELD');
  rejects([1, m([[19, TOKEN]]), SUITES, PROFILES], 'ERR_TEEP_MISSING_FIELD');
  rejects([2], 'ERR_TEEP_MISSING_FIELD');
  rejects([3], 'ERR_TEEP_MISSING_FIELD');
  rejects([4], 'ERR_TEEP_MISSING_FIELD');
  rejects([5, m([])], 'ERR_TEEP_MISSING_FIELD'); // Error without err-code
  rejects([6, m([])], 'ERR_TEEP_MISSING_FIELD', 'pre-26');
});

test('wrong types', () => {
  rejects(m([]), 'ERR_TEEP_MALFORMED_MESSAGE');
  rejects(['1', m([])], 'ERR_TEEP_INVALID_FIELD');
  rejects([4, [19, TOKEN]], 'ERR_TEEP_INVALID_FIELD'); // options not a map
  rejects([4, m([[19, 'not bytes']])], 'ERR_TEEP_INVALID_FIELD');
  rejects([1, m([[19, TOKEN]]), [[18, -9]], PROFILES, 2], 'ERR_TEEP_INVALID_FIELD'); // suite not [+ [+ int]]
  rejects([1, m([[19, TOKEN]]), SUITES, [-16, -9], 2], 'ERR_TEEP_INVALID_FIELD'); // profile not [+ int]
  rejects([1, m([[19, TOKEN]]), SUITES, PROFILES, new Uint8Array([2])], 'ERR_TEEP_INVALID_FIELD');
  rejects([1, m([[19, TOKEN]]), SUITES, PROFILES, -1], 'ERR_TEEP_INVALID_FIELD');
  rejects([3, m([[9, [m([])]]])], 'ERR_TEEP_INVALID_FIELD'); // manifest-list entry must be bstr .cbor
  rejects([3, m([[11, new Uint8Array([0x41])]])], 'ERR_TEEP_INVALID_FIELD'); // err-msg as bstr
  rejects([3, m([[22, 'seven']])], 'ERR_TEEP_INVALID_FIELD');
  rejects([2, m([[7, [m([[1, 2]])]]])], 'ERR_TEEP_INVALID_FIELD'); // system-property-claims without key 0
  rejects([2, m([[13, [m([[16, 1]])]]])], 'ERR_TEEP_MISSING_FIELD'); // requested-tc-info without component-id
  rejects([2, m([[14, [[new Uint8Array(1), 'x']]]])], 'ERR_TEEP_INVALID_FIELD'); // component id [* bstr]
  rejects([4, m([[-1, 0]])], 'ERR_TEEP_INVALID_FIELD'); // option labels are uint
  rejects([4, m([['token', TOKEN]])], 'ERR_TEEP_INVALID_FIELD');
  rejects([4, m([]), 'extra'], 'ERR_TEEP_INVALID_FIELD'); // success has exactly two elements
});

test('sizes: token 8..64, challenge 8..512, texts, non-empty lists', () => {
  rejects([4, m([[19, new Uint8Array(65)]])], 'ERR_TEEP_FIELD_SIZE');
  rejects([4, m([[19, new Uint8Array(7)]])], 'ERR_TEEP_FIELD_SIZE');
  assert.equal(decodeTeepMessage(raw([4, m([[19, new Uint8Array(64)]])])).type, 'success');
  assert.equal(decodeTeepMessage(raw([4, m([[19, new Uint8Array(8)]])])).type, 'success');
  rejects([1, m([[2, new Uint8Array(513)]]), SUITES, PROFILES, 1], 'ERR_TEEP_FIELD_SIZE');
  rejects([1, m([[2, new Uint8Array(7)]]), SUITES, PROFILES, 1], 'ERR_TEEP_FIELD_SIZE');
  rejects([4, m([[10, 'x'.repeat(129)]])], 'ERR_TEEP_FIELD_SIZE');
  rejects([4, m([[10, '']])], 'ERR_TEEP_FIELD_SIZE');
  rejects([4, m([[10, 'é'.repeat(65)]])], 'ERR_TEEP_FIELD_SIZE'); // 130 UTF-8 bytes
  rejects([5, m([[21, 'x'.repeat(36)]]), 1], 'ERR_TEEP_FIELD_SIZE');
  rejects([1, m([[19, TOKEN], [3, []]]), SUITES, PROFILES, 2], 'ERR_TEEP_FIELD_SIZE');
  rejects([1, m([[19, TOKEN]]), [], PROFILES, 2], 'ERR_TEEP_FIELD_SIZE');
  rejects([1, m([[19, TOKEN], [3, [2 ** 32]]]), SUITES, PROFILES, 2], 'ERR_TEEP_FIELD_SIZE'); // version = uint .size 4
});

test('unknown message types', () => {
  rejects([0, m([])], 'ERR_TEEP_UNKNOWN_MESSAGE_TYPE');
  rejects([7, m([])], 'ERR_TEEP_UNKNOWN_MESSAGE_TYPE');
  rejects([4, m([])], 'ERR_TEEP_UNKNOWN_MESSAGE_TYPE', 'pre-26'); // 4 is reserved before -26
  assert.throws(() => decodeUpdate(raw([4, m([])])), { code: 'ERR_TEEP_UNEXPECTED_MESSAGE' });
});

test('not a bare TEEP message', () => {
  rejects(new Uint8Array([0xff]), 'ERR_TEEP_MALFORMED_MESSAGE');
  rejects(new Uint8Array([0x82, 0x04, 0xa0, 0x00]), 'ERR_TEEP_MALFORMED_MESSAGE'); // trailing byte
  rejects(new Uint8Array([]), 'ERR_TEEP_MALFORMED_MESSAGE');
  rejects(new CborTag(18, [new Uint8Array(0), m([]), raw([4, m([])]), new Uint8Array(64)]), 'ERR_TEEP_MALFORMED_MESSAGE');
});

test('token rule: bit clear needs a token; bit set may carry one (Passport); challenge only with the bit', () => {
  rejects([1, m([]), SUITES, PROFILES, 2], 'ERR_TEEP_TOKEN_REQUIRED');
  rejects([1, m([[3, [0]]]), SUITES, PROFILES, 0], 'ERR_TEEP_TOKEN_REQUIRED');
  rejects([1, m([[19, TOKEN], [2, new Uint8Array(16)]]), SUITES, PROFILES, 2], 'ERR_TEEP_INCONSISTENT_FIELDS');
  rejects([1, m([[19, TOKEN], [20, [0]]]), SUITES, PROFILES, 2], 'ERR_TEEP_INCONSISTENT_FIELDS');
  const passport = decodeTeepMessage(raw([1, m([[19, TOKEN]]), SUITES, PROFILES, 1]));
  assert.equal(passport.type === 'query-request' && passport.token?.length, 16);
  const bc = decodeTeepMessage(raw([1, m([[2, new Uint8Array(32)], [20, [0, 1]]]), SUITES, PROFILES, 1]));
  assert.equal(bc.type === 'query-request' && bc.challenge?.length, 32);
  // the encoder applies the same rule
  assert.throws(
    () => encodeQueryRequest({ supportedTeepCipherSuites: [[[18, -9]]], supportedSuitCoseProfiles: [[-16, -9, -29, -65534]], dataItemRequested: 2 }),
    { code: 'ERR_TEEP_TOKEN_REQUIRED' },
  );
});

test('Error: err-code rules', () => {
  rejects([5, m([]), 0], 'ERR_TEEP_INVALID_FIELD'); // 0 is reserved
  rejects([5, m([]), 5], 'ERR_TEEP_MISSING_FIELD'); // 5 needs supported-teep-cipher-suites
  rejects([5, m([]), 3], 'ERR_TEEP_MISSING_FIELD'); // 3 needs supported-freshness-mechanisms
  rejects([5, m([]), 4], 'ERR_TEEP_MISSING_FIELD'); // 4 needs versions
  rejects([5, m([]), 8], 'ERR_TEEP_MISSING_FIELD'); // 8 needs supported-suit-cose-profiles
  rejects([6, m([]), 5], 'ERR_TEEP_MISSING_FIELD', 'pre-26');
  const e5 = decodeTeepMessage(raw([5, m([[1, SUITES]]), 5]));
  assert.deepEqual(e5.type === 'error' && e5.supportedTeepCipherSuites, SUITES);
  const unknown = decodeTeepMessage(raw([5, m([]), 42])); // unknown codes are unknown errors, not failures
  assert.equal(unknown.type === 'error' && unknown.errCode, 42);
  assert.throws(() => encodeTeepError({ errCode: 4 }), { code: 'ERR_TEEP_MISSING_FIELD' });
});

test('unknown option labels are kept as extensions and re-encode in place', () => {
  const bytes = raw([4, m([[23, 'future'], [19, TOKEN], [1000, m([[1, 2]])]])]);
  const msg = decodeTeepMessage(bytes);
  assert.deepEqual(msg.extensions?.map(([k]) => k), [23, 1000]);
  assert.deepEqual(msg.optionOrder, [23, 'token', 1000]);
  assert.deepEqual(encodeTeepMessage(msg), bytes);
  // a label defined for another message is also just unknown here (manifest-list in a Success)
  const other = decodeTeepMessage(raw([4, m([[9, [new Uint8Array(1)]]])]));
  assert.deepEqual(other.extensions?.map(([k]) => k), [9]);
});

test('requested-tc-info: have-binary true needs tc-manifest-sequence-number; unknown keys refused', () => {
  const id = [new Uint8Array([1, 2])];
  rejects([2, m([[13, [m([[15, id], [17, true]])]]])], 'ERR_TEEP_INCONSISTENT_FIELDS');
  rejects([2, m([[13, [m([[15, id], [99, 1]])]]])], 'ERR_TEEP_INVALID_FIELD');
  const bytes = raw([2, m([[13, [m([[17, true], [16, 5], [15, id]])]]])]);
  const qr = decodeTeepMessage(bytes);
  assert.equal(qr.type === 'query-response' && qr.requestedTcList?.[0]?.tcManifestSequenceNumber, 5);
  assert.deepEqual(encodeTeepMessage(qr), bytes);
});

for (const profile of ['draft-26', 'pre-26'] as const) {
  test(`${profile}: every option of every message round-trips from objects`, () => {
    const report = raw(m([[2, TOKEN]]));
    const id = [new Uint8Array([0x54, 0x41])];
    const messages = [
      {
        type: 'query-request' as const,
        token: TOKEN,
        supportedFreshnessMechanisms: [0, 1],
        challenge: new Uint8Array(32).fill(1),
        versions: [0],
        attestationPayloadFormat: 'application/eat+cwt',
        attestationPayload: new Uint8Array([0xa0]),
        suitReports: [report],
        supportedTeepCipherSuites: [[[18, -9]], [[18, -19]]],
        supportedSuitCoseProfiles: [[-16, -9, -29, -65534]],
        dataItemRequested: 15,
      },
      {
        type: 'query-response' as const,
        token: TOKEN,
        selectedVersion: 0,
        attestationPayloadFormat: 'application/eat+cwt',
        attestationPayload: new Uint8Array([0xa0]),
        suitReports: [report],
        tcList: [m([[0, id], [3, new Uint8Array(3)]])],
        requestedTcList: [{ componentId: id, tcManifestSequenceNumber: 3, haveBinary: true }],
        unneededManifestList: [id, []],
        extList: [1],
        ...(profile === 'pre-26' ? { selectedTeepCipherSuite: [[18, -7]] } : {}),
      },
      {
        type: 'update' as const,
        token: TOKEN,
        unneededManifestList: [id],
        manifestList: [raw(m([[2, new Uint8Array(1)]]))],
        attestationPayloadFormat: 'application/eat+cwt',
        attestationPayload: new Uint8Array([0xa0]),
        errCode: 7,
        errMsg: 'attestation failed',
        errLang: 'en',
      },
      { type: 'success' as const, token: TOKEN, msg: 'ok', suitReports: [report] },
      {
        type: 'error' as const,
        token: TOKEN,
        errMsg: 'no common suite',
        errLang: 'en-GB',
        supportedTeepCipherSuites: [[[18, -19]]],
        supportedFreshnessMechanisms: [0],
        supportedSuitCoseProfiles: [[-16, -19, -29, 24]],
        challenge: new Uint8Array(8),
        versions: [0],
        suitReports: [report],
        errCode: 5,
      },
    ];
    for (const msg of messages) {
      const bytes = encodeTeepMessage(msg, { profile });
      const back = decodeTeepMessage(bytes, { profile });
      const { optionOrder, ...fields } = back as typeof back & { optionOrder?: unknown };
      assert.ok(Array.isArray(optionOrder));
      const expected = msg.type === 'query-response' ? { ...msg, requestedTcList: [{ ...msg.requestedTcList[0], order: ['componentId', 'tcManifestSequenceNumber', 'haveBinary'] }] } : msg;
      assert.deepEqual(fields, expected);
      assert.deepEqual(encodeTeepMessage(back, { profile }), bytes);
    }
  });
}

test('profile-specific labels and Update err-code numbering', () => {
  assert.throws(() => encodeQueryResponse({ selectedTeepCipherSuite: [[18, -9]] }), { code: 'ERR_TEEP_INVALID_FIELD' });
  const d26 = encodeUpdate({ errCode: 11, errMsg: 'x' });
  const p26 = encodeUpdate({ errCode: 17, errMsg: 'x' }, { profile: 'pre-26' });
  assert.deepEqual(d26, raw([3, m([[22, 11], [11, 'x']])]));
  assert.deepEqual(p26, raw([3, m([[23, 17], [12, 'x']])]));
  assert.throws(() => decodeTeepMessage(d26, { profile: 'nope' as TeepProfileName }), { code: 'ERR_INVALID_ARGUMENT' });
});

test('option label tables are per profile: alternating profiles keep each one\'s numbering', () => {
  // encode/decode remember a label table per (message, profile); using one profile must not change the other's.
  for (let i = 0; i < 2; i++) {
    assert.deepEqual(encodeUpdate({ errCode: 11, errMsg: 'x' }), raw([3, m([[22, 11], [11, 'x']])]));
    assert.deepEqual(encodeUpdate({ errCode: 17, errMsg: 'x' }, { profile: 'pre-26' }), raw([3, m([[23, 17], [12, 'x']])]));
    const qr26 = encodeQueryResponse({ selectedVersion: 0, attestationPayload: new Uint8Array([1]) });
    const qrPre = encodeQueryResponse({ selectedVersion: 0, attestationPayload: new Uint8Array([1]) }, { profile: 'pre-26' });
    assert.notDeepEqual(qr26, qrPre);
    assert.deepEqual(decodeTeepMessage(qr26), { type: 'query-response', selectedVersion: 0, attestationPayload: new Uint8Array([1]), optionOrder: ['selectedVersion', 'attestationPayload'] });
    assert.deepEqual(decodeTeepMessage(qrPre, { profile: 'pre-26' }), { type: 'query-response', selectedVersion: 0, attestationPayload: new Uint8Array([1]), optionOrder: ['selectedVersion', 'attestationPayload'] });
  }
});
