/**
 * The backends the store conformance suite runs against (kysely's DIALECTS idea, STYLE.md §4).
 *
 *   OTRP_TEST_BACKENDS   comma list, default "sqlite,postgres"
 *   OTRP_TEST_PG_URL     default postgres://postgres@127.0.0.1:5432/test
 *   OTRP_TEST_PG         "required": an unreachable PostgreSQL fails the run instead of skipping
 *
 * SQLite always runs (in memory, plus a temporary file for restart tests). PostgreSQL runs when
 * reachable, in one schema per test file run (random name), dropped by `dispose()`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStore, type OpenedStore } from '../open-store.js';
import type { EpochMs } from '../records.js';
import { PG_REQUIRED, PG_URL, pgUnreachable } from './pg.js';

export { PG_URL };

const WANTED = (process.env['OTRP_TEST_BACKENDS'] ?? 'sqlite,postgres').split(',').map((s) => s.trim());

/** Every table, children first. */
const TABLES = ['audit_log', 'inventory', 'security_domains', 'session_tokens', 'sessions', 'policies', 'trusted_components', 'devices'];

export interface OpenTestStoreOptions {
  /** Open the run's durable database (SQLite file / PostgreSQL schema) without clearing it. */
  persistent?: boolean;
  clock?: () => EpochMs;
}

export interface TestBackend {
  readonly name: 'sqlite' | 'postgres';
  /** Why this backend's tests are skipped; undefined when they run. */
  readonly skip: string | undefined;
  /** The URL `openStore` gets for the persistent database. */
  readonly url: string;
  /** An initialized store: empty unless `persistent`. Closed by `dispose()` if still open. */
  open(options?: OpenTestStoreOptions): Promise<OpenedStore>;
  /** Closes the stores, drops the PostgreSQL schema, removes the SQLite files. */
  dispose(): Promise<void>;
}

function sqliteBackend(): TestBackend {
  const dir = mkdtempSync(join(tmpdir(), 'otrp-store-'));
  const url = `sqlite:${join(dir, 'tam.db')}`;
  const opened: OpenedStore[] = [];
  return {
    name: 'sqlite',
    skip: undefined,
    url,
    async open(options = {}) {
      const store = openStore(options.persistent ? url : 'sqlite::memory:', options.clock ? { clock: options.clock } : {});
      opened.push(store);
      await store.init();
      return store;
    },
    async dispose() {
      for (const s of opened) await s.close().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function postgresBackend(skip: string | undefined): TestBackend {
  const schema = `otrp_test_${randomBytes(6).toString('hex')}`;
  const opened: OpenedStore[] = [];
  async function admin(statement: string): Promise<void> {
    const client = new pg.Client({ connectionString: PG_URL });
    client.on('error', () => {});
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  }
  return {
    name: 'postgres',
    skip,
    url: PG_URL,
    async open(options = {}) {
      const store = openStore(PG_URL, { schema, ...(options.clock ? { clock: options.clock } : {}) });
      opened.push(store);
      await store.init();
      if (!options.persistent) await admin(`truncate ${TABLES.map((t) => `${schema}.${t}`).join(', ')} restart identity cascade`);
      return store;
    },
    async dispose() {
      for (const s of opened) await s.close().catch(() => {});
      if (skip === undefined) await admin(`drop schema if exists ${schema} cascade`);
    },
  };
}

/** The backends selected by the environment; throws when PostgreSQL is required but unreachable. */
export async function testBackends(): Promise<TestBackend[]> {
  const backends: TestBackend[] = [];
  if (WANTED.includes('sqlite')) backends.push(sqliteBackend());
  if (WANTED.includes('postgres')) {
    const problem = await pgUnreachable();
    if (problem !== undefined && PG_REQUIRED) {
      throw new Error(`OTRP_TEST_PG=required, but PostgreSQL is not reachable at ${PG_URL}: ${problem}`);
    }
    if (problem !== undefined) {
      console.log(`# NOTICE: PostgreSQL store tests skipped: not reachable at ${PG_URL} (${problem}); set OTRP_TEST_PG=required to fail instead`);
    }
    backends.push(postgresBackend(problem === undefined ? undefined : `PostgreSQL not reachable at ${PG_URL}`));
  }
  return backends;
}

/** Bytes from text, for readable fixtures. */
export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** A clock the test moves by hand. */
export function fakeClock(start: EpochMs = 1_700_000_000_000): { now: () => EpochMs; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}
