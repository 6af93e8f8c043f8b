/**
 * The SQLite backend: better-sqlite3 under kysely's SqliteDialect. The database is opened lazily by
 * `init()` (so a bad path surfaces as ERR_STORE_UNAVAILABLE there), with the connection pragmas
 * (sqlite-config.ts) set before the first query.
 */
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { DriverErrorKind, StoreDialect } from '../dialect.js';
import { StoreUnavailable } from '../errors.js';
import type { DirectExecutor } from '../kysely/context.js';
import { KyselyStore } from '../kysely/kysely-store.js';
import type { Schema } from '../kysely/schema.js';
import { connectionPragmas, resolveSqliteConfig, type SqliteStoreConfig } from './sqlite-config.js';

/** better-sqlite3 result codes (https://www.sqlite.org/rescode.html) that mean the same to the store. */
const CONFLICT_CODES = new Set(['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY', 'SQLITE_CONSTRAINT_FOREIGNKEY']);
const UNAVAILABLE_PREFIXES = ['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_CANTOPEN', 'SQLITE_IOERR', 'SQLITE_FULL', 'SQLITE_READONLY', 'SQLITE_NOTADB', 'SQLITE_PERM'];

function classifySqliteError(e: unknown): DriverErrorKind {
  if (!(e instanceof Error)) return undefined;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (CONFLICT_CODES.has(code)) return 'conflict';
    if (UNAVAILABLE_PREFIXES.some((p) => code.startsWith(p))) return 'unavailable';
  }
  // better-sqlite3 throws TypeErrors for a closed handle or a missing directory.
  if (/database connection is not open|Cannot open database|driver has already been destroyed/i.test(e.message)) return 'unavailable';
  return undefined;
}

export const sqliteDialect: StoreDialect = Object.freeze<StoreDialect>({
  name: 'sqlite',
  binaryType: 'blob',
  autoIncrementType: 'integer',
  autoIncrementPrimaryKey: (col) => col.primaryKey().autoIncrement(),
  rowLocks: false,
  classifyError: classifySqliteError,
});

/** Distinct SQL texts whose prepared statements are kept (the store's queries are a few dozen shapes). */
const STATEMENT_CACHE_SIZE = 256;

/**
 * kysely's SQLite driver calls `prepare` for every query; compiling the same SQL again and again was
 * the largest single cost of the TAM under load (BENCHMARKS.md). This keeps the prepared statement
 * per SQL text (least recently used first out). Reusing a statement is safe here: the driver runs
 * each one to completion synchronously (`all`/`run`), and the store never streams (`iterate`).
 */
export function cachePreparedStatements(handle: Database.Database, size = STATEMENT_CACHE_SIZE): Database.Database {
  const prepare = handle.prepare.bind(handle);
  const cache = new Map<string, Database.Statement>();
  handle.prepare = ((sql: string) => {
    let stmt = cache.get(sql);
    if (stmt) {
      cache.delete(sql);
    } else {
      stmt = prepare(sql);
      if (cache.size >= size) cache.delete(cache.keys().next().value!);
    }
    cache.set(sql, stmt);
    return stmt;
  }) as Database.Database['prepare'];
  return handle;
}

/**
 * Runs one statement the way kysely's SQLite connection does (`all` for statements that return
 * rows, `run` otherwise), without its asynchronous executor (context.ts `direct`).
 */
function directExecutor(handle: () => Database.Database | undefined): DirectExecutor {
  return (sql, parameters) => {
    const db = handle();
    if (db === undefined) throw new StoreUnavailable('the SQLite database is not open');
    const stmt = db.prepare(sql);
    if (stmt.reader) return { rows: stmt.all(parameters) };
    const { changes } = stmt.run(parameters);
    return { numAffectedRows: BigInt(changes), rows: [] };
  };
}

/** Creates an SQLite-backed store; call `init()` before use. */
export function openSqliteStore(config: SqliteStoreConfig): KyselyStore {
  const c = resolveSqliteConfig(config);
  let opened: Database.Database | undefined;
  const db = new Kysely<Schema>({
    dialect: new SqliteDialect({
      database: async () => {
        const handle = new Database(c.path, { timeout: c.busyTimeoutMs });
        for (const pragma of connectionPragmas(c)) handle.pragma(pragma);
        opened = cachePreparedStatements(handle);
        return opened;
      },
    }),
  });
  return new KyselyStore({ db, dialect: sqliteDialect, clock: c.clock ?? Date.now, direct: directExecutor(() => (opened?.open ? opened : undefined)) });
}
