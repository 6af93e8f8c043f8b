// The OTrP Broker's HTTP side (draft-ietf-teep-otrp-over-http-02 §4, §5) against a small local HTTP
// server: headers, Cache-Control, cookies, redirects (followed, unlike TEEP's -15), status and
// content-type checks, size limit, and the session loop with a scripted TEE.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OTRP_MEDIA_TYPE, postOtrp } from './otrp-http-client.js';
import { runOtrpSession, type OtrpBrokerAgent, type OtrpExchange } from './otrp-broker.js';
import { describeOtrpMessage } from './otrp-message-view.js';
import type { OtrpProcessResult } from '../tee/otrp-ta.js';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}
type Handler = (req: Seen, res: ServerResponse) => void;

async function server(t: { after(fn: () => unknown): void }, handlers: Handler[]): Promise<{ base: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const s = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const x = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      seen.push(x);
      const h = handlers[seen.length - 1];
      if (h) h(x, res);
      else {
        res.statusCode = 500;
        res.end();
      }
    });
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => { s.closeAllConnections(); s.close(() => r()); }));
  return { base: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, seen };
}

const otrpJson = (body: string, extra: Record<string, string> = {}): Handler => (_req, res) => {
  res.writeHead(200, { 'content-type': OTRP_MEDIA_TYPE, 'cache-control': 'no-store', ...extra });
  res.end(body);
};
const noContent: Handler = (_req, res) => {
  res.statusCode = 204;
  res.end();
};
const redirect = (status: number, location: string): Handler => (_req, res) => {
  res.writeHead(status, { location });
  res.end();
};
const te = (s: string) => new TextEncoder().encode(s);
const td = (b: Uint8Array | undefined) => (b === undefined ? undefined : new TextDecoder().decode(b));

test('requests carry Accept, Content-Type only with a body, Cache-Control: no-store, and no cookies', async (t) => {
  const { base, seen } = await server(t, [otrpJson('{"A":1}', { 'set-cookie': 'session=abc; Path=/' }), noContent]);
  assert.equal(td(await postOtrp(`${base}/otrp`, undefined)), '{"A":1}');
  assert.equal(await postOtrp(`${base}/otrp`, te('{"B":2}')), undefined);
  assert.deepEqual(seen.map((s) => [s.method, s.url, s.body]), [['POST', '/otrp', ''], ['POST', '/otrp', '{"B":2}']]);
  for (const s of seen) {
    assert.equal(s.headers.accept, OTRP_MEDIA_TYPE);
    assert.equal(s.headers['cache-control'], 'no-store');
    assert.equal(s.headers.cookie, undefined);
  }
  assert.equal(seen[0]!.headers['content-type'], undefined);
  assert.equal(seen[1]!.headers['content-type'], OTRP_MEDIA_TYPE);
});

test('redirects are followed (-02 §4) with the same method, body and headers; 303, loops and bad targets are refused', async (t) => {
  const { base, seen } = await server(t, [
    (_r, res) => redirect(307, '/moved')(_r, res),
    (_r, res) => redirect(308, `${base}/final`)(_r, res),
    otrpJson('{"ok":1}'),
  ]);
  assert.equal(td(await postOtrp(`${base}/otrp`, te('{"X":1}'))), '{"ok":1}');
  assert.deepEqual(seen.map((s) => [s.method, s.url, s.body, s.headers['content-type'], s.headers['cache-control']]), [
    ['POST', '/otrp', '{"X":1}', OTRP_MEDIA_TYPE, 'no-store'],
    ['POST', '/moved', '{"X":1}', OTRP_MEDIA_TYPE, 'no-store'],
    ['POST', '/final', '{"X":1}', OTRP_MEDIA_TYPE, 'no-store'],
  ]);

  const b = await server(t, [redirect(302, '/again'), noContent]);
  assert.equal(await postOtrp(`${b.base}/otrp`, undefined), undefined);
  assert.deepEqual(b.seen.map((s) => [s.method, s.url]), [['POST', '/otrp'], ['POST', '/again']]);

  const seeOther = await server(t, [redirect(303, '/get-it')]);
  await assert.rejects(postOtrp(`${seeOther.base}/otrp`, undefined), { code: 'ERR_BROKER_REDIRECT' });
  assert.equal(seeOther.seen.length, 1);

  const loop = await server(t, Array.from({ length: 10 }, () => redirect(307, '/otrp')));
  await assert.rejects(postOtrp(`${loop.base}/otrp`, undefined, { maxRedirects: 3 }), { code: 'ERR_BROKER_REDIRECT' });
  assert.equal(loop.seen.length, 4);

  const none = await server(t, [redirect(307, '/x')]);
  await assert.rejects(postOtrp(`${none.base}/otrp`, undefined, { maxRedirects: 0 }), { code: 'ERR_BROKER_REDIRECT' });
  const noLocation = await server(t, [(_r, res) => { res.statusCode = 307; res.end(); }]);
  await assert.rejects(postOtrp(`${noLocation.base}/otrp`, undefined), { code: 'ERR_BROKER_REDIRECT' });
  const ftp = await server(t, [redirect(307, 'ftp://127.0.0.1/otrp')]);
  await assert.rejects(postOtrp(`${ftp.base}/otrp`, undefined), { code: 'ERR_BROKER_REDIRECT' });
});

test('HTTP errors, wrong content types, oversized bodies and bad URIs are typed errors', async (t) => {
  const { base } = await server(t, [
    (_r, res) => { res.statusCode = 500; res.end('boom'); },
    (_r, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{}'); },
    otrpJson('x'.repeat(100)),
    otrpJson('{"fine":true}', { 'content-type': `${OTRP_MEDIA_TYPE}; charset=utf-8` }),
  ]);
  await assert.rejects(postOtrp(`${base}/otrp`, undefined), { code: 'ERR_BROKER_HTTP_STATUS', status: 500 });
  await assert.rejects(postOtrp(`${base}/otrp`, undefined), { code: 'ERR_BROKER_CONTENT_TYPE' });
  await assert.rejects(postOtrp(`${base}/otrp`, undefined, { maxResponseBytes: 50 }), { code: 'ERR_BROKER_RESPONSE_TOO_LARGE' });
  assert.equal(td(await postOtrp(`${base}/otrp`, undefined)), '{"fine":true}');
  await assert.rejects(postOtrp('ftp://127.0.0.1/otrp', undefined), { code: 'ERR_BROKER_BAD_URI' });
  await assert.rejects(postOtrp('not a uri', undefined), { code: 'ERR_BROKER_BAD_URI' });
});

/** A scripted TEE: answers each TAM message with the next entry. */
class ScriptedTee implements OtrpBrokerAgent {
  readonly received: string[] = [];
  constructor(readonly answers: OtrpProcessResult[]) {}
  async processOtrpMessage(message: Uint8Array): Promise<OtrpProcessResult> {
    this.received.push(td(message)!);
    const a = this.answers.shift();
    if (!a) throw Object.assign(new Error('no answer'), { code: 'ERR_TEE_COMMAND_FAILED' });
    return a;
  }
}
const answer = (response: string, request: string, error?: string): OtrpProcessResult => ({ response: te(response), request, changes: [], ...(error && { error, errorCode: `LOCAL_${error}` }) });

test('a session: empty POST, each TAM message to the TEE and its answer back, until 204', async (t) => {
  const { base, seen } = await server(t, [otrpJson('{"GetDeviceStateRequest":{}}'), otrpJson('{"CreateSDRequest":{}}'), noContent]);
  const tee = new ScriptedTee([answer('{"GetDeviceStateResponse":[]}', 'GetDeviceStateRequest'), answer('{"CreateSDResponse":{}}', 'CreateSDRequest', 'ERR_SPCERT_INVALID')]);
  const exchanges: OtrpExchange[] = [];
  const r = await runOtrpSession(tee, `${base}/otrp`, { onExchange: (x) => exchanges.push(x) });
  assert.equal(r.roundTrips, 3);
  assert.deepEqual(r.outcomes.map((o) => [o.request, o.error]), [['GetDeviceStateRequest', undefined], ['CreateSDRequest', 'ERR_SPCERT_INVALID']]);
  assert.deepEqual(seen.map((s) => s.body), ['', '{"GetDeviceStateResponse":[]}', '{"CreateSDResponse":{}}']);
  assert.deepEqual(tee.received, ['{"GetDeviceStateRequest":{}}', '{"CreateSDRequest":{}}']);
  assert.deepEqual(exchanges.map((x) => [x.direction, x.body && describeOtrpMessage(x.body).name, x.tee?.request]), [
    ['to-tam', undefined, undefined], ['from-tam', 'GetDeviceStateRequest', undefined], ['to-tam', 'GetDeviceStateResponse', 'GetDeviceStateRequest'],
    ['from-tam', 'CreateSDRequest', undefined], ['to-tam', 'CreateSDResponse', 'CreateSDRequest'], ['from-tam', undefined, undefined],
  ]);
});

test('a session that never ends is cut (ERR_BROKER_SESSION_TOO_LONG); a TEE that cannot answer ends it', async (t) => {
  const { base } = await server(t, Array.from({ length: 10 }, () => otrpJson('{"DeleteTARequest":{}}')));
  const tee = new ScriptedTee(Array.from({ length: 10 }, () => answer('{"DeleteTAResponse":{}}', 'DeleteTARequest')));
  await assert.rejects(runOtrpSession(tee, `${base}/otrp`, { maxRoundTrips: 3 }), { code: 'ERR_BROKER_SESSION_TOO_LONG' });
  const b = await server(t, [otrpJson('{"garbage":1}')]);
  await assert.rejects(runOtrpSession(new ScriptedTee([]), `${b.base}/otrp`), { code: 'ERR_TEE_COMMAND_FAILED' });
  assert.equal(b.seen.length, 1, 'nothing more is posted');
});

test('describeOtrpMessage reads what the REE can see and never throws', () => {
  const payload = Buffer.from(JSON.stringify({ CreateSDTBSResponse: { ver: '1.0', status: 'fail', rid: 'r-1', tid: 't-1', reason: { 'error-code': 'ERR_TAM_NOT_TRUSTED' } } })).toString('base64url');
  const msg = te(JSON.stringify({ CreateSDResponse: { payload, protected: 'e30', signature: 'AA' } }));
  assert.deepEqual(describeOtrpMessage(msg), { name: 'CreateSDResponse', fields: ['rid=r-1', 'tid=t-1', 'status=fail', 'reason=ERR_TAM_NOT_TRUSTED'] });
  const gds = te(JSON.stringify({ GetDeviceStateResponse: [{ GetDeviceTEEStateResponse: { payload, protected: 'e30', signature: 'AA' } }] }));
  assert.deepEqual(describeOtrpMessage(gds).fields.slice(0, 2), ['tees=1', 'rid=r-1']);
  for (const junk of ['', '{', '[]', '{"a":1,"b":2}', '\xff\xfe']) assert.deepEqual(describeOtrpMessage(te(junk)).fields, []);
  assert.deepEqual(describeOtrpMessage(te('{"X":{"payload":"!!!"}}')), { name: 'X', fields: [] });
});
