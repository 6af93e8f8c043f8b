/**
 * What differs between the SQL backends, as capability values (kysely's `DialectAdapter` idea,
 * STYLE.md §4) rather than `if (postgres)` branches: migrations read the column types from here, and
 * the shared query code asks `classifyError` what a driver error means. Queries themselves are the
 * same on every backend.
 */
import type { ColumnDataType, ColumnDefinitionBuilder } from 'kysely';

/** The meaning of a driver error, as far as the store cares. */
export type DriverErrorKind = 'conflict' | 'unavailable' | undefined;

export interface StoreDialect {
  readonly name: 'sqlite' | 'postgres';
  /** Column type for byte strings: SQLite `blob`, PostgreSQL `bytea`. */
  readonly binaryType: ColumnDataType;
  /** Column type of an auto-incrementing primary key (SQLite `integer`, PostgreSQL `bigint`). */
  readonly autoIncrementType: ColumnDataType;
  /** Makes a column an auto-incrementing primary key (AUTOINCREMENT vs. GENERATED ... AS IDENTITY). */
  readonly autoIncrementPrimaryKey: (col: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;
  /**
   * Whether `SELECT ... FOR UPDATE` locks rows (PostgreSQL). Without row locks (SQLite) a writing
   * statement takes the database's one write lock instead.
   */
  readonly rowLocks: boolean;
  /** Unique/foreign-key violations are conflicts; connection and busy errors mean unavailable. */
  readonly classifyError: (e: unknown) => DriverErrorKind;
}
