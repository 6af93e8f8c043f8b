/**
 * Conformance over vectors/teep: draft-ietf-teep-protocol-26 Appendix D (D.1 QueryRequest, D.3
 * QueryResponse, D.4 Update, D.5 Success, D.6 Error) with the draft-26 profile, and the same five
 * messages before the 2026-02 renumbering (vectors/teep/pre-26-numbering) with the pre-26 profile.
 * Each decodes and re-encodes to identical bytes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readVectorHex } from '../test-support/vectors.js';
import { decodeTeepMessage, encodeTeepMessage } from './messages/teep-message.js';
import type { TeepProfileName } from './profiles.js';

const MESSAGES = [
  ['query_request', 'query-request', 'D.1'],
  ['query_response', 'query-response', 'D.3'],
  ['update', 'update', 'D.4'],
  ['success', 'success', 'D.5'],
  ['error', 'error', 'D.6'],
] as const;

const SETS: ReadonlyArray<readonly [TeepProfileName, string[]]> = [
  ['draft-26', []],
  ['pre-26', ['pre-26-numbering']],
];

for (const [profile, dir] of SETS) {
  for (const [file, kind, section] of MESSAGES) {
    test(`${profile}: ${dir.concat(file).join('/')}.hex (-26 App. ${section}) decodes as ${kind} and re-encodes identically`, () => {
      const bytes = readVectorHex('teep', ...dir, `${file}.hex`);
      const m = decodeTeepMessage(bytes, { profile });
      assert.equal(m.type, kind);
      assert.ok('token' in m && m.token instanceof Uint8Array && m.token.length === 16, 'every App. D message carries the 16-byte token');
      assert.deepEqual(encodeTeepMessage(m, { profile }), bytes);
    });
  }
}

test('draft-26 App. D field values', () => {
  const qr = decodeTeepMessage(readVectorHex('teep', 'query_request.hex'));
  assert.equal(qr.type, 'query-request');
  if (qr.type !== 'query-request') return;
  assert.deepEqual(qr.versions, [0]);
  assert.deepEqual(qr.supportedTeepCipherSuites, [[[18, -9]], [[18, -19]]]);
  assert.equal(qr.supportedSuitCoseProfiles.length, 4);
  assert.equal(qr.dataItemRequested, 3);

  const up = decodeTeepMessage(readVectorHex('teep', 'update.hex'));
  assert.equal(up.type, 'update');
  if (up.type !== 'update') return;
  assert.equal(up.manifestList?.length, 1);
  // the envelope bytes are kept as received: a view into the message, starting with a CBOR map
  assert.equal(up.manifestList?.[0]?.[0], 0xa2);

  const err = decodeTeepMessage(readVectorHex('teep', 'error.hex'));
  assert.equal(err.type, 'error');
  if (err.type !== 'error') return;
  assert.equal(err.errCode, 11);
  assert.equal(err.errMsg, 'disk-full');

  const qresp = decodeTeepMessage(readVectorHex('teep', 'query_response.hex'));
  assert.equal(qresp.type, 'query-response');
  if (qresp.type !== 'query-response') return;
  assert.equal(qresp.selectedVersion, 0);
  assert.equal(qresp.attestationPayload?.length, 0);
  assert.equal(qresp.tcList?.length, 1);
});

test('pre-26 numbering: Error 6 with err-code 17, Update manifest-list at label 10', () => {
  const err = decodeTeepMessage(readVectorHex('teep', 'pre-26-numbering', 'error.hex'), { profile: 'pre-26' });
  assert.equal(err.type, 'error');
  if (err.type === 'error') {
    assert.equal(err.errCode, 17);
    assert.equal(err.errMsg, 'disk-full');
  }
  const up = decodeTeepMessage(readVectorHex('teep', 'pre-26-numbering', 'update.hex'), { profile: 'pre-26' });
  assert.equal(up.type === 'update' && up.manifestList?.length, 1);
});

test('a vector decoded with the wrong profile does not pass silently', () => {
  // pre-26 Success is type 5, which is Error in draft-26: an Error without err-code.
  assert.throws(() => decodeTeepMessage(readVectorHex('teep', 'pre-26-numbering', 'success.hex')), { code: 'ERR_TEEP_MISSING_FIELD' });
  // pre-26 Error is type 6, unknown in draft-26.
  assert.throws(() => decodeTeepMessage(readVectorHex('teep', 'pre-26-numbering', 'error.hex')), { code: 'ERR_TEEP_UNKNOWN_MESSAGE_TYPE' });
  // draft-26 Update read as pre-26: labels 9 and 19 are not Update options there, so they are unknown
  // optional parameters (kept, -26 §6) and the Update carries no manifests and no token.
  const up = decodeTeepMessage(readVectorHex('teep', 'update.hex'), { profile: 'pre-26' });
  assert.equal(up.type, 'update');
  assert.equal(up.type === 'update' && up.manifestList, undefined);
  assert.equal(up.token, undefined);
  assert.deepEqual(up.extensions?.map(([k]) => k), [19, 9]);
});
