/**
 * The PostgreSQL backend: a pg Pool under kysely's PostgresDialect. Several TAM nodes may share one
 * database (DESIGN.md "Storage"); the store's single-use and ordering guarantees rest on row locks
 * taken by conditional UPDATEs, not on process memory.
 */
import pg from 'pg';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type { DriverErrorKind, StoreDialect } from '../dialect.js';
import { KyselyStore } from '../kysely/kysely-store.js';
import type { Schema } from '../kysely/schema.js';
import { resolvePostgresConfig, type PostgresStoreConfig } from './postgres-config.js';

/** Node socket errors that mean the server cannot be reached. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'EAI_AGAIN']);

/**
 * SQLSTATE classes (PostgreSQL Appendix A): 23505 unique and 23503 foreign-key violations are
 * conflicts; 08 connection, 53 resources, 57P0x shutdown, 28 authorization, 3D000 missing database,
 * 40001/40P01 serialization failure and deadlock (transient) mean unavailable.
 */
function classifyPostgresError(e: unknown): DriverErrorKind {
  if (!(e instanceof Error)) return undefined;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (code === '23505' || code === '23503') return 'conflict';
    if (/^(08|53|28)/.test(code) || /^57P0/.test(code) || code === '3D000' || code === '40001' || code === '40P01') return 'unavailable';
    if (NETWORK_CODES.has(code)) return 'unavailable';
  }
  if (/Connection terminated|connection timeout|timeout expired|not queryable|after calling end on the pool|driver has already been destroyed/i.test(e.message)) {
    return 'unavailable';
  }
  return undefined;
}

export const postgresDialect: StoreDialect = Object.freeze<StoreDialect>({
  name: 'postgres',
  binaryType: 'bytea',
  autoIncrementType: 'bigint',
  autoIncrementPrimaryKey: (col) => col.primaryKey().generatedAlwaysAsIdentity(),
  rowLocks: true,
  classifyError: classifyPostgresError,
});

/** Creates a PostgreSQL-backed store; call `init()` before use. */
export function openPostgresStore(config: PostgresStoreConfig): KyselyStore {
  const c = resolvePostgresConfig(config);
  const pool = new pg.Pool({
    connectionString: c.connectionString,
    max: c.poolSize,
    connectionTimeoutMillis: c.connectTimeoutMs,
    // A startup parameter, so the path is set before any query on every new pooled connection.
    options: `-c search_path=${c.schema}`,
  });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', () => {});
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  return new KyselyStore({
    db,
    dialect: postgresDialect,
    clock: c.clock ?? Date.now,
    migrate: { schema: c.schema },
    prepare: async (k) => {
      try {
        await sql`create schema if not exists ${sql.id(c.schema)}`.execute(k);
      } catch (e) {
        // Two nodes starting at once: IF NOT EXISTS still races on the catalog (23505 / 42P06).
        const code = (e as { code?: unknown }).code;
        if (code !== '23505' && code !== '42P06') throw e;
      }
    },
  });
}
