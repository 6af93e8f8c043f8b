/**
 * 0001: the initial TAM schema. Column types that differ between backends come from the dialect's
 * capabilities (store/dialect.ts); everything else is the same DDL on SQLite and PostgreSQL.
 *
 * Room for OTrP (draft-ietf-teep-opentrustprotocol-03): `trusted_components.format` tells SUIT TCs
 * from OTrP TAs, `inventory.protocol` keeps TEEP and OTrP entries side by side in one device
 * inventory, and `security_domains` holds the SDs a TAM owns on a device.
 */
import type { Kysely, Migration } from 'kysely';
import type { StoreDialect } from '../dialect.js';

export function initialSchema(d: StoreDialect): Migration {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('devices')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('subject', 'text')
        .addColumn('cert_thumbprint', d.binaryType, (c) => c.unique())
        .addColumn('ueid', d.binaryType, (c) => c.unique())
        .addColumn('hwmodel', d.binaryType)
        .addColumn('hwversion', 'text')
        .addColumn('last_attestation_result', 'text')
        .addColumn('last_attestation_detail', 'text')
        .addColumn('last_attestation_at', 'bigint')
        .addColumn('last_seen_at', 'bigint')
        .addColumn('blocked', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('decommissioned_at', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('trusted_components')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('component_id', d.binaryType, (c) => c.notNull().unique())
        .addColumn('name', 'text')
        .addColumn('format', 'text', (c) => c.notNull())
        .addColumn('manifest', d.binaryType, (c) => c.notNull())
        .addColumn('signer_subject', 'text', (c) => c.notNull())
        .addColumn('signer_thumbprint', d.binaryType, (c) => c.notNull())
        .addColumn('sequence_number', 'bigint', (c) => c.notNull())
        .addColumn('deprecated', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();

      // A TC named by a policy cannot be deleted (NO ACTION: SQLite reports RESTRICT as a trigger
      // failure, NO ACTION as a foreign-key failure, which the store maps to a conflict).
      await db.schema
        .createTable('policies')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tc_id', 'text', (c) => c.notNull().references('trusted_components.id'))
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('scope_kind', 'text', (c) => c.notNull())
        .addColumn('scope_key', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('policies_scope_tc_unique', ['scope_kind', 'scope_key', 'tc_id'])
        .execute();
      await db.schema.createIndex('policies_tc_id').on('policies').column('tc_id').execute();

      // No foreign key to devices: a session starts before the device is identified.
      await db.schema
        .createTable('sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('protocol', 'text', (c) => c.notNull())
        .addColumn('device_id', 'text')
        .addColumn('state', d.binaryType, (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sessions_expires_at').on('sessions').column('expires_at').execute();

      // The primary key makes every (kind, value) unique across all sessions: a value is used once.
      await db.schema
        .createTable('session_tokens')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('value', d.binaryType, (c) => c.notNull())
        .addColumn('session_id', 'text', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('consumed_at', 'bigint')
        .addPrimaryKeyConstraint('session_tokens_pk', ['kind', 'value'])
        .execute();
      await db.schema.createIndex('session_tokens_session_id').on('session_tokens').column('session_id').execute();

      await db.schema
        .createTable('security_domains')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('owner_tam', 'text', (c) => c.notNull())
        .addColumn('spid', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('security_domains_device_name_unique', ['device_id', 'name'])
        .execute();

      // Keyed by component id, not TC id: a tc-list may name components this TAM does not manage.
      await db.schema
        .createTable('inventory')
        .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id').onDelete('cascade'))
        .addColumn('protocol', 'text', (c) => c.notNull())
        .addColumn('component_id', d.binaryType, (c) => c.notNull())
        .addColumn('installed', 'integer', (c) => c.notNull())
        .addColumn('installed_seq', 'bigint')
        .addColumn('pending_action', 'text')
        .addColumn('pending_seq', 'bigint')
        .addColumn('pending_at', 'bigint')
        .addColumn('security_domain_id', 'text')
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('inventory_pk', ['device_id', 'protocol', 'component_id'])
        .execute();

      // No foreign key to devices: refusals of unknown devices are audited too.
      await db.schema
        .createTable('audit_log')
        .addColumn('id', d.autoIncrementType, (c) => d.autoIncrementPrimaryKey(c))
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('device_id', 'text')
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('decision', 'text', (c) => c.notNull())
        .addColumn('code', 'text')
        .addColumn('detail', 'text')
        .execute();
      await db.schema.createIndex('audit_log_device_id').on('audit_log').columns(['device_id', 'id']).execute();
    },

    async down(db: Kysely<any>): Promise<void> {
      for (const table of ['audit_log', 'inventory', 'security_domains', 'session_tokens', 'sessions', 'policies', 'trusted_components', 'devices']) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}
