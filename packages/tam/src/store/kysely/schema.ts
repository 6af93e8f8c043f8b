/**
 * The SQL tables as kysely sees them (created by store/migrations). Internal to the backends.
 * Byte columns are Buffers (SQLite BLOB, PostgreSQL BYTEA); int8 columns come back as numbers from
 * SQLite and as strings from pg, so reads go through `num()` in ./codec.ts; booleans are 0/1
 * integers on both backends; JSON is stored as text.
 */
import type { ColumnType, Generated } from 'kysely';

/** int8: pg returns a string, SQLite a number; written as a number. */
type Int8 = ColumnType<number | string, number, number>;
type Int8Null = ColumnType<number | string | null, number | null, number | null>;

export interface DevicesTable {
  id: string;
  subject: string | null;
  cert_thumbprint: Buffer | null;
  ueid: Buffer | null;
  hwmodel: Buffer | null;
  hwversion: string | null;
  last_attestation_result: string | null;
  last_attestation_detail: string | null;
  last_attestation_at: Int8Null;
  last_seen_at: Int8Null;
  blocked: number;
  decommissioned_at: Int8Null;
  created_at: Int8;
  updated_at: Int8;
}

export interface TrustedComponentsTable {
  id: string;
  component_id: Buffer;
  name: string | null;
  format: string;
  manifest: Buffer;
  signer_subject: string;
  signer_thumbprint: Buffer;
  sequence_number: Int8;
  deprecated: number;
  created_at: Int8;
  updated_at: Int8;
}

export interface PoliciesTable {
  id: string;
  tc_id: string;
  action: string;
  /** 'device' | 'hwmodel' | 'all' */
  scope_kind: string;
  /** The device id, the hwmodel in lowercase hex, or '' for all. */
  scope_key: string;
  created_at: Int8;
  updated_at: Int8;
}

export interface SessionsTable {
  id: string;
  protocol: string;
  device_id: string | null;
  state: Buffer;
  created_at: Int8;
  updated_at: Int8;
  expires_at: Int8;
}

export interface SessionTokensTable {
  kind: string;
  value: Buffer;
  session_id: string;
  created_at: Int8;
  expires_at: Int8;
  consumed_at: Int8Null;
}

export interface InventoryTable {
  device_id: string;
  protocol: string;
  component_id: Buffer;
  installed: number;
  installed_seq: Int8Null;
  pending_action: string | null;
  pending_seq: Int8Null;
  pending_at: Int8Null;
  security_domain_id: string | null;
  updated_at: Int8;
}

export interface SecurityDomainsTable {
  id: string;
  device_id: string;
  name: string;
  owner_tam: string;
  spid: string | null;
  created_at: Int8;
}

export interface AuditLogTable {
  id: Generated<number | string>;
  at: Int8;
  device_id: string | null;
  actor: string;
  action: string;
  decision: string;
  code: string | null;
  detail: string | null;
}

/** Migration 0002: a random stamp per table, rewritten with every change to that table. */
export interface ChangeStampsTable {
  name: string;
  stamp: Int8;
}

export interface Schema {
  devices: DevicesTable;
  trusted_components: TrustedComponentsTable;
  policies: PoliciesTable;
  sessions: SessionsTable;
  session_tokens: SessionTokensTable;
  inventory: InventoryTable;
  security_domains: SecurityDomainsTable;
  audit_log: AuditLogTable;
  change_stamps: ChangeStampsTable;
}
