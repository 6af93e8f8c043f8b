/**
 * 0002: change stamps. A row per table whose content the TAM keeps in memory between messages;
 * every change to that table writes a new random stamp in the same transaction. A node compares
 * the stored stamp with the one its copy was read under (one indexed read instead of the table),
 * which also holds with several TAM nodes on one database. Random rather than a counter: a copy
 * made inside a transaction that then rolled back carries a stamp no committed state will have.
 *
 * Rows: `trusted_components` (the TC summaries the policy reads for every QueryResponse).
 */
import type { Kysely, Migration } from 'kysely';

export const changeStamps: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('change_stamps')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('stamp', 'bigint', (c) => c.notNull())
      .execute();
    await db.insertInto('change_stamps').values({ name: 'trusted_components', stamp: 0 }).execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropTable('change_stamps').execute();
  },
};
