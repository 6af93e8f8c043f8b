// The store's public surface through @otrp/tam's index: names, error codes, and the type shapes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OtrpError } from '@otrp/core';
import * as tam from '../index.js';
import type { AnyStoreError, Store, StoreErrorCode, StoreRepositories } from '../index.js';

test('every store error is an OtrpError with its stable code', () => {
  const expected: Record<string, StoreErrorCode> = {
    StoreNotFound: 'ERR_STORE_NOT_FOUND',
    StoreConflict: 'ERR_STORE_CONFLICT',
    StoreUnavailable: 'ERR_STORE_UNAVAILABLE',
    StoreMigrationFailed: 'ERR_STORE_MIGRATION',
    StoreInvalidArgument: 'ERR_STORE_INVALID_ARGUMENT',
    StoreConfigInvalid: 'ERR_STORE_CONFIG',
    StoreTokenUsed: 'ERR_STORE_TOKEN_USED',
    StoreTokenExpired: 'ERR_STORE_TOKEN_EXPIRED',
    StoreInternal: 'ERR_STORE_INTERNAL',
  };
  for (const [name, code] of Object.entries(expected)) {
    const Ctor = (tam as unknown as Record<string, new (m: string, o?: { cause?: unknown }) => AnyStoreError>)[name];
    assert.ok(Ctor, name);
    const cause = new Error('inner');
    const e = new Ctor('msg', { cause });
    assert.ok(e instanceof tam.StoreError && e instanceof OtrpError, name);
    assert.equal(e.code, code);
    assert.equal(e.name, name);
    assert.equal(e.cause, cause);
  }
});

test('openStore and the backend factories are exported', async () => {
  assert.equal(typeof tam.openStore, 'function');
  assert.equal(typeof tam.openSqliteStore, 'function');
  assert.equal(typeof tam.openPostgresStore, 'function');
  const store: Store = tam.openSqliteStore({ path: ':memory:' });
  await store.init();
  const repos: StoreRepositories = store;
  assert.deepEqual(Object.keys(repos).filter((k) => k !== 'backend').sort(), [
    'audit',
    'devices',
    'inventory',
    'policies',
    'securityDomains',
    'sessions',
    'trustedComponents',
  ]);
  await store.close();
});

// Type-level: the error code union is closed, so an unknown code does not compile.
// @ts-expect-error not a store error code
const notACode: StoreErrorCode = 'ERR_SOMETHING_ELSE';
void notACode;
