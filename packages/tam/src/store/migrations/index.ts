/**
 * The ordered migrations of the TAM schema, shared by every backend (kysely `Migrator` with an
 * in-code provider, notes/dependencies.md §3.7). Names sort in application order; a released
 * migration is never edited, a change is a new entry.
 */
import { Migrator, NO_MIGRATIONS, type Kysely, type Migration, type MigrationResultSet } from 'kysely';
import type { StoreDialect } from '../dialect.js';
import { StoreMigrationFailed, StoreUnavailable } from '../errors.js';
import { initialSchema } from './0001-initial.js';
import { changeStamps } from './0002-change-stamps.js';

/** Kysely's bookkeeping tables, named for this project. */
export const MIGRATION_TABLE = 'otrp_migration';
export const MIGRATION_LOCK_TABLE = 'otrp_migration_lock';

export function storeMigrations(d: StoreDialect): Record<string, Migration> {
  return {
    '0001-initial': initialSchema(d),
    '0002-change-stamps': changeStamps,
  };
}

export interface MigrateOptions {
  /**
   * Where kysely keeps its bookkeeping tables (PostgreSQL schema). Needed when several schemas of one
   * database hold otrp stores: kysely otherwise finds another schema's table and skips creating its own.
   */
  schema?: string;
}

function migrator(db: Kysely<any>, d: StoreDialect, options: MigrateOptions): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => storeMigrations(d) },
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
    ...(options.schema === undefined ? {} : { migrationTableSchema: options.schema }),
  });
}

function check(set: MigrationResultSet, d: StoreDialect, what: string): string[] {
  if (set.error !== undefined) {
    if (d.classifyError(set.error) === 'unavailable') {
      throw new StoreUnavailable(`the ${d.name} database is unavailable`, { cause: set.error });
    }
    const failed = set.results?.find((r) => r.status === 'Error')?.migrationName;
    const reason = set.error instanceof Error ? `: ${set.error.message}` : '';
    throw new StoreMigrationFailed(`${what} failed${failed ? ` at migration ${failed}` : ''}${reason}`, { cause: set.error });
  }
  return (set.results ?? []).map((r) => r.migrationName);
}

/**
 * Applies every pending migration; returns the names applied (none when up to date).
 *
 * kysely's migrator lists the tables of every schema before it starts; when another schema is dropped
 * at that moment (PostgreSQL 3F000 or 42P01 naming a schema that is not ours: parallel test runs, each in its own
 * schema) that listing fails although our migration never touched it. Such a failure is retried.
 */
export async function migrateToLatest(db: Kysely<any>, d: StoreDialect, options: MigrateOptions = {}): Promise<string[]> {
  for (let attempt = 1; ; attempt++) {
    const set = await migrator(db, d, options).migrateToLatest();
    if (attempt < 4 && foreignSchemaVanished(set.error, options.schema)) continue;
    return check(set, d, 'migration');
  }
}

/** 3F000 `schema "s" does not exist` or 42P01 `relation "s.t" does not exist`, for a schema s that is not ours. */
export function foreignSchemaVanished(error: unknown, ours: string | undefined): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code !== '3F000' && code !== '42P01') return false;
  const message = (error as Error).message;
  const named = /schema "([^"]+)" does not exist/.exec(message)?.[1] ?? /relation "([^".]+)\.[^"]+" does not exist/.exec(message)?.[1];
  return named !== undefined && named !== ours;
}

/** Reverts migrations down to (and excluding) `target`, or all of them; returns the names reverted. */
export async function migrateDownTo(db: Kysely<any>, d: StoreDialect, target?: string, options: MigrateOptions = {}): Promise<string[]> {
  return check(await migrator(db, d, options).migrateTo(target ?? NO_MIGRATIONS), d, 'reverting migrations');
}

/** Names of the applied migrations, in order. */
export async function appliedMigrations(db: Kysely<any>, d: StoreDialect, options: MigrateOptions = {}): Promise<string[]> {
  const all = await migrator(db, d, options).getMigrations();
  return all.filter((m) => m.executedAt !== undefined).map((m) => m.name);
}
