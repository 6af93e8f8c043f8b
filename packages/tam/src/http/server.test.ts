import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpsRequest } from 'node:https';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { createCaCertificate, encodeCbor, encodePem, exportPrivateKeyPem, issueCertificate } from '@otrp/core';
import { closeGracefully, createTamHttpServer, listenTamHttpServer } from './server.js';
import { CountingTam } from './test-support/counting-tam.js';

const TEEP = 'application/teep+cbor';

/** The value of one sample line of a Prometheus text exposition, or undefined. */
function sample(text: string, name: string, labels: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

test('/metrics counts exchanges by route, kind and outcome, errors by code, and latency', async () => {
  const tam = new CountingTam();
  const app = createTamHttpServer({ handler: tam, bodyLimit: 32 });
  await app.inject({ method: 'POST', url: '/tam' });
  await app.inject({ method: 'POST', url: '/tam' });
  await app.inject({ method: 'POST', url: '/tam/pre26', headers: { 'content-type': TEEP }, payload: Buffer.from(encodeCbor([5])) });
  await app.inject({ method: 'POST', url: '/tam', headers: { 'content-type': TEEP }, payload: Buffer.from([0xff]) });
  await app.inject({ method: 'POST', url: '/tam', headers: { 'content-type': 'text/plain' }, payload: 'x' });
  await app.inject({ method: 'POST', url: '/tam', headers: { 'content-type': TEEP }, payload: Buffer.alloc(33) });
  const res = await app.inject({ method: 'GET', url: '/metrics' });
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^text\/plain/);
  const m = res.body;
  assert.equal(sample(m, 'otrp_tam_exchanges_total', 'route="/tam",kind="connect",outcome="message"'), 2);
  assert.equal(sample(m, 'otrp_tam_exchanges_total', 'route="/tam/pre26",kind="message",outcome="done"'), 1);
  assert.equal(sample(m, 'otrp_tam_exchanges_total', 'route="/tam",kind="message",outcome="dropped"'), 1);
  assert.equal(sample(m, 'otrp_tam_exchanges_total', 'route="/tam",kind="refused",outcome="rejected"'), 2);
  assert.ok((sample(m, 'otrp_tam_errors_total', 'code="ERR_CBOR_TRUNCATED"') ?? 0) + (sample(m, 'otrp_tam_errors_total', 'code="ERR_CBOR_MALFORMED"') ?? 0) === 1);
  assert.equal(sample(m, 'otrp_tam_errors_total', 'code="ERR_HTTP_UNSUPPORTED_MEDIA_TYPE"'), 1);
  assert.equal(sample(m, 'otrp_tam_errors_total', 'code="ERR_HTTP_PAYLOAD_TOO_LARGE"'), 1);
  assert.equal(sample(m, 'otrp_tam_exchange_duration_seconds_count', 'route="/tam",kind="connect"'), 2);
  await app.close();
});

test('each server has its own metrics registry', async () => {
  const a = createTamHttpServer({ handler: new CountingTam() });
  const b = createTamHttpServer({ handler: new CountingTam() });
  await a.inject({ method: 'POST', url: '/tam' });
  const mb = (await b.inject({ method: 'GET', url: '/metrics' })).body;
  const ma = (await a.inject({ method: 'GET', url: '/metrics' })).body;
  assert.equal(sample(ma, 'otrp_tam_exchanges_total', 'route="/tam",kind="connect",outcome="message"'), 1);
  assert.equal(sample(mb, 'otrp_tam_exchanges_total', 'route="/tam",kind="connect",outcome="message"'), undefined);
  await a.close();
  await b.close();
});

test('/healthz is 200, or 503 when the health check throws', async () => {
  let healthy = true;
  const app = createTamHttpServer({
    handler: new CountingTam(),
    healthCheck: () => {
      if (!healthy) throw new Error('database gone');
    },
  });
  const ok = await app.inject({ method: 'GET', url: '/healthz' });
  assert.equal(ok.statusCode, 200);
  assert.deepEqual(ok.json(), { status: 'ok' });
  healthy = false;
  const down = await app.inject({ method: 'GET', url: '/healthz' });
  assert.equal(down.statusCode, 503);
  assert.doesNotMatch(down.body, /database gone/);
  await app.close();
});

test('an unknown path is a JSON 404 carrying the security header fields', async () => {
  const app = createTamHttpServer({ handler: new CountingTam() });
  const res = await app.inject({ method: 'GET', url: '/nope' });
  assert.equal(res.statusCode, 404);
  assert.equal(res.json().code, 'ERR_HTTP_NOT_FOUND');
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
  assert.equal(res.headers['content-security-policy'], "default-src 'none'");
  await app.close();
});

test('closeGracefully lets an in-flight exchange finish, then refuses new connections', async () => {
  const tam = new CountingTam();
  let release!: () => void;
  tam.gate = new Promise((r) => (release = r));
  const app = createTamHttpServer({ handler: tam });
  const { url } = await listenTamHttpServer(app);
  const inFlight = fetch(`${url}/tam`, { method: 'POST', headers: { accept: TEEP } });
  while (tam.calls.length === 0) await new Promise((r) => setTimeout(r, 5));
  const closing = closeGracefully(app, { timeoutMs: 5000 });
  await new Promise((r) => setTimeout(r, 50));
  release();
  const res = await inFlight;
  assert.equal(res.status, 200);
  assert.equal((await res.arrayBuffer()).byteLength > 0, true);
  assert.deepEqual(await closing, { forced: false });
  await assert.rejects(fetch(`${url}/tam`, { method: 'POST' }));
});

test('closeGracefully cuts connections still busy after the timeout', async () => {
  const tam = new CountingTam();
  tam.gate = new Promise(() => {}); // never answers
  const app = createTamHttpServer({ handler: tam });
  const { url } = await listenTamHttpServer(app);
  const inFlight = fetch(`${url}/tam`, { method: 'POST' });
  while (tam.calls.length === 0) await new Promise((r) => setTimeout(r, 5));
  assert.deepEqual(await closeGracefully(app, { timeoutMs: 100 }), { forced: true });
  await assert.rejects(inFlight);
});

test('with tls, the server speaks HTTPS on loopback', async () => {
  const p256 = async () => (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const caKeys = await p256();
  const root = await createCaCertificate({ name: 'otrp http test root', keys: caKeys, days: 2 });
  const tamKeys = await p256();
  const leaf = await issueCertificate({
    issuer: { certificate: root, privateKey: caKeys.privateKey },
    role: 'tam',
    subject: 'otrp http test tam',
    publicKey: tamKeys.publicKey,
    sanUris: ['https://tam.example/tam'],
    days: 1,
  });
  const ca = encodePem(root, 'CERTIFICATE');
  const cert = encodePem(leaf, 'CERTIFICATE');
  const key = await exportPrivateKeyPem(tamKeys.privateKey);
  const app = createTamHttpServer({ handler: new CountingTam(), tls: { cert, key } });
  const { url } = await listenTamHttpServer(app);
  try {
    assert.match(url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpsRequest(`${url}/tam`, { method: 'POST', ca, checkServerIdentity: () => undefined, headers: { accept: TEEP } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(status, 200);
  } finally {
    await closeGracefully(app);
  }
});

test('bad options and an address in use are ERR_HTTP_CONFIG / ERR_HTTP_LISTEN, not raw errors', async () => {
  assert.throws(() => createTamHttpServer({ handler: new CountingTam(), bodyLimit: 0 }), { code: 'ERR_HTTP_CONFIG' });
  assert.throws(() => createTamHttpServer({ handler: new CountingTam(), bodyLimit: 1.5 }), { code: 'ERR_HTTP_CONFIG' });
  assert.throws(
    () => createTamHttpServer({ handler: new CountingTam(), tls: { cert: 'not a certificate', key: 'not a key' } }),
    { code: 'ERR_HTTP_CONFIG' },
  );
  const first = createTamHttpServer({ handler: new CountingTam() });
  const { port } = await listenTamHttpServer(first);
  const second = createTamHttpServer({ handler: new CountingTam() });
  try {
    await assert.rejects(listenTamHttpServer(second, { port }), { code: 'ERR_HTTP_LISTEN' });
  } finally {
    await closeGracefully(first);
    await second.close();
  }
});

test('with a pino logger, a drop is logged at warn with its code and a 5xx at error', async () => {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString('utf8').split('\n')) if (l.trim() !== '') lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  const tam = new CountingTam();
  const app = createTamHttpServer({ handler: tam, logger: pino({ level: 'info' }, sink) });
  await app.inject({ method: 'POST', url: '/tam', headers: { 'content-type': TEEP }, payload: Buffer.from([0xff]) });
  tam.failWith = new Error('boom');
  await app.inject({ method: 'POST', url: '/tam' });
  await app.close();
  const drop = lines.find((l) => l['msg'] === 'message dropped');
  assert.equal(drop?.['level'], 40);
  assert.match(String(drop?.['code']), /^ERR_CBOR_/);
  const failure = lines.find((l) => l['msg'] === 'request failed');
  assert.equal(failure?.['level'], 50);
  assert.equal(failure?.['code'], 'ERR_INTERNAL');
});
