import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { encodeCbor } from '@otrp/core';
import { StoreUnavailable, StoreTokenUsed } from '../store/errors.js';
import { closeGracefully, createTamHttpServer, listenTamHttpServer } from './server.js';
import { CONNECT_ANSWER, CountingTam } from './test-support/counting-tam.js';

const TEEP = 'application/teep+cbor';

function setup(options: { bodyLimit?: number; requireAccept?: boolean } = {}) {
  const tam = new CountingTam();
  const app = createTamHttpServer({ handler: tam, ...options });
  return { tam, app };
}

function assertTeepHeaders(headers: Record<string, unknown>): void {
  assert.equal(headers['content-type'], TEEP);
  assert.equal(headers['x-content-type-options'], 'nosniff');
  assert.equal(headers['content-security-policy'], "default-src 'none'");
  assert.equal(headers['referrer-policy'], 'no-referrer');
  // otrp-over-http-15 §4: "the Cache-Control header MUST NOT be used".
  assert.equal(headers['cache-control'], undefined);
}

test('an empty POST with only Accept opens a session: processConnect, 200, TEEP body, the -15 headers', async () => {
  const { tam, app } = setup();
  const res = await app.inject({ method: 'POST', url: '/tam', headers: { accept: TEEP } });
  assert.equal(res.statusCode, 200);
  assertTeepHeaders(res.headers);
  assert.deepEqual(new Uint8Array(res.rawPayload), CONNECT_ANSWER);
  assert.equal(tam.calls.length, 1);
  assert.equal(tam.calls[0]!.api, 'connect');
  assert.equal(tam.calls[0]!.ctx.profile, 'draft-26');
  await app.close();
});

test('an empty POST opens a session whatever its Content-Type (text/plain, curl form, JSON, unparseable)', async () => {
  const { tam, app } = setup();
  const types = ['text/plain', 'application/x-www-form-urlencoded', 'application/json', 'not a media type', TEEP];
  for (const type of types) {
    const res = await app.inject({ method: 'POST', url: '/tam', headers: { accept: TEEP, 'content-type': type }, payload: '' });
    assert.equal(res.statusCode, 200, type);
    assertTeepHeaders(res.headers);
    assert.deepEqual(new Uint8Array(res.rawPayload), CONNECT_ANSWER, type);
  }
  assert.deepEqual(tam.calls.map((c) => c.api), types.map(() => 'connect'));
  await app.close();
});

test('curl-like request (Accept */*, form Content-Type, Content-Length 0) opens a session', async () => {
  const { tam, app } = setup();
  const res = await app.inject({
    method: 'POST',
    url: '/tam',
    headers: { accept: '*/*', 'content-type': 'application/x-www-form-urlencoded', 'content-length': '0', 'user-agent': 'curl/8' },
  });
  assert.equal(res.statusCode, 200);
  assert.equal(tam.calls[0]?.api, 'connect');
  await app.close();
});

test('a non-empty body with a wrong or missing Content-Type is 415 and the TAM is not called', async () => {
  const { tam, app } = setup();
  const body = Buffer.from(encodeCbor([2, new Map()]));
  for (const headers of [{ 'content-type': 'text/plain' }, { 'content-type': 'application/cbor' }, {}]) {
    const res = await app.inject({ method: 'POST', url: '/tam', headers: { accept: TEEP, ...headers }, payload: body });
    assert.equal(res.statusCode, 415, JSON.stringify(headers));
    assert.equal(res.json().code, 'ERR_HTTP_UNSUPPORTED_MEDIA_TYPE');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
  }
  assert.equal(tam.calls.length, 0);
  await app.close();
});

test('a TEEP message reaches processTeepMessage as the exact received bytes (a Uint8Array, not a Buffer)', async () => {
  const { tam, app } = setup();
  const body = encodeCbor([2, new Map([[20, new Uint8Array(8).fill(7)]])]);
  const res = await app.inject({
    method: 'POST',
    url: '/tam',
    headers: { accept: TEEP, 'content-type': 'Application/TEEP+CBOR; x=1' },
    payload: Buffer.from(body),
  });
  assert.equal(res.statusCode, 200);
  assertTeepHeaders(res.headers);
  assert.deepEqual(new Uint8Array(res.rawPayload), encodeCbor([3, new Map([[20, body]])]));
  const call = tam.calls[0]!;
  assert.equal(call.api, 'message');
  assert.deepEqual(call.body, body);
  assert.equal(Buffer.isBuffer(call.body), false);
  await app.close();
});

test('when the TAM passes back nothing the answer is 204 with no body and no Content-Type', async () => {
  const { app } = setup();
  const res = await app.inject({ method: 'POST', url: '/tam', headers: { accept: TEEP, 'content-type': TEEP }, payload: Buffer.from(encodeCbor([5])) });
  assert.equal(res.statusCode, 204);
  assert.equal(res.rawPayload.length, 0);
  assert.equal(res.headers['content-type'], undefined);
  await app.close();
});

test('a body above the limit is 413 and the TAM is not called', async () => {
  const { tam, app } = setup({ bodyLimit: 64 });
  const ok = await app.inject({ method: 'POST', url: '/tam', headers: { 'content-type': TEEP }, payload: Buffer.from(encodeCbor([5])) });
  assert.equal(ok.statusCode, 204);
  const res = await app.inject({ method: 'POST', url: '/tam', headers: { 'content-type': TEEP }, payload: Buffer.alloc(65, 0x41) });
  assert.equal(res.statusCode, 413);
  assert.equal(res.json().code, 'ERR_HTTP_PAYLOAD_TOO_LARGE');
  assert.equal(tam.calls.length, 1);
  await app.close();
});

test("garbage that the TAM's decoder refuses is dropped: 204, as -15 §6.2 prescribes for no message", async () => {
  const { tam, app } = setup();
  const res = await app.inject({ method: 'POST', url: '/tam', headers: { 'content-type': TEEP }, payload: Buffer.from([0xff, 0x00, 0x13]) });
  assert.equal(tam.calls.length, 1); // the handler was called and threw a CborError
  assert.equal(res.statusCode, 204);
  assert.equal(res.rawPayload.length, 0);
  await app.close();
});

test('a replay (token already used) is dropped: 204', async () => {
  const { tam, app } = setup();
  tam.failWith = new StoreTokenUsed('token already consumed');
  const res = await app.inject({ method: 'POST', url: '/tam', headers: { 'content-type': TEEP }, payload: Buffer.from(encodeCbor([2])) });
  assert.equal(res.statusCode, 204);
  await app.close();
});

test('a store outage is 503 with Retry-After; an unexpected failure is 500 revealing nothing', async () => {
  const { tam, app } = setup();
  tam.failWith = new StoreUnavailable('connect ECONNREFUSED 10.1.2.3:5432');
  const r1 = await app.inject({ method: 'POST', url: '/tam' });
  assert.equal(r1.statusCode, 503);
  assert.equal(r1.headers['retry-after'], '5');
  assert.equal(r1.json().code, 'ERR_STORE_UNAVAILABLE');
  assert.doesNotMatch(r1.body, /10\.1\.2\.3/);
  tam.failWith = new TypeError("Cannot read properties of undefined (reading 'secretKey')");
  const r2 = await app.inject({ method: 'POST', url: '/tam', headers: { 'content-type': TEEP }, payload: Buffer.from(encodeCbor([2])) });
  assert.equal(r2.statusCode, 500);
  assert.deepEqual(r2.json(), { code: 'ERR_INTERNAL', message: 'internal error' });
  await app.close();
});

test('/tam/pre26 passes the pre-26 profile to both APIs', async () => {
  const { tam, app } = setup();
  const r1 = await app.inject({ method: 'POST', url: '/tam/pre26', headers: { accept: TEEP } });
  const r2 = await app.inject({ method: 'POST', url: '/tam/pre26', headers: { 'content-type': TEEP }, payload: Buffer.from(encodeCbor([2])) });
  assert.equal(r1.statusCode, 200);
  assert.equal(r2.statusCode, 200);
  assert.deepEqual(tam.calls.map((c) => [c.api, c.ctx.profile]), [['connect', 'pre-26'], ['message', 'pre-26']]);
  await app.close();
});

test('any method but POST is 405 with Allow: POST', async () => {
  const { tam, app } = setup();
  for (const [method, url] of [['GET', '/tam'], ['PUT', '/tam/pre26'], ['DELETE', '/tam'], ['HEAD', '/tam'], ['OPTIONS', '/tam']] as const) {
    const res = await app.inject({ method, url });
    assert.equal(res.statusCode, 405, `${method} ${url}`);
    assert.equal(res.headers['allow'], 'POST');
  }
  assert.equal(tam.calls.length, 0);
  await app.close();
});

test('an Accept that excludes application/teep+cbor is 406; an absent Accept is refused only when required', async () => {
  const { tam, app } = setup();
  for (const accept of ['application/json', 'application/teep+cbor;q=0, */*']) {
    const res = await app.inject({ method: 'POST', url: '/tam', headers: { accept } });
    assert.equal(res.statusCode, 406, accept);
    assert.equal(res.json().code, 'ERR_HTTP_NOT_ACCEPTABLE');
  }
  assert.equal((await app.inject({ method: 'POST', url: '/tam' })).statusCode, 200);
  assert.equal(tam.calls.length, 1);
  await app.close();
  const strict = setup({ requireAccept: true });
  assert.equal((await strict.app.inject({ method: 'POST', url: '/tam' })).statusCode, 406);
  assert.equal((await strict.app.inject({ method: 'POST', url: '/tam', headers: { accept: TEEP } })).statusCode, 200);
  await strict.app.close();
});

/** A raw request over a socket, with optional chunked body (no Content-Length). */
function rawPost(url: string, headers: Record<string, string>, chunks: Buffer[]): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
    });
    req.on('error', reject);
    for (const c of chunks) req.write(c);
    req.end();
  });
}

test('over a loopback socket: a full connect / message / done exchange, and chunked bodies', async () => {
  const { tam, app } = setup();
  const { url } = await listenTamHttpServer(app);
  try {
    const r1 = await fetch(`${url}/tam`, { method: 'POST', headers: { accept: TEEP } });
    assert.equal(r1.status, 200);
    assert.equal(r1.headers.get('content-type'), TEEP);
    assert.equal(r1.headers.get('referrer-policy'), 'no-referrer');
    assert.deepEqual(new Uint8Array(await r1.arrayBuffer()), CONNECT_ANSWER);
    const r2 = await fetch(`${url}/tam`, { method: 'POST', headers: { accept: TEEP, 'content-type': TEEP }, body: encodeCbor([2]) });
    assert.equal(r2.status, 200);
    await r2.arrayBuffer();
    const r3 = await fetch(`${url}/tam`, { method: 'POST', headers: { accept: TEEP, 'content-type': TEEP }, body: encodeCbor([5]) });
    assert.equal(r3.status, 204);
    // A body refused before it was read must not desynchronize the kept-alive connection.
    const r4 = await fetch(`${url}/tam`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x'.repeat(100_000) });
    assert.equal(r4.status, 415);
    await r4.arrayBuffer();
    const r5 = await fetch(`${url}/tam`, { method: 'POST', headers: { accept: TEEP, 'content-type': TEEP }, body: encodeCbor([5]) });
    assert.equal(r5.status, 204);
    // Chunked (no Content-Length): the type can only be checked once the body is read.
    const wrong = await rawPost(`${url}/tam`, { 'content-type': 'text/plain' }, [Buffer.from([0x82]), Buffer.from([0x02, 0x01])]);
    assert.equal(wrong.status, 415);
    const empty = await rawPost(`${url}/tam`, { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' }, []);
    assert.equal(empty.status, 200);
    const big = await rawPost(`${url}/tam`, { 'content-type': TEEP }, [Buffer.alloc(600 * 1024), Buffer.alloc(600 * 1024)]);
    assert.equal(big.status, 413);
    assert.deepEqual(tam.calls.map((c) => c.api), ['connect', 'message', 'message', 'message', 'connect']);
  } finally {
    await closeGracefully(app);
  }
});
