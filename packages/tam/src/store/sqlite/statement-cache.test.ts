import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { cachePreparedStatements } from './sqlite-store.js';

function counted(size?: number) {
  const db = new Database(':memory:');
  const texts: string[] = [];
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => (texts.push(sql), prepare(sql))) as typeof db.prepare;
  cachePreparedStatements(db, size);
  return { db, texts };
}

test('one prepare per distinct SQL text; the cached statement gives fresh results', () => {
  const { db, texts } = counted();
  db.prepare('create table t (v integer)').run();
  for (let i = 0; i < 5; i++) db.prepare('insert into t (v) values (?)').run(i);
  assert.deepEqual(db.prepare('select count(*) as n from t').get(), { n: 5 });
  db.prepare('insert into t (v) values (?)').run(9);
  assert.deepEqual(db.prepare('select count(*) as n from t').get(), { n: 6 });
  assert.deepEqual(texts, ['create table t (v integer)', 'insert into t (v) values (?)', 'select count(*) as n from t']);
});

test('the least recently used statement leaves first when the cache is full', () => {
  const { db, texts } = counted(2);
  const q = (n: number) => db.prepare(`select ${n} as v`).get();
  q(1); q(2); q(1); q(3); // 2 is the least recently used when 3 arrives
  q(1); q(2);
  assert.deepEqual(texts, ['select 1 as v', 'select 2 as v', 'select 3 as v', 'select 2 as v']);
  assert.deepEqual(q(2), { v: 2 });
});
