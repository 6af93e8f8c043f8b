/**
 * Configuration of the SQLite backend (better-sqlite3 12). The defaults do not throttle the
 * protocol (issue 5): WAL journal and synchronous=NORMAL (durable across application crashes; a
 * power loss may lose the last commits, never corrupt the file), and a busy timeout so that a second
 * process (the CLI reading the TAM's database) waits instead of failing.
 *
 * Checkpoints: SQLite copies the WAL into the database (and syncs the file) when the WAL reaches
 * `walAutocheckpointPages`. The TAM rewrites the same few pages (sessions, tokens, the audit tail)
 * with every message, so a larger WAL copies each of them once for many messages, and the event loop
 * waits on fewer syncs: 10 000 pages (about 40 MB at 4 KiB pages) instead of SQLite's 1000.
 */
import { StoreConfigInvalid } from '../errors.js';
import type { StoreOptions } from '../store.js';

export type SqliteJournalMode = 'wal' | 'delete' | 'truncate' | 'persist' | 'memory';
export type SqliteSynchronous = 'off' | 'normal' | 'full' | 'extra';

export interface SqliteStoreConfig extends StoreOptions {
  /** A database file path (created when missing; its directory must exist), or ':memory:'. */
  readonly path: string;
  /** Default 'wal' (ignored for ':memory:'). */
  readonly journalMode?: SqliteJournalMode;
  /** Default 'normal'. */
  readonly synchronous?: SqliteSynchronous;
  /** How long a statement waits for another connection's lock, in ms. Default 5000. */
  readonly busyTimeoutMs?: number;
  /** WAL size in pages that triggers a checkpoint (0 = never automatically). Default 10000. */
  readonly walAutocheckpointPages?: number;
}

export type ResolvedSqliteConfig = Readonly<Required<Omit<SqliteStoreConfig, 'clock'>>> & StoreOptions;

const JOURNAL_MODES: readonly SqliteJournalMode[] = ['wal', 'delete', 'truncate', 'persist', 'memory'];
const SYNCHRONOUS: readonly SqliteSynchronous[] = ['off', 'normal', 'full', 'extra'];

/** Applies defaults and checks values; the result is frozen (kysely's `freeze` of dialect configs). */
export function resolveSqliteConfig(config: SqliteStoreConfig): ResolvedSqliteConfig {
  const { path, journalMode = 'wal', synchronous = 'normal', busyTimeoutMs = 5000, walAutocheckpointPages = 10_000 } = config;
  if (typeof path !== 'string' || path.length === 0) throw new StoreConfigInvalid('SQLite path must be a file path or :memory:');
  if (!JOURNAL_MODES.includes(journalMode)) throw new StoreConfigInvalid(`SQLite journalMode must be one of ${JOURNAL_MODES.join(', ')}`);
  if (!SYNCHRONOUS.includes(synchronous)) throw new StoreConfigInvalid(`SQLite synchronous must be one of ${SYNCHRONOUS.join(', ')}`);
  if (!Number.isSafeInteger(busyTimeoutMs) || busyTimeoutMs < 0) throw new StoreConfigInvalid('SQLite busyTimeoutMs must be a non-negative integer');
  if (!Number.isSafeInteger(walAutocheckpointPages) || walAutocheckpointPages < 0) throw new StoreConfigInvalid('SQLite walAutocheckpointPages must be a non-negative integer');
  return Object.freeze({ ...config, path, journalMode, synchronous, busyTimeoutMs, walAutocheckpointPages });
}

/** The pragmas each connection runs before its first query (foreign keys are off by default in SQLite). */
export function connectionPragmas(c: ResolvedSqliteConfig): string[] {
  return [
    ...(c.path === ':memory:' ? [] : [`journal_mode = ${c.journalMode}`, `wal_autocheckpoint = ${c.walAutocheckpointPages}`]),
    `synchronous = ${c.synchronous}`,
    'foreign_keys = ON',
  ];
}
