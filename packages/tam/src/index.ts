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

// ---- http ----
export { createTamHttpServer, listenTamHttpServer, closeGracefully, ADMIN_PREFIX } from './http/server.js';
export type { TamHttpServerOptions, ListenOptions, ListeningAddress, CloseOptions } from './http/server.js';
export type { TamProtocolHandler, TeepExchangeContext } from './http/tam-handler.js';
export { bearerAuth, bearerToken, generateAdminToken, MIN_ADMIN_TOKEN_LENGTH } from './http/admin-auth.js';
export { OPENAPI_PATH, BEARER_SCHEME, ERROR_BODY_SCHEMA } from './http/openapi.js';
export type { OpenApiOptions } from './http/openapi.js';
export { errorResponse, lookupStatus, ERROR_STATUS_TABLE } from './http/error-response.js';
export type { ErrorScope, ErrorResponse, ErrorStatusRow } from './http/error-response.js';
export { TEEP_MEDIA_TYPE } from './http/media-type.js';
export { TEEP_ROUTES, DEFAULT_TEEP_BODY_LIMIT } from './http/teep-route.js';
export {
  HttpError,
  HttpUnsupportedMediaType,
  HttpNotAcceptable,
  HttpPayloadTooLarge,
  HttpMethodNotAllowed,
  HttpUnauthorized,
  HttpBadRequest,
  HttpNotFound,
  HttpConfigInvalid,
  HttpListenFailed,
} from './http/errors.js';
export type { AnyHttpError, HttpErrorCode } from './http/errors.js';
