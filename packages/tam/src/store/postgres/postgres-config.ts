/**
 * Configuration of the PostgreSQL backend (pg 8 pool). `schema` isolates one store inside a shared
 * database (one schema per test run, or per TAM deployment): `init()` creates it when missing and
 * every pooled connection starts with `search_path` set to it, so unqualified table names resolve there.
 */
import { StoreConfigInvalid } from '../errors.js';
import type { StoreOptions } from '../store.js';

export interface PostgresStoreConfig extends StoreOptions {
  /** A `postgres://` or `postgresql://` URL (libpq syntax as read by pg). */
  readonly connectionString: string;
  /** Maximum pooled connections. Default 10. */
  readonly poolSize?: number;
  /** Schema holding the tables: lowercase letters, digits, `_`, at most 63. Default 'public'. */
  readonly schema?: string;
  /** How long to wait for a new connection, in ms. Default 5000. */
  readonly connectTimeoutMs?: number;
}

export type ResolvedPostgresConfig = Readonly<Required<Omit<PostgresStoreConfig, 'clock'>>> & StoreOptions;

/** Unquoted identifiers only: the name goes into a startup option and into DDL. */
const SCHEMA_RE = /^[a-z_][a-z0-9_]{0,62}$/;

export function resolvePostgresConfig(config: PostgresStoreConfig): ResolvedPostgresConfig {
  const { connectionString, poolSize = 10, schema = 'public', connectTimeoutMs = 5000 } = config;
  if (typeof connectionString !== 'string' || !/^postgres(ql)?:\/\//.test(connectionString)) {
    throw new StoreConfigInvalid('PostgreSQL connectionString must start with postgres:// or postgresql://');
  }
  if (!Number.isSafeInteger(poolSize) || poolSize < 1 || poolSize > 1000) throw new StoreConfigInvalid('PostgreSQL poolSize must be an integer from 1 to 1000');
  if (typeof schema !== 'string' || !SCHEMA_RE.test(schema)) {
    throw new StoreConfigInvalid('PostgreSQL schema must match [a-z_][a-z0-9_]* and have at most 63 characters');
  }
  if (!Number.isSafeInteger(connectTimeoutMs) || connectTimeoutMs < 0) throw new StoreConfigInvalid('PostgreSQL connectTimeoutMs must be a non-negative integer');
  return Object.freeze({ ...config, connectionString, poolSize, schema, connectTimeoutMs });
}
