/**
 * The Store implemented once over kysely; the SQLite and PostgreSQL backends only build the kysely
 * instance and the dialect capabilities, so both run exactly this query code.
 */
import type { Kysely, Transaction } from 'kysely';
import type { StoreDialect } from '../dialect.js';
import { appliedMigrations, migrateDownTo, migrateToLatest, type MigrateOptions } from '../migrations/index.js';
import type { EpochMs } from '../records.js';
import type { Store, StoreRepositories } from '../store.js';
import { KyselyAuditLog } from './audit-log.js';
import { closedError, guard, toStoreError, type DirectExecutor, type RepoContext } from './context.js';
import { KyselyDeviceRepository } from './devices-repo.js';
import { KyselyInventoryRepository } from './inventory-repo.js';
import { KyselyPolicyRepository } from './policies-repo.js';
import type { Schema } from './schema.js';
import { KyselySecurityDomainRepository } from './security-domains-repo.js';
import { KyselySessionRepository } from './sessions-repo.js';
import { KyselyTrustedComponentRepository } from './trusted-components-repo.js';

export interface KyselyStoreConfig {
  readonly db: Kysely<Schema>;
  readonly dialect: StoreDialect;
  readonly clock: () => EpochMs;
  readonly migrate?: MigrateOptions;
  /** The backend's synchronous executor, when it has one connection (context.ts). */
  readonly direct?: DirectExecutor;
  /** Runs before migrations in `init()` (e.g. creating the PostgreSQL schema). */
  readonly prepare?: (db: Kysely<Schema>) => Promise<void>;
}

function repositories(ctx: RepoContext): StoreRepositories {
  return {
    devices: new KyselyDeviceRepository(ctx),
    trustedComponents: new KyselyTrustedComponentRepository(ctx),
    policies: new KyselyPolicyRepository(ctx),
    sessions: new KyselySessionRepository(ctx),
    inventory: new KyselyInventoryRepository(ctx),
    securityDomains: new KyselySecurityDomainRepository(ctx),
    audit: new KyselyAuditLog(ctx),
  };
}

export class KyselyStore implements Store {
  readonly backend: Store['backend'];
  readonly devices: StoreRepositories['devices'];
  readonly trustedComponents: StoreRepositories['trustedComponents'];
  readonly policies: StoreRepositories['policies'];
  readonly sessions: StoreRepositories['sessions'];
  readonly inventory: StoreRepositories['inventory'];
  readonly securityDomains: StoreRepositories['securityDomains'];
  readonly audit: StoreRepositories['audit'];
  readonly #config: KyselyStoreConfig;
  readonly #ctx: RepoContext;
  #closed = false;
  #closing: Promise<void> | undefined;

  constructor(config: KyselyStoreConfig) {
    this.#config = config;
    this.backend = config.dialect.name;
    this.#ctx = {
      db: config.db,
      dialect: config.dialect,
      clock: config.clock,
      closed: () => this.#closed,
      copies: {},
      ...(config.direct && { direct: config.direct }),
    };
    const repos = repositories(this.#ctx);
    this.devices = repos.devices;
    this.trustedComponents = repos.trustedComponents;
    this.policies = repos.policies;
    this.sessions = repos.sessions;
    this.inventory = repos.inventory;
    this.securityDomains = repos.securityDomains;
    this.audit = repos.audit;
  }

  init(): Promise<void> {
    return guard(this.#ctx, async () => {
      await this.#config.prepare?.(this.#config.db);
      await migrateToLatest(this.#config.db, this.#config.dialect, this.#config.migrate);
    });
  }

  /** Applies pending migrations; returns the names applied (none when up to date). */
  migrateToLatest(): Promise<string[]> {
    return guard(this.#ctx, () => migrateToLatest(this.#config.db, this.#config.dialect, this.#config.migrate));
  }

  /** Reverts migrations after `target` (all when omitted): an operator's tool, it drops data. */
  migrateDownTo(target?: string): Promise<string[]> {
    return guard(this.#ctx, () => migrateDownTo(this.#config.db, this.#config.dialect, target, this.#config.migrate));
  }

  /** Names of the applied migrations, in order. */
  appliedMigrations(): Promise<string[]> {
    return guard(this.#ctx, () => appliedMigrations(this.#config.db, this.#config.dialect, this.#config.migrate));
  }

  close(): Promise<void> {
    this.#closed = true;
    this.#closing ??= this.#config.db.destroy().catch((e: unknown) => {
      throw toStoreError(e, this.#config.dialect);
    });
    return this.#closing;
  }

  async transaction<T>(fn: (tx: StoreRepositories) => Promise<T>): Promise<T> {
    if (this.#closed) throw closedError();
    // The caller's own error must come back unchanged; only begin/commit failures are mapped.
    let thrown: { error: unknown } | undefined;
    try {
      return await this.#config.db.transaction().execute(async (trx: Transaction<Schema>) => {
        try {
          return await fn(repositories({ ...this.#ctx, db: trx }));
        } catch (error) {
          thrown = { error };
          throw error;
        }
      });
    } catch (e) {
      if (thrown !== undefined && e === thrown.error) throw e;
      throw toStoreError(e, this.#config.dialect);
    }
  }
}
