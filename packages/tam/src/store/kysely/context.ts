/**
 * What every repository shares: the kysely handle (the root database or a transaction), the clock,
 * the dialect's capabilities, and the two wrappers that keep the store's contract: `guard` turns any
 * driver error into a StoreError, `atomic` runs several statements as one transaction (or joins the
 * caller's transaction).
 */
import type { Kysely, QueryResult, Transaction } from 'kysely';
import { OtrpError } from '@otrp/core';
import type { StoreDialect } from '../dialect.js';
import { StoreConflict, StoreInternal, StoreUnavailable, type StoreError } from '../errors.js';
import type { EpochMs, TrustedComponentSummary } from '../records.js';
import type { Schema } from './schema.js';

export interface RepoContext {
  readonly db: Kysely<Schema>;
  readonly dialect: StoreDialect;
  readonly clock: () => EpochMs;
  /** True once the store was closed. */
  readonly closed: () => boolean;
  /** Copies of tables kept between calls, shared by the store and its transactions. */
  readonly copies: StoreCopies;
  /**
   * Runs a compiled statement synchronously on the backend's only connection (SQLite). Prepared
   * statements use it inside a transaction, which holds that connection, instead of kysely's
   * asynchronous executor; outside one, kysely's connection lock decides who runs.
   */
  readonly direct?: DirectExecutor;
}

export type DirectExecutor = (sql: string, parameters: readonly unknown[]) => QueryResult<unknown>;

/** A table's rows as read under a change stamp (migration 0002). */
export interface StampedCopy<T> {
  readonly stamp: string;
  readonly rows: readonly T[];
}

export interface StoreCopies {
  summaries?: StampedCopy<TrustedComponentSummary>;
}

/**
 * Maps an error escaping the driver to a StoreError; StoreErrors and other OtrpErrors pass. (Not
 * `isOtrpError`: its duck typing would also pass Node's own `ERR_*` TypeErrors.)
 */
export function toStoreError(e: unknown, dialect: StoreDialect): Error {
  if (e instanceof OtrpError) return e;
  switch (dialect.classifyError(e)) {
    case 'conflict':
      return new StoreConflict('the change conflicts with stored data (duplicate or referenced record)', { cause: e });
    case 'unavailable':
      return new StoreUnavailable(`the ${dialect.name} database is unavailable`, { cause: e });
    default: {
      const detail = e instanceof Error ? `: ${e.message}` : '';
      return new StoreInternal(`unexpected ${dialect.name} error${detail}`, { cause: e });
    }
  }
}

/** Runs one repository operation with the store's error contract. */
export async function guard<T>(ctx: RepoContext, op: () => Promise<T>): Promise<T> {
  if (ctx.closed()) throw closedError();
  try {
    return await op();
  } catch (e) {
    throw toStoreError(e, ctx.dialect);
  }
}

export function closedError(): StoreError {
  return new StoreUnavailable('the store is closed');
}

/**
 * Runs `fn` in a transaction: the caller's when there is one, else a new one. `fn` gets the
 * transaction both as a kysely handle and as a context (for prepared statements, prepared.ts).
 */
export function atomic<T>(ctx: RepoContext, fn: (db: Kysely<Schema>, tx: RepoContext) => Promise<T>): Promise<T> {
  if (ctx.db.isTransaction) return fn(ctx.db, ctx);
  return ctx.db.transaction().execute((trx: Transaction<Schema>) => fn(trx, { ...ctx, db: trx }));
}
