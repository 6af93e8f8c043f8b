// openStore: URL parsing, backend options, and failures that must be StoreErrors.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import pg from 'pg';
import { openStore } from './open-store.js';
import { connectionPragmas, resolveSqliteConfig } from './sqlite/sqlite-config.js';
import { PG_URL, testBackends } from './test-support/backends.js';

const dir = mkdtempSync(join(tmpdir(), 'otrp-open-store-'));
const BACKENDS = await testBackends();
const pgSkip = BACKENDS.find((b) => b.name === 'postgres')?.skip ?? (BACKENDS.some((b) => b.name === 'postgres') ? undefined : 'PostgreSQL not selected');
after(async () => {
  for (const b of BACKENDS) await b.dispose();
  rmSync(dir, { recursive: true, force: true });
});

test('unusable URLs and options are ERR_STORE_CONFIG', () => {
  for (const url of ['mysql://localhost/x', 'tam.db', 'sqlite:', '', 'postgres://[bad']) {
    assert.throws(() => openStore(url), { code: 'ERR_STORE_CONFIG' }, url);
  }
  assert.throws(() => openStore(42 as never), { code: 'ERR_STORE_CONFIG' });
  assert.throws(() => openStore('postgres://h/db?schema=Bad-Name'), { code: 'ERR_STORE_CONFIG' });
  assert.throws(() => openStore('postgres://h/db', { schema: 'x; drop table y' }), { code: 'ERR_STORE_CONFIG' });
  assert.throws(() => openStore('postgres://h/db?poolSize=0'), { code: 'ERR_STORE_CONFIG' });
  assert.throws(() => openStore('postgres://h/db?poolSize=many'), { code: 'ERR_STORE_CONFIG' });
  assert.throws(() => openStore('sqlite::memory:', { busyTimeoutMs: -1 }), { code: 'ERR_STORE_CONFIG' });
  assert.throws(() => openStore('sqlite::memory:', { journalMode: 'fast' as never }), { code: 'ERR_STORE_CONFIG' });
  assert.throws(() => openStore('sqlite::memory:', { walAutocheckpointPages: 1.5 }), { code: 'ERR_STORE_CONFIG' });
});

test('SQLite connection pragmas: defaults, a file versus :memory:, and the configured values', () => {
  assert.deepEqual(connectionPragmas(resolveSqliteConfig({ path: 'tam.db' })), ['journal_mode = wal', 'wal_autocheckpoint = 10000', 'synchronous = normal', 'foreign_keys = ON']);
  assert.deepEqual(connectionPragmas(resolveSqliteConfig({ path: ':memory:', synchronous: 'full' })), ['synchronous = full', 'foreign_keys = ON']);
  assert.deepEqual(connectionPragmas(resolveSqliteConfig({ path: 'tam.db', journalMode: 'delete', walAutocheckpointPages: 0 })).slice(0, 2), ['journal_mode = delete', 'wal_autocheckpoint = 0']);
});

test('sqlite:PATH creates a WAL database file by default', async () => {
  const file = join(dir, 'wal.db');
  const store = openStore(`sqlite:${file}`);
  assert.equal(store.backend, 'sqlite');
  await store.init();
  await store.devices.create({ id: 'd' });
  await store.close();
  const check = new Database(file, { readonly: true });
  try {
    assert.equal(check.pragma('journal_mode', { simple: true }), 'wal');
  } finally {
    check.close();
  }
});

test('sqlite journal mode is configurable', async () => {
  const file = join(dir, 'delete.db');
  const store = openStore(`sqlite:${file}`, { journalMode: 'delete', synchronous: 'full' });
  await store.init();
  await store.close();
  const check = new Database(file, { readonly: true });
  try {
    assert.equal(check.pragma('journal_mode', { simple: true }), 'delete');
  } finally {
    check.close();
  }
});

test('an SQLite path in a missing directory fails init with ERR_STORE_UNAVAILABLE', async () => {
  const store = openStore(`sqlite:${join(dir, 'no', 'such', 'dir', 'tam.db')}`);
  await assert.rejects(store.init(), { code: 'ERR_STORE_UNAVAILABLE' });
  await store.close();
});

test('an unreachable PostgreSQL fails init with ERR_STORE_UNAVAILABLE', async () => {
  const store = openStore('postgres://postgres@127.0.0.1:1/test', { connectTimeoutMs: 2000 });
  assert.equal(store.backend, 'postgres');
  await assert.rejects(store.init(), { code: 'ERR_STORE_UNAVAILABLE' });
  await store.close();
});

test('postgres URL ?schema= creates and uses that schema', { skip: pgSkip }, async () => {
  const schema = `otrp_test_${randomBytes(6).toString('hex')}`;
  const url = new URL(PG_URL);
  url.protocol = 'postgresql:';
  url.searchParams.set('schema', schema);
  url.searchParams.set('poolSize', '2');
  const store = openStore(url.toString());
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await store.init();
    await store.devices.create({ id: 'd' });
    const tables = await client.query('select table_name from information_schema.tables where table_schema = $1 order by table_name', [schema]);
    assert.ok(tables.rows.some((r: { table_name: string }) => r.table_name === 'devices'));
    assert.ok(tables.rows.some((r: { table_name: string }) => r.table_name === 'otrp_migration'));
    const rows = await client.query(`select id from ${schema}.devices`);
    assert.deepEqual(rows.rows, [{ id: 'd' }]);
  } finally {
    await store.close();
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.end();
  }
});
