import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Broker, type BrokerAgent, type BrokerExchange } from './broker.js';
import { postTeep, TEEP_MEDIA_TYPE } from './teep-http-client.js';
import type { BrokerInstruction, ProcessTeepMessageResult } from '../agent/agent-host-types.js';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
}
type Handler = (req: Seen, res: ServerResponse) => void;

/** A tiny TAM stand-in on loopback that answers each request with the next scripted handler. */
async function tam(t: { after(fn: () => unknown): void }, handlers: Handler[]): Promise<{ uri: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const s = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks) };
      seen.push(s);
      const h = handlers[seen.length - 1];
      if (h) h(s, res);
      else {
        res.statusCode = 500;
        res.end();
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }));
  return { uri: `http://127.0.0.1:${(server.address() as AddressInfo).port}/tam`, seen };
}

const teep = (body: string, extra: Record<string, string> = {}): Handler => (_req, res) => {
  res.writeHead(200, { 'content-type': TEEP_MEDIA_TYPE, 'x-content-type-options': 'nosniff', ...extra });
  res.end(body);
};
const noContent: Handler = (_req, res) => {
  res.statusCode = 204;
  res.end();
};
const te = (s: string) => new TextEncoder().encode(s);
const td = (b: Uint8Array) => new TextDecoder().decode(b);

/** The Agent's side of the conversation, scripted: answers each TAM message with the next entry. */
class ScriptedAgent implements BrokerAgent {
  readonly received: string[] = [];
  readonly errors: string[] = [];
  constructor(readonly answers: (string | undefined)[], readonly instruction: BrokerInstruction) {}
  async requestTA(): Promise<BrokerInstruction> {
    return this.instruction;
  }
  async unrequestTA(): Promise<BrokerInstruction> {
    return this.instruction;
  }
  checks = 0;
  async requestPolicyCheck(): Promise<BrokerInstruction> {
    return this.checks++ === 0 ? this.instruction : {};
  }
  async processTeepMessage(_uri: string, message: Uint8Array): Promise<ProcessTeepMessageResult> {
    this.received.push(td(message));
    const a = this.answers.shift();
    return { ...(a !== undefined ? { message: te(a) } : {}), events: [{ type: 'seen', detail: td(message) }] };
  }
  async processError(_uri: string, detail?: string): Promise<void> {
    this.errors.push(detail ?? '');
  }
}

test('endedWithError: an Agent Error the TAM answers with a new QueryRequest is negotiation; one the TAM leaves unanswered ends the session', async (t) => {
  /** Sends an Error (with its error-sent event) for every TAM message whose body starts with "error-for". */
  class ErroringAgent extends ScriptedAgent {
    override async processTeepMessage(uri: string, message: Uint8Array): Promise<ProcessTeepMessageResult> {
      const r = await super.processTeepMessage(uri, message);
      return td(message).startsWith('error-for') ? { ...r, events: [{ type: 'error-sent', name: 'ERR_ATTESTATION_REQUIRED', code: 'ERR_TEEP_ATTESTATION_REQUIRED' }] } : r;
    }
  }
  const negotiated = await tam(t, [teep('error-for-query-request'), teep('query-request'), teep('update'), noContent]);
  const a = await new Broker(new ErroringAgent(['error', 'query-response', 'success'], { tamUri: negotiated.uri })).requestTA([te('ta')]);
  assert.equal(a.endedWithError, false, 'the TAM retried: the Error was part of the session');
  assert.equal(a.events.filter((e) => e.type === 'error-sent').length, 1);
  const refused = await tam(t, [teep('error-for-update'), noContent]);
  const b = await new Broker(new ErroringAgent(['error'], { tamUri: refused.uri })).requestTA([te('ta')]);
  assert.equal(b.endedWithError, true, "the Agent's Error was the last word");
});

test('a session: empty POST with Accept opens it, bodies are relayed with the TEEP type, 204 ends it; no cookies', async (t) => {
  const server = await tam(t, [teep('query-request', { 'set-cookie': 'session=abc' }), teep('update'), noContent]);
  const agent = new ScriptedAgent(['query-response', 'success'], { tamUri: server.uri });
  const log: BrokerExchange[] = [];
  const result = await new Broker(agent, { onExchange: (e) => log.push(e) }).requestTA([te('ta')], 'http://ignored.invalid/');
  assert.deepEqual(result, { contacted: true, tamUri: server.uri, roundTrips: 3, events: [{ type: 'seen', detail: 'query-request' }, { type: 'seen', detail: 'update' }], endedWithError: false });
  assert.deepEqual(agent.received, ['query-request', 'update']);
  assert.deepEqual(server.seen.map((s) => [s.method, s.url, s.body.toString()]), [['POST', '/tam', ''], ['POST', '/tam', 'query-response'], ['POST', '/tam', 'success']]);
  for (const s of server.seen) {
    assert.equal(s.headers['accept'], TEEP_MEDIA_TYPE);
    assert.equal(s.headers['cookie'], undefined);
    assert.equal(s.headers['cache-control'], undefined);
  }
  assert.equal(server.seen[0]!.headers['content-type'], undefined, 'the empty POST carries Accept only (-15 §5.1.1)');
  assert.equal(server.seen[1]!.headers['content-type'], TEEP_MEDIA_TYPE);
  assert.deepEqual(log.map((e) => [e.direction, e.body && td(e.body)]), [
    ['to-tam', undefined], ['from-tam', 'query-request'], ['to-tam', 'query-response'], ['from-tam', 'update'], ['to-tam', 'success'], ['from-tam', undefined],
  ]);
  assert.deepEqual(agent.errors, []);
});

test('the Agent ends the session by passing back nothing; an Agent with nothing to do contacts no TAM', async (t) => {
  const server = await tam(t, [teep('query-request')]);
  const agent = new ScriptedAgent([undefined], { tamUri: server.uri });
  assert.equal((await new Broker(agent).requestTA([te('x')])).roundTrips, 1);
  assert.deepEqual(await new Broker(new ScriptedAgent([], {})).requestTA([te('x')]), { contacted: false, roundTrips: 0, events: [], endedWithError: false });
});

test('an Agent message in the instruction is sent in the first POST; policy checks loop until nothing', async (t) => {
  const server = await tam(t, [noContent]);
  const agent = new ScriptedAgent([], { tamUri: server.uri, message: te('unsolicited-query-response') });
  const results = await new Broker(agent).policyCheck();
  assert.equal(results.length, 1);
  assert.equal(server.seen[0]!.body.toString(), 'unsolicited-query-response');
  assert.equal(agent.checks, 2);
});

test('a redirect is not followed: ERR_BROKER_REDIRECT, and the Agent is told through ProcessError', async (t) => {
  const other = await tam(t, [teep('should-never-be-fetched')]);
  const server = await tam(t, [(_q, res) => { res.writeHead(307, { location: other.uri }); res.end(); }]);
  const agent = new ScriptedAgent([], { tamUri: server.uri });
  await assert.rejects(new Broker(agent).requestTA([te('x')]), { code: 'ERR_BROKER_REDIRECT' });
  assert.equal(other.seen.length, 0);
  assert.deepEqual(agent.errors, ['ERR_BROKER_REDIRECT']);
});

test('a response body that is not application/teep+cbor is refused', async (t) => {
  const server = await tam(t, [(_q, res) => { res.writeHead(200, { 'content-type': 'text/html' }); res.end('<html>login</html>'); }]);
  const agent = new ScriptedAgent([], { tamUri: server.uri });
  await assert.rejects(new Broker(agent).requestTA([te('x')]), { code: 'ERR_BROKER_CONTENT_TYPE' });
  assert.deepEqual(agent.received, []);
  assert.deepEqual(agent.errors, ['ERR_BROKER_CONTENT_TYPE']);
  // The media type is compared without parameters and case-insensitively.
  const ok = await tam(t, [(_q, res) => { res.writeHead(200, { 'content-type': 'Application/TEEP+CBOR; charset=x' }); res.end('m'); }]);
  assert.equal(td((await postTeep(ok.uri, undefined))!), 'm');
});

test('HTTP errors, unreachable TAMs, timeouts, oversized bodies and bad URIs are typed errors', async (t) => {
  const server = await tam(t, [
    (_q, res) => { res.statusCode = 500; res.end('boom'); },
    (_q, res) => { res.statusCode = 415; res.end(); },
    () => undefined, // never answers
    (_q, res) => { res.writeHead(200, { 'content-type': TEEP_MEDIA_TYPE }); res.end(Buffer.alloc(2048)); },
  ]);
  await assert.rejects(postTeep(server.uri, undefined), (e: { code?: string; status?: number }) => e.code === 'ERR_BROKER_HTTP_STATUS' && e.status === 500);
  await assert.rejects(postTeep(server.uri, te('x')), { code: 'ERR_BROKER_HTTP_STATUS', status: 415 });
  await assert.rejects(postTeep(server.uri, undefined, { timeoutMs: 300 }), { code: 'ERR_BROKER_TIMEOUT' });
  await assert.rejects(postTeep(server.uri, undefined, { maxResponseBytes: 1024 }), { code: 'ERR_BROKER_RESPONSE_TOO_LARGE' });
  // A port nobody listens on (the closed server's).
  const gone = await tam(t, []);
  const agent = new ScriptedAgent([], { tamUri: gone.uri.replace(/:\d+\//, ':1/') });
  await assert.rejects(new Broker(agent).requestTA([te('x')]), { code: 'ERR_BROKER_TRANSPORT' });
  assert.deepEqual(agent.errors, ['ERR_BROKER_TRANSPORT']);
  for (const bad of ['ftp://tam.example/', 'not a uri', 'http://user:pw@127.0.0.1/']) {
    await assert.rejects(postTeep(bad, undefined), { code: 'ERR_BROKER_BAD_URI' });
  }
});

test('a TAM that never lets the session end is cut off', async (t) => {
  const server = await tam(t, Array.from({ length: 5 }, () => teep('again')));
  const agent = new ScriptedAgent(['a', 'b', 'c', 'd', 'e'], { tamUri: server.uri });
  await assert.rejects(new Broker(agent, { maxRoundTrips: 3 }).requestTA([te('x')]), { code: 'ERR_BROKER_SESSION_TOO_LONG' });
  assert.equal(server.seen.length, 3);
});
