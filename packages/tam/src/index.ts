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
  TrustedComponentSummary,
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

// ---- admin ----
export { registerAdminApi, ADMIN_ROUTES } from './admin/admin-api.js';
export type { AdminApiDeps } from './admin/admin-deps.js';
export { checkTcUpload } from './admin/upload-check.js';
export type { SignerTrust, CheckedTcUpload } from './admin/upload-check.js';
export { checkOtrpTaUpload } from './admin/upload-check-otrp.js';
export type { CheckedOtrpTaUpload } from './admin/upload-check-otrp.js';
export { ADMIN_ACTOR } from './admin/audit.js';
export { SUIT_ENVELOPE_MEDIA_TYPES, RAW_UPLOAD_MEDIA_TYPES, DEFAULT_MAX_UPLOAD_BYTES } from './admin/upload-body.js';
export {
  AdminError,
  AdminInvalidUpload,
  AdminUnsupportedMediaType,
  AdminSignerChainMissing,
  AdminUnsupportedManifest,
  AdminSequenceNotHigher,
  AdminComponentConflict,
  AdminInvalidArgument,
} from './admin/errors.js';
export type { AnyAdminError, AdminErrorCode } from './admin/errors.js';

// ---- service ----
export { createCryptoCounter, countSubtleOperations, COUNT_CRYPTO_ENV } from './service/crypto-counts.js';
export type { CryptoCounter } from './service/crypto-counts.js';
export { TamService, TAM_ACTOR } from './service/tam-service.js';
export type { TamServiceOptions, ServiceLogger } from './service/tam-service.js';
export { startTamServer, adminTokenFromDataDir, ADMIN_TOKEN_FILE } from './service/server.js';
export type { TamServerOptions, RunningTamServer } from './service/server.js';
export { loadPkiTrust } from './service/trust.js';
export type { PkiTrust, PkiTrustOptions, TamKeys, EnrolledDeviceKey } from './service/trust.js';
export { parseTamConfig, parseListen, DEFAULT_LISTEN, DEFAULT_DATA_DIR, DEFAULT_PKI_DIR, LOG_LEVELS } from './service/config.js';
export type { TamFileConfig, ReferenceValuesConfig, LogLevel } from './service/config.js';
export { TamServiceError, TamDeviceBlocked, TamDeviceBackingOff, TamConfigInvalid, TamPkiUnusable } from './service/errors.js';
export type { AnyTamServiceError, TamServiceErrorCode } from './service/errors.js';
export { createTamLogger } from './service/logger.js';
export type { TamLoggerOptions } from './service/logger.js';

// ---- otrp ----
export { OtrpTamService } from './otrp/otrp-service.js';
export type { OtrpTamServiceOptions } from './otrp/otrp-service.js';
export { registerOtrp } from './otrp/register.js';
export type { RegisterOtrpOptions } from './otrp/register.js';
export { parseOtrpConfig, peerPolicy, anyPeerPolicy } from './otrp/otrp-config.js';
export type { OtrpTamConfig, OtrpPeerConfig } from './otrp/otrp-config.js';
export { loadOtrpPki } from './otrp/otrp-pki.js';
export type { OtrpPki, OtrpTamIdentity, OcspResponder } from './otrp/otrp-pki.js';
export { createOcspStapler } from './otrp/ocsp-stapler.js';
export type { OcspStapler, OcspStaplerOptions } from './otrp/ocsp-stapler.js';
export { encodeOtrpTaPackage, decodeOtrpTaPackage, taComponentId, taPackageVersion, OTRP_TA_FORMAT, OTRP_TA_MEDIA_TYPE, TA_PACKAGE_LIMITS } from './otrp/ta-package.js';
export type { OtrpTaPackage } from './otrp/ta-package.js';
export { planNext } from './otrp/otrp-plan.js';
export type { PlannedCommand } from './otrp/otrp-plan.js';
export { TamOtrpError, TamOtrpNoSession, TamOtrpPeerRefused, TamOtrpTaPackageInvalid, TamOtrpConfigInvalid } from './otrp/errors.js';
export type { TamOtrpErrorCode, AnyTamOtrpError } from './otrp/errors.js';
export { otrpRoutes, acceptsOtrp, OTRP_MEDIA_TYPE, OTRP_ROUTE, DEFAULT_OTRP_BODY_LIMIT } from './http/otrp-route.js';
export type { OtrpProtocolHandler, OtrpRouteOptions } from './http/otrp-route.js';
