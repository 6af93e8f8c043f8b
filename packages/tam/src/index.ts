/**
 * @otrp/tam: the Trusted Application Manager server. Only what this file exports is public.
 */

// ---- store ----
export { openStore } from './store/open-store.js';
export type { OpenStoreOptions, OpenedStore } from './store/open-store.js';
export { openSqliteStore } from './store/sqlite/sqlite-store.js';
export type { SqliteStoreConfig, SqliteJournalMode, SqliteSynchronous } from './store/sqlite/sqlite-config.js';
export { openPostgresStore } from './store/postgres/postgres-store.js';
export type { PostgresStoreConfig } from './store/postgres/postgres-config.js';
export { KyselyStore } from './store/kysely/kysely-store.js';
export type {
  Store,
  StoreOptions,
  StoreRepositories,
  DeviceRepository,
  TrustedComponentRepository,
  PolicyRepository,
  SessionRepository,
  InventoryRepository,
  SecurityDomainRepository,
  AuditLog,
  AuditQuery,
  AuditPage,
} from './store/store.js';
export type {
  EpochMs,
  Protocol,
  JsonValue,
  DeviceRecord,
  DeviceIdentity,
  NewDevice,
  TcFormat,
  TrustedComponentRecord,
  NewTrustedComponent,
  TrustedComponentUpdate,
  PolicyAction,
  PolicyScope,
  PolicyRecord,
  PolicyInput,
  ResolvedPolicy,
  SessionTokenKind,
  SessionRecord,
  NewSession,
  SessionUpdate,
  SessionTokenRecord,
  NewSessionToken,
  ConsumedToken,
  InventoryState,
  InventoryEntry,
  PendingChange,
  TcListEntry,
  SecurityDomainRecord,
  NewSecurityDomain,
  AuditDecision,
  AuditEntry,
  NewAuditEntry,
  ListOptions,
} from './store/records.js';
export {
  StoreError,
  StoreNotFound,
  StoreConflict,
  StoreUnavailable,
  StoreMigrationFailed,
  StoreInvalidArgument,
  StoreConfigInvalid,
  StoreTokenUsed,
  StoreTokenExpired,
  StoreInternal,
} from './store/errors.js';
export type { AnyStoreError, StoreErrorCode } from './store/errors.js';
