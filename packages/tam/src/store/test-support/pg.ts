/**
 * PostgreSQL for tests, in one place for the store suite and the cross-package tests in tests/:
 *   OTRP_TEST_PG_URL   default postgres://postgres@127.0.0.1:5432/test
 *   OTRP_TEST_PG       "required": an unreachable server fails the run instead of skipping
 */
import pg from 'pg';

export const PG_URL = process.env['OTRP_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
export const PG_REQUIRED = process.env['OTRP_TEST_PG'] === 'required';

/** Undefined when the server answers, else the reason. */
export async function pgUnreachable(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message || e.constructor.name : String(e);
  } finally {
    await client.end().catch(() => {});
  }
}
