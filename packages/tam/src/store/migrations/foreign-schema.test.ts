import { test } from 'node:test';
import assert from 'node:assert/strict';
import { foreignSchemaVanished } from './index.js';

const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });

test('a migration is retried only when another schema vanished mid-introspection, never for our own', () => {
  assert.equal(foreignSchemaVanished(pgError('3F000', 'schema "other_run" does not exist'), 'ours'), true);
  assert.equal(foreignSchemaVanished(pgError('42P01', 'relation "other_run.audit_log" does not exist'), 'ours'), true);
  assert.equal(foreignSchemaVanished(pgError('3F000', 'schema "ours" does not exist'), 'ours'), false);
  assert.equal(foreignSchemaVanished(pgError('42P01', 'relation "ours.audit_log" does not exist'), 'ours'), false);
  assert.equal(foreignSchemaVanished(pgError('42P01', 'relation "audit_log" does not exist'), 'ours'), false);
  assert.equal(foreignSchemaVanished(pgError('23505', 'duplicate key value'), 'ours'), false);
  assert.equal(foreignSchemaVanished(undefined, 'ours'), false);
});
