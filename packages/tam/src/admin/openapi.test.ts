// The OpenAPI document lists every admin route with its methods and shapes, and is OpenAPI 3.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openStore } from '../store/open-store.js';
import { ADMIN_ROUTES } from './admin-api.js';
import { ADMIN_TOKEN, adminApp, createTestPki } from './test-support/admin-fixture.js';

type Doc = {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Record<string, any>>>;
  components: { securitySchemes: Record<string, { type: string; scheme: string }> };
};

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

test('GET /admin/v1/openapi.json needs no token and is a structurally valid OpenAPI 3 document', async () => {
  const store = openStore('sqlite::memory:');
  await store.init();
  const pki = await createTestPki();
  const app = adminApp(store, pki.trust);
  const res = await app.inject({ method: 'GET', url: '/admin/v1/openapi.json' });
  assert.equal(res.statusCode, 200);
  const doc = JSON.parse(res.body) as Doc;

  assert.match(doc.openapi, /^3\.\d+\.\d+$/);
  assert.equal(typeof doc.info.title, 'string');
  assert.equal(typeof doc.info.version, 'string');
  assert.deepEqual(doc.components.securitySchemes['bearerAuth'], { type: 'http', scheme: 'bearer' });

  // OpenAPI 3 structure: every operation has responses keyed by status, every path parameter is declared.
  for (const [path, item] of Object.entries(doc.paths)) {
    assert.ok(path.startsWith('/'), path);
    for (const [method, op] of Object.entries(item)) {
      if (method === 'parameters') continue;
      assert.ok(METHODS.includes(method), `${path}: ${method}`);
      assert.ok(op['responses'] && Object.keys(op['responses']).length > 0, `${method} ${path} has responses`);
      for (const status of Object.keys(op['responses'])) assert.match(status, /^([1-5]\d\d|default)$/, `${method} ${path} ${status}`);
      for (const name of [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1])) {
        const p = (op['parameters'] ?? []).find((x: { name: string; in: string }) => x.name === name && x.in === 'path');
        assert.ok(p && p.required === true, `${method} ${path} declares path parameter ${name}`);
      }
    }
  }

  // Every admin route is listed with its method, the bearer scheme, a 200/201/204 shape and a 401.
  for (const r of ADMIN_ROUTES) {
    const path = `/admin/v1${r.url.replace(/:([a-zA-Z]+)/g, '{$1}')}`;
    const op = doc.paths[path]?.[r.method.toLowerCase()];
    assert.ok(op, `${r.method} ${path} is in the document`);
    assert.deepEqual(op['security'], [{ bearerAuth: [] }], `${r.method} ${path} needs the token`);
    assert.ok(['200', '201', '204'].some((s) => s in op['responses']), `${r.method} ${path} documents its success`);
    assert.ok('401' in op['responses'], `${r.method} ${path} documents 401`);
    assert.deepEqual(op['responses']['401']['content']['application/json']['schema']['required'], ['code', 'message']);
  }
  // ...and nothing under /admin/v1 is undocumented (apart from the document itself).
  const documented = Object.entries(doc.paths)
    .filter(([p]) => p.startsWith('/admin/v1/') && p !== '/admin/v1/openapi.json')
    .flatMap(([p, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${p}`));
  const expected = ADMIN_ROUTES.map((r) => `${r.method} /admin/v1${r.url.replace(/:([a-zA-Z]+)/g, '{$1}')}`);
  assert.deepEqual(documented.sort(), [...expected].sort());

  const upload = doc.paths['/admin/v1/tcs']!['post']!;
  assert.deepEqual(Object.keys(upload['requestBody']['content']).sort(), ['application/json', 'application/octet-stream', 'application/suit-envelope+cose', 'application/vnd.otrp-ta+json']);
  assert.deepEqual(upload['requestBody']['content']['application/vnd.otrp-ta+json']['schema']['format'], 'binary');
  assert.deepEqual(upload['requestBody']['content']['application/json']['schema']['properties']['format']['enum'], ['suit', 'otrp-ta']);
  assert.deepEqual(upload['requestBody']['content']['application/suit-envelope+cose']['schema']['format'], 'binary');
  assert.equal(upload['responses']['422']['content']['application/json']['schema']['type'], 'object');
  const tc = upload['responses']['201']['content']['application/json']['schema'];
  assert.ok(['id', 'componentId', 'sequenceNumber', 'signerSubject', 'deprecated'].every((k) => k in tc['properties']));
  assert.equal(tc['properties']['name']['nullable'], true);
  assert.ok(ADMIN_TOKEN.length >= 16);
  await app.close();
  await store.close();
});
