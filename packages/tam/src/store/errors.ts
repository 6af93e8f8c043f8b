/**
 * Errors of the TAM store. Every failure that leaves a repository, a migration or `openStore` is a
 * StoreError with a stable `code`; driver errors (better-sqlite3, pg, kysely) are classified and kept
 * in `cause`, so callers never see a raw `SqliteError`, a pg `DatabaseError` or a TypeError.
 *
 * The HTTP edge maps these codes: NOT_FOUND -> 404, CONFLICT -> 409, INVALID_ARGUMENT -> 400,
 * UNAVAILABLE -> 503, token failures -> the protocol's replay handling (the message is dropped).
 */
import { OtrpError } from '@otrp/core';

/** Base class of every store error. */
export abstract class StoreError extends OtrpError {}

/** The addressed record (device, TC, policy, session, token, security domain) does not exist. */
export class StoreNotFound extends StoreError {
  readonly code = 'ERR_STORE_NOT_FOUND';
}

/**
 * The write contradicts existing state: a duplicate id or unique value (certificate thumbprint, UEID,
 * component id, token), a reference still in use, or a sequence number that is not higher.
 */
export class StoreConflict extends StoreError {
  readonly code = 'ERR_STORE_CONFLICT';
}

/** The database cannot be reached or used: connection refused, file not openable, busy, closed. */
export class StoreUnavailable extends StoreError {
  readonly code = 'ERR_STORE_UNAVAILABLE';
}

/** Applying or reverting a schema migration failed; the failed migration is named in the message. */
export class StoreMigrationFailed extends StoreError {
  readonly code = 'ERR_STORE_MIGRATION';
}

/** A caller passed a value the store cannot take (empty id, non-bytes, unsafe integer, bad limit). */
export class StoreInvalidArgument extends StoreError {
  readonly code = 'ERR_STORE_INVALID_ARGUMENT';
}

/** `openStore` got a URL or option it cannot use (unknown scheme, bad schema name, bad pool size). */
export class StoreConfigInvalid extends StoreError {
  readonly code = 'ERR_STORE_CONFIG';
}

/** A single-use token or challenge was already consumed: a replay (DESIGN.md "Invariants"). */
export class StoreTokenUsed extends StoreError {
  readonly code = 'ERR_STORE_TOKEN_USED';
}

/** A single-use token or challenge is past its expiry time and can no longer be consumed. */
export class StoreTokenExpired extends StoreError {
  readonly code = 'ERR_STORE_TOKEN_EXPIRED';
}

/** A database error the store could not classify (a bug or an unexpected server state). */
export class StoreInternal extends StoreError {
  readonly code = 'ERR_STORE_INTERNAL';
}

/** Every store error class, for `switch (err.code)`. */
export type AnyStoreError =
  | StoreNotFound
  | StoreConflict
  | StoreUnavailable
  | StoreMigrationFailed
  | StoreInvalidArgument
  | StoreConfigInvalid
  | StoreTokenUsed
  | StoreTokenExpired
  | StoreInternal;

/** The union of store error codes. */
export type StoreErrorCode = AnyStoreError['code'];
