import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { bearerAuth, bearerToken, generateAdminToken } from './admin-auth.js';
import { createTamHttpServer } from './server.js';
import { CountingTam } from './test-support/counting-tam.js';

const TOKEN = 'test-admin-token-0123456789abcdef';

/** A tiny admin API, as the admin task will register it. */
function admin(scope: FastifyInstance): void {
  scope.get('/devices', { schema: { summary: 'list devices', response: { 200: { type: 'array', items: { type: 'string' } } } } }, async () => ['d1']);
  scope.post('/tcs', { schema: { summary: 'upload a TC', body: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } } }, async (request) => request.body);
}

function server() {
  return createTamHttpServer({ handler: new CountingTam(), adminToken: TOKEN, admin });
}

test('admin routes: no token -> 401 with WWW-Authenticate: Bearer; wrong token -> 401 invalid_token; right token -> 200', async () => {
  const app = server();
  const none = await app.inject({ method: 'GET', url: '/admin/v1/devices' });
  assert.equal(none.statusCode, 401);
  assert.equal(none.headers['www-authenticate'], 'Bearer realm="otrp-tam"');
  assert.equal(none.json().code, 'ERR_HTTP_UNAUTHORIZED');
  for (const authorization of [`Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, 'Bearer short']) {
    const wrong = await app.inject({ method: 'GET', url: '/admin/v1/devices', headers: { authorization } });
    assert.equal(wrong.statusCode, 401, authorization);
    assert.equal(wrong.headers['www-authenticate'], 'Bearer realm="otrp-tam", error="invalid_token"');
  }
  const basic = await app.inject({ method: 'GET', url: '/admin/v1/devices', headers: { authorization: `Basic ${Buffer.from(`a:${TOKEN}`).toString('base64')}` } });
  assert.equal(basic.statusCode, 401);
  const ok = await app.inject({ method: 'GET', url: '/admin/v1/devices', headers: { authorization: `bearer ${TOKEN}` } });
  assert.equal(ok.statusCode, 200);
  assert.deepEqual(ok.json(), ['d1']);
  await app.close();
});

test('the token is checked before the body is read: an unauthenticated oversized upload is 401, not 413', async () => {
  const app = server();
  const res = await app.inject({ method: 'POST', url: '/admin/v1/tcs', headers: { 'content-type': 'application/json' }, payload: Buffer.alloc(2 * 1024 * 1024, 0x20) });
  assert.equal(res.statusCode, 401);
  const bad = await app.inject({ method: 'POST', url: '/admin/v1/tcs', headers: { authorization: `Bearer ${TOKEN}` }, payload: { nom: 1 } });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().code, 'ERR_HTTP_BAD_REQUEST');
  await app.close();
});

test('the TEEP routes and /metrics need no token when the admin API is on', async () => {
  const app = server();
  assert.equal((await app.inject({ method: 'POST', url: '/tam' })).statusCode, 200);
  assert.equal((await app.inject({ method: 'GET', url: '/metrics' })).statusCode, 200);
  await app.close();
});

test('/admin/v1/openapi.json needs no token and is an OpenAPI 3 document of every route', async () => {
  const app = server();
  const res = await app.inject({ method: 'GET', url: '/admin/v1/openapi.json' });
  assert.equal(res.statusCode, 200);
  const doc = res.json();
  assert.match(doc.openapi, /^3\.\d+\.\d+$/);
  assert.equal(typeof doc.info.title, 'string');
  assert.equal(typeof doc.info.version, 'string');
  assert.deepEqual(Object.keys(doc.paths).sort(), ['/admin/v1/devices', '/admin/v1/openapi.json', '/admin/v1/tcs', '/healthz', '/metrics', '/tam', '/tam/pre26']);
  // The 405 catch-alls are hidden: each TEEP resource documents POST only.
  assert.deepEqual(Object.keys(doc.paths['/tam']), ['post']);
  const post = doc.paths['/tam'].post;
  assert.ok(post.requestBody.content['application/teep+cbor']);
  assert.equal(post.requestBody.required, false);
  assert.ok(post.responses['200'].content['application/teep+cbor']);
  assert.ok(post.responses['204']);
  assert.ok(post.responses['415']);
  assert.deepEqual(doc.components.securitySchemes.bearerAuth, { type: 'http', scheme: 'bearer' });
  assert.deepEqual(doc.paths['/admin/v1/devices'].get.security, [{ bearerAuth: [] }]);
  assert.equal(doc.paths['/tam'].post.security, undefined);
  assert.equal(doc.paths['/admin/v1/openapi.json'].get.security, undefined);
  // Every operation has a responses object, as OpenAPI 3 requires.
  for (const [path, item] of Object.entries<Record<string, { responses?: object }>>(doc.paths)) {
    for (const [method, op] of Object.entries(item)) assert.equal(typeof op.responses, 'object', `${method} ${path}`);
  }
  await app.close();
});

test('the admin API cannot be turned on without a usable token', () => {
  assert.throws(() => createTamHttpServer({ handler: new CountingTam(), admin }), { code: 'ERR_HTTP_CONFIG' });
  assert.throws(() => createTamHttpServer({ handler: new CountingTam(), admin, adminToken: 'short' }), { code: 'ERR_HTTP_CONFIG' });
  assert.throws(() => bearerAuth(` ${TOKEN}`), { code: 'ERR_HTTP_CONFIG' });
});

test('bearerToken parses RFC 6750 credentials; generateAdminToken gives 43 base64url characters', () => {
  assert.equal(bearerToken('Bearer abc.DEF-_~+/=='), 'abc.DEF-_~+/==');
  assert.equal(bearerToken('BEARER  xyz'), 'xyz');
  assert.equal(bearerToken('Bearer'), undefined);
  assert.equal(bearerToken('Bearer a b'), undefined);
  assert.equal(bearerToken('Basic abc'), undefined);
  assert.equal(bearerToken(undefined), undefined);
  const t = generateAdminToken();
  assert.match(t, /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(t, generateAdminToken());
});
