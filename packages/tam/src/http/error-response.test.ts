import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CborError, InvalidArgument, OtrpError, cborErrors, coseErrors, otrpErrors, teepErrors } from '@otrp/core';
import { StoreConflict, StoreNotFound, StoreTokenExpired, StoreTokenUsed, StoreUnavailable } from '../store/errors.js';
import { ERROR_STATUS_TABLE, errorResponse, lookupStatus, normalizeError } from './error-response.js';
import { HttpMethodNotAllowed, HttpUnauthorized, HttpUnsupportedMediaType } from './errors.js';

class Hinted extends OtrpError {
  readonly code = 'ERR_TEEP_MALFORMED_MESSAGE';
  readonly httpStatus: number;
  constructor(status: number) {
    super('hinted');
    this.httpStatus = status;
  }
}

class Unlisted extends OtrpError {
  readonly code = 'ERR_SOMETHING_NEW';
}

test('messages the TAM drops are 204 with no body on the TEEP routes, and 4xx on the admin API', () => {
  const dropped = [
    new cborErrors.CborTruncated('x', { offset: 1 }),
    new teepErrors.TeepMalformedMessage('not a TEEP message'),
    new teepErrors.TeepBadCertificate('unknown CA'),
    new coseErrors.CoseSignatureInvalid(),
    new StoreTokenUsed('replay'),
    new StoreTokenExpired('late'),
    new StoreNotFound('no session'),
  ];
  for (const e of dropped) {
    const r = errorResponse(e, 'teep');
    assert.equal(r.status, 204, e.code);
    assert.equal(r.drop, true, e.code);
    assert.equal(r.message, '');
    assert.equal(r.code, e.code);
    const a = errorResponse(e, 'admin');
    assert.equal(a.drop, false);
    assert.ok(a.status >= 400 && a.status < 500, `${e.code} admin ${a.status}`);
  }
  assert.equal(errorResponse(new coseErrors.CoseSignatureInvalid(), 'admin').status, 422);
  assert.equal(errorResponse(new StoreNotFound('x'), 'admin').status, 404);
});

test('exact rows win over prefixes, the longest prefix wins, unknown codes fall to 500', () => {
  assert.equal(lookupStatus('ERR_TEEP_TEMPORARY_ERROR', 'teep'), 503);
  assert.equal(lookupStatus('ERR_TEEP_INVALID_FIELD', 'teep'), 204);
  assert.equal(lookupStatus('ERR_COSE_MALFORMED', 'admin'), 400);
  assert.equal(lookupStatus('ERR_COSE_NO_KEY', 'admin'), 422);
  assert.equal(lookupStatus('ERR_PKI_CA_STATE', 'teep'), 500);
  assert.equal(lookupStatus('ERR_PKI_WEAK_KEY', 'teep'), 204);
  assert.equal(lookupStatus('ERR_STORE_MIGRATION', 'admin'), 500);
  assert.equal(lookupStatus('ERR_NOPE', 'teep'), undefined);
  const r = errorResponse(new Unlisted('secret detail'), 'teep');
  assert.equal(r.status, 500);
  assert.equal(r.message, 'internal error');
  assert.equal(r.code, 'ERR_SOMETHING_NEW');
});

test('store failures: unavailable is 503 with Retry-After and a fixed message; conflicts differ per scope', () => {
  const r = errorResponse(new StoreUnavailable('connect ECONNREFUSED 10.0.0.1:5432'), 'teep');
  assert.equal(r.status, 503);
  assert.equal(r.headers['retry-after'], '5');
  assert.equal(r.message, 'service unavailable');
  assert.equal(r.logLevel, 'error');
  assert.equal(errorResponse(new StoreConflict('dup'), 'teep').status, 500);
  assert.equal(errorResponse(new StoreConflict('dup'), 'admin').status, 409);
  assert.equal(errorResponse(new InvalidArgument('bad'), 'admin').status, 400);
  assert.equal(errorResponse(new InvalidArgument('bad'), 'teep').status, 500);
});

test('anything that is not an OtrpError is 500 ERR_INTERNAL and reveals nothing', () => {
  for (const e of [new TypeError('x is undefined at /srv/tam.js'), 'a string', null, { code: 'ERR_FAKE' }]) {
    const r = errorResponse(e, 'teep');
    assert.equal(r.status, 500);
    assert.equal(r.code, 'ERR_INTERNAL');
    assert.equal(r.message, 'internal error');
  }
});

test('an httpStatus hint wins when it is 204 or 4xx/5xx; other hints are ignored; 204 is never an admin answer', () => {
  assert.equal(errorResponse(new Hinted(409), 'teep').status, 409);
  assert.equal(errorResponse(new Hinted(502), 'teep').status, 502);
  assert.equal(errorResponse(new Hinted(302), 'teep').status, 204); // falls back to the ERR_TEEP_* row
  assert.equal(errorResponse(new Hinted(200.5), 'teep').status, 204);
  assert.equal(errorResponse(new Hinted(204), 'admin').status, 400);
});

test('HTTP-layer errors carry their headers', () => {
  assert.deepEqual(errorResponse(new HttpMethodNotAllowed(['POST']), 'teep').headers, { allow: 'POST' });
  assert.equal(errorResponse(new HttpUnauthorized(), 'admin').headers['www-authenticate'], 'Bearer realm="otrp-tam"');
  assert.equal(errorResponse(new HttpUnauthorized('invalid_token'), 'admin').headers['www-authenticate'], 'Bearer realm="otrp-tam", error="invalid_token"');
  const r = errorResponse(new HttpUnsupportedMediaType(), 'teep');
  assert.equal(r.status, 415);
  assert.equal(r.logLevel, 'info');
});

test("Fastify's own errors are normalized to HTTP-layer codes", () => {
  const fst = (code: string, statusCode: number) => Object.assign(new Error('fst'), { code, statusCode });
  assert.equal((normalizeError(fst('FST_ERR_CTP_BODY_TOO_LARGE', 413)) as OtrpError).code, 'ERR_HTTP_PAYLOAD_TOO_LARGE');
  assert.equal((normalizeError(fst('FST_ERR_CTP_INVALID_MEDIA_TYPE', 415)) as OtrpError).code, 'ERR_HTTP_UNSUPPORTED_MEDIA_TYPE');
  assert.equal((normalizeError(fst('FST_ERR_CTP_INVALID_CONTENT_LENGTH', 400)) as OtrpError).code, 'ERR_HTTP_BAD_REQUEST');
  assert.equal(errorResponse(fst('FST_ERR_CTP_BODY_TOO_LARGE', 413), 'teep').status, 413);
  const boom = fst('FST_ERR_SOMETHING', 500);
  assert.equal(normalizeError(boom), boom);
  const cbor: unknown = new cborErrors.CborTruncated('x', { offset: 0 });
  assert.ok(cbor instanceof CborError);
  assert.equal(normalizeError(cbor), cbor);
});

/** The rows of a markdown table (optionally inside a doc comment) whose first cell is a code. */
function tableRows(text: string): string[][] {
  return text
    .split('\n')
    .map((l) => l.replace(/^ \* /, ''))
    .filter((l) => /^\| (ERR_|anything else)/.test(l))
    .map((l) => l.split('|').slice(1, 5).map((c) => c.trim()));
}

test('README-http.md and the doc comment of error-response.ts repeat the table row for row', () => {
  const readme = readFileSync(new URL('../../README-http.md', import.meta.url), 'utf8');
  const source = readFileSync(new URL('./error-response.ts', import.meta.url), 'utf8');
  const expected = ERROR_STATUS_TABLE.map((r) => [
    r.prefix ? `${r.code}*` : r.code,
    r.teep === 204 ? '204 (drop)' : String(r.teep),
    r.admin === 204 ? '204 (drop)' : String(r.admin),
    r.otrp === 204 ? '204 (drop)' : String(r.otrp),
  ]);
  expected.push(['anything else', '500', '500', '500']);
  assert.deepEqual(tableRows(readme), expected);
  assert.deepEqual(tableRows(source), expected);
});

test('otrp scope: refused OTrP responses end the exchange (204), config failures are 500, admin never drops', () => {
  assert.equal(lookupStatus('ERR_OTRP_REQUEST_INVALID', 'otrp'), 204);
  assert.equal(lookupStatus('ERR_JWS_SIGNATURE_INVALID', 'otrp'), 204);
  assert.equal(lookupStatus('ERR_JWE_DECRYPTION_FAILED', 'otrp'), 204);
  assert.equal(lookupStatus('ERR_JOSE_ALG_REFUSED', 'otrp'), 204);
  assert.equal(lookupStatus('ERR_TAM_OTRP_CONFIG', 'otrp'), 500);
  assert.equal(lookupStatus('ERR_TAM_OTRP_NO_SESSION', 'otrp'), 204);
  assert.equal(lookupStatus('ERR_JWS_SIGNATURE_INVALID', 'admin'), 422);
  const r = errorResponse(new otrpErrors.OtrpRequestInvalid('bad'), 'otrp');
  assert.equal(r.status, 204);
  assert.equal(r.drop, true);
  assert.equal(r.message, '');
  assert.equal(errorResponse(new otrpErrors.OtrpRequestInvalid('bad'), 'admin').status, 400);
  assert.equal(errorResponse(new HttpUnsupportedMediaType(), 'otrp').status, 415);
});
