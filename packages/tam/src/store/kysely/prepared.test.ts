import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { sqliteDialect } from '../sqlite/sqlite-store.js';
import { StoreInternal } from '../errors.js';
import type { DirectExecutor, RepoContext } from './context.js';
import { prepared } from './prepared.js';
import type { Schema } from './schema.js';

async function context(): Promise<{ ctx: RepoContext; compiles: () => number }> {
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: new Database(':memory:') }) });
  await sql`create table audit_log (id integer primary key, at bigint not null, device_id text, actor text not null, action text not null, decision text not null, code text, detail text)`.execute(db);
  let compiles = 0;
  const counting = new Proxy(db, {
    get: (target, key, receiver) => {
      const v = Reflect.get(target, key, receiver) as unknown;
      if (key !== 'insertInto' && key !== 'selectFrom') return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      return (...a: unknown[]) => (compiles++, (v as (...a: unknown[]) => unknown).apply(target, a));
    },
  });
  return { ctx: { db: counting, dialect: sqliteDialect, clock: Date.now, closed: () => false, copies: {} }, compiles: () => compiles };
}

const insert = prepared((db, a: { at: number; action: string; code: string | null }) =>
  db.insertInto('audit_log').values({ at: a.at, device_id: null, actor: 'tam', action: a.action, decision: 'allow', code: a.code, detail: null }),
);
const byAction = prepared((db, a: { action: string; after: number }) =>
  db.selectFrom('audit_log').select(['at', 'actor', 'code']).where('action', '=', a.action).where('at', '>', a.after).orderBy('at'),
);

test('a prepared statement is built once and runs with each call’s values, constants kept', async () => {
  const { ctx, compiles } = await context();
  assert.equal(await insert.affected(ctx, { at: 1, action: 'a', code: null }), 1n);
  assert.equal(await insert.affected(ctx, { at: 2, action: 'b', code: 'X' }), 1n);
  assert.equal(await insert.affected(ctx, { at: 3, action: 'a', code: 'Y' }), 1n);
  assert.deepEqual(await byAction.rows(ctx, { action: 'a', after: 0 }), [
    { at: 1, actor: 'tam', code: null },
    { at: 3, actor: 'tam', code: 'Y' },
  ]);
  assert.deepEqual(await byAction.first(ctx, { action: 'b', after: 1 }), { at: 2, actor: 'tam', code: 'X' });
  assert.equal(await byAction.first(ctx, { action: 'b', after: 2 }), undefined);
  assert.equal(compiles(), 2, 'one build per statement, not per call');
});

test('an argument transformed inside the builder (so not a plain value) is refused at the first call', async () => {
  const { ctx } = await context();
  const bad = prepared((db, a: { action: string }) => db.selectFrom('audit_log').select('at').where('action', '=', `x-${a.action}`));
  await assert.rejects(bad.rows(ctx, { action: 'a' }), (e: unknown) => e instanceof StoreInternal && /argument action/.test(e.message));
});

test('inside a transaction the statement goes to the direct executor; outside, through kysely', async () => {
  const { ctx } = await context();
  const seen: (readonly unknown[])[] = [];
  const direct: DirectExecutor = (_sql, parameters) => (seen.push(parameters), { rows: [{ at: 9, actor: 'direct', code: null }] });
  const withDirect = { ...ctx, direct };
  assert.equal(await insert.affected(withDirect, { at: 1, action: 'a', code: null }), 1n);
  assert.deepEqual(seen, []);
  const inTx = await ctx.db.transaction().execute((trx) => byAction.rows({ ...withDirect, db: trx }, { action: 'a', after: 0 }));
  assert.deepEqual(inTx, [{ at: 9, actor: 'direct', code: null }]);
  assert.deepEqual(seen, [['a', 0]]);
  // A failing direct statement is a rejected promise, as from kysely.
  const failing = { ...ctx, direct: () => { throw new Error('disk I/O error'); } };
  await assert.rejects(ctx.db.transaction().execute((trx) => byAction.rows({ ...failing, db: trx }, { action: 'a', after: 0 })), /disk I\/O error/);
});
