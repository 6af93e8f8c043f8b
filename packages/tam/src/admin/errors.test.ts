// The admin error catalogue: each class through @otrp/tam's index, and the README's admin error
// table checked against what the server really answers for each code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { OtrpError } from '@otrp/core';
import * as tam from '../index.js';
import type { AdminErrorCode, AnyAdminError } from '../index.js';

const CLASSES: Record<string, [AdminErrorCode, number]> = {
  AdminInvalidUpload: ['ERR_ADMIN_INVALID_UPLOAD', 400],
  AdminUnsupportedMediaType: ['ERR_ADMIN_UNSUPPORTED_MEDIA_TYPE', 415],
  AdminSignerChainMissing: ['ERR_ADMIN_SIGNER_CHAIN_MISSING', 422],
  AdminUnsupportedManifest: ['ERR_ADMIN_UNSUPPORTED_MANIFEST', 422],
  AdminSequenceNotHigher: ['ERR_ADMIN_SEQUENCE_NOT_HIGHER', 409],
  AdminComponentConflict: ['ERR_ADMIN_COMPONENT_CONFLICT', 409],
  AdminInvalidArgument: ['ERR_ADMIN_INVALID_ARGUMENT', 400],
};

function instantiate(name: string): AnyAdminError {
  const Ctor = (tam as unknown as Record<string, new (m?: string, o?: { cause?: unknown }) => AnyAdminError>)[name];
  assert.ok(Ctor, `${name} is exported`);
  return new Ctor('msg', { cause: new Error('inner') });
}

test('every admin error is an OtrpError with a stable code and the status it is answered with', () => {
  for (const [name, [code, status]] of Object.entries(CLASSES)) {
    const e = instantiate(name);
    assert.ok(e instanceof tam.AdminError && e instanceof OtrpError, name);
    assert.equal(e.code, code);
    assert.equal(e.name, name);
    assert.equal(e.httpStatus, status);
    assert.equal(tam.errorResponse(e, 'admin').status, status, name);
  }
  assert.equal(typeof tam.registerAdminApi, 'function');
  assert.equal(typeof tam.checkTcUpload, 'function');
  assert.ok(tam.ADMIN_ROUTES.length >= 16);
});

class Coded extends OtrpError {
  constructor(readonly code: string) {
    super('synthetic');
  }
}

test('the README admin error table says what the server answers, and lists every admin code', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('### Admin error table'));
  const rows = [...section.matchAll(/^\| (ERR_[A-Z0-9_]+\*?) \| (\d{3}) \|/gm)].map((m) => [m[1]!, Number(m[2])] as const);
  assert.ok(rows.length >= 25, `found ${rows.length} rows`);
  const byCode = new Map<string, string>(Object.values(CLASSES).map(([code], i) => [code, Object.keys(CLASSES)[i]!]));
  for (const [code, status] of rows) {
    let actual: number;
    if (byCode.has(code)) actual = tam.errorResponse(instantiate(byCode.get(code)!), 'admin').status;
    else if (code === 'ERR_INTERNAL') actual = tam.errorResponse(new TypeError('x'), 'admin').status;
    else actual = tam.errorResponse(new Coded(code.endsWith('*') ? `${code.slice(0, -1)}SOMETHING_ELSE` : code), 'admin').status;
    assert.equal(actual, status, code);
  }
  for (const [code] of Object.values(CLASSES)) assert.ok(rows.some(([c]) => c === code), `${code} is documented`);
});
