/**
 * `openStore(url)`: the one entry point the server and the CLI use (`--db sqlite:PATH|postgres://...`).
 *
 *   sqlite:PATH               a database file (created when missing), e.g. sqlite:/var/lib/otrp/tam.db
 *   sqlite::memory:           a private in-memory database (tests)
 *   postgres://USER@HOST:PORT/DB?schema=NAME&poolSize=N   (also postgresql://)
 *
 * `schema` and `poolSize` in the URL are the store's own options and are removed before the URL is
 * handed to pg; explicit `options` win over them.
 */
import { StoreConfigInvalid } from './errors.js';
import { openPostgresStore } from './postgres/postgres-store.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';
import type { SqliteJournalMode, SqliteSynchronous } from './sqlite/sqlite-config.js';
import type { Store, StoreOptions } from './store.js';
import type { KyselyStore } from './kysely/kysely-store.js';

export interface OpenStoreOptions extends StoreOptions {
  /** PostgreSQL: schema holding the tables (default 'public'). */
  schema?: string;
  /** PostgreSQL: maximum pooled connections (default 10). */
  poolSize?: number;
  /** PostgreSQL: connection timeout in ms (default 5000). */
  connectTimeoutMs?: number;
  /** SQLite: journal mode (default 'wal'). */
  journalMode?: SqliteJournalMode;
  /** SQLite: synchronous level (default 'normal'). */
  synchronous?: SqliteSynchronous;
  /** SQLite: busy timeout in ms (default 5000). */
  busyTimeoutMs?: number;
  /** SQLite: WAL pages that trigger a checkpoint (default 10000, 0 = never automatically). */
  walAutocheckpointPages?: number;
}

/** The store plus the operator's migration tools (not part of the domain interface). */
export type OpenedStore = Store & Pick<KyselyStore, 'migrateToLatest' | 'migrateDownTo' | 'appliedMigrations'>;

function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** Creates the store a URL names; call `init()` (connect + migrate) before use. */
export function openStore(url: string, options: OpenStoreOptions = {}): OpenedStore {
  if (typeof url !== 'string') throw new StoreConfigInvalid('store URL must be a string');
  if (url.startsWith('sqlite:')) {
    const { journalMode, synchronous, busyTimeoutMs, walAutocheckpointPages, clock } = options;
    return openSqliteStore(defined({ path: url.slice('sqlite:'.length), journalMode, synchronous, busyTimeoutMs, walAutocheckpointPages, clock }));
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch (e) {
      throw new StoreConfigInvalid('PostgreSQL URL is not a valid URL', { cause: e });
    }
    const urlSchema = parsed.searchParams.get('schema') ?? undefined;
    const urlPool = parsed.searchParams.get('poolSize');
    parsed.searchParams.delete('schema');
    parsed.searchParams.delete('poolSize');
    const poolSize = options.poolSize ?? (urlPool === null ? undefined : Number(urlPool));
    const { connectTimeoutMs, clock } = options;
    return openPostgresStore(defined({ connectionString: parsed.toString(), schema: options.schema ?? urlSchema, poolSize, connectTimeoutMs, clock }));
  }
  throw new StoreConfigInvalid('store URL must start with sqlite: or postgres://');
}
