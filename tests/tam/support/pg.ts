/**
 * PostgreSQL for the end-to-end tests: OTRP_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/test),
 * one fresh schema per run through the store's `?schema=` URL parameter, dropped afterwards. When the
 * server is unreachable the PostgreSQL tests are skipped with a printed notice, unless
 * OTRP_TEST_PG=required, which makes them fail instead.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PG_REQUIRED, PG_URL, pgUnreachable } from '../../../packages/tam/src/store/test-support/pg.js';

export { PG_REQUIRED, PG_URL, pgUnreachable };

/** A new schema name and the store URL naming it. */
export function freshSchema(): { schema: string; url: string } {
  const schema = `otrp_e2e_${randomBytes(6).toString('hex')}`;
  const u = new URL(PG_URL);
  u.searchParams.set('schema', schema);
  return { schema, url: u.toString() };
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await client.end();
  }
}
