/**
 * PostgreSQL for the end-to-end tests: OTRP_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/test),
 * one fresh schema per run through the store's `?schema=` URL parameter, dropped afterwards. When the
 * server is unreachable the PostgreSQL tests are skipped with a printed notice, unless
 * OTRP_TEST_PG=required, which makes them fail instead.
 */
import { randomBytes } from 'node:crypto';
import assert from 'node:assert/strict';
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

/**
 * Runs `run` with the store URL of a fresh schema, dropped afterwards; when the server does not answer,
 * skips the test with a printed notice (`what` names it), or fails it under OTRP_TEST_PG=required.
 */
export async function onFreshPostgres(t: { skip(reason: string): void }, what: string, run: (url: string) => Promise<void>): Promise<void> {
  const down = await pgUnreachable();
  if (down !== undefined) {
    if (PG_REQUIRED) assert.fail(`PostgreSQL at ${PG_URL} is unreachable (${down}) and OTRP_TEST_PG=required`);
    console.log(`# skipping ${what}: ${PG_URL} is unreachable (${down})`);
    t.skip(`PostgreSQL unreachable: ${down}`);
    return;
  }
  const { schema, url } = freshSchema();
  try {
    await run(url);
  } finally {
    await dropSchema(schema);
  }
}
