import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { KeepAliveClient } from './http-client.js';

const TEEP = 'application/teep+cbor';

/** A node:http server; `handler` answers each request. Counts connections. */
async function serve(handler: http.RequestListener) {
  const server = http.createServer(handler);
  let connections = 0;
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: new URL(`http://127.0.0.1:${port}/tam`),
    connections: () => connections,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

/** A raw TCP server that writes `reply(requestText)` to each connection once a request head arrived. */
async function rawServe(reply: (req: string, socket: net.Socket) => void) {
  const server = net.createServer((socket) => {
    let text = '';
    socket.on('data', (c) => {
      text += c.toString('latin1');
      if (text.includes('\r\n\r\n')) {
        const req = text;
        text = '';
        reply(req, socket);
      }
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: new URL(`http://127.0.0.1:${port}/tam`), close: () => new Promise<void>((r) => server.close(() => r())) };
}

test('POSTs like the Broker (Accept always, Content-Type with a body), reads Content-Length, chunked and 204 answers, reuses connections', async () => {
  const seen: { method?: string; url?: string; accept?: string; type?: string; length?: string; body: string }[] = [];
  const s = await serve((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      seen.push({ method: req.method, url: req.url, accept: req.headers.accept, type: req.headers['content-type'], length: req.headers['content-length'], body: body.toString('hex') });
      if (body.length === 0) {
        res.writeHead(200, { 'content-type': TEEP }).end(Buffer.from([0x83, 1, 2, 3]));
      } else if (body[0] === 1) {
        // chunked: two writes without a length
        res.writeHead(200, { 'content-type': TEEP });
        res.write(Buffer.from([0xaa, 0xbb]));
        setImmediate(() => res.end(Buffer.from([0xcc])));
      } else {
        res.writeHead(204).end();
      }
    });
  });
  const client = new KeepAliveClient(s.url);
  try {
    for (let i = 0; i < 3; i++) {
      const a = await client.post('/tam', TEEP, new Uint8Array());
      assert.equal(a.status, 200);
      assert.deepEqual(a.body, new Uint8Array([0x83, 1, 2, 3]));
      const b = await client.post('/tam', TEEP, new Uint8Array([1, 2]));
      assert.equal(b.status, 200);
      assert.deepEqual(b.body, new Uint8Array([0xaa, 0xbb, 0xcc]));
      const c = await client.post('/tam', TEEP, new Uint8Array([2]));
      assert.equal(c.status, 204);
      assert.equal(c.body.length, 0);
    }
    assert.deepEqual(seen[0], { method: 'POST', url: '/tam', accept: TEEP, type: undefined, length: '0', body: '' });
    assert.deepEqual(seen[1], { method: 'POST', url: '/tam', accept: TEEP, type: TEEP, length: '2', body: '0102' });
    assert.equal(seen.length, 9);
    assert.equal(s.connections(), 1);
    // Concurrent requests each get a connection; afterwards they are reused.
    const many = await Promise.all(Array.from({ length: 4 }, () => client.post('/tam', TEEP, new Uint8Array())));
    assert.ok(many.every((r) => r.status === 200));
    assert.equal(s.connections(), 4);
  } finally {
    client.close();
    await s.close();
  }
});

test('a redirect is handed back, not followed; Connection: close and a body ended by the connection are read', async () => {
  let n = 0;
  const s = await rawServe((_req, socket) => {
    n++;
    if (n === 1) socket.write('HTTP/1.1 307 Temporary Redirect\r\nLocation: http://127.0.0.1:1/x\r\nContent-Length: 0\r\n\r\n');
    else if (n === 2) socket.end('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nhi');
    else socket.end('HTTP/1.0 200 OK\r\n\r\nuntil the end');
  });
  const client = new KeepAliveClient(s.url);
  try {
    const r = await client.post('/tam', TEEP, new Uint8Array());
    assert.equal(r.status, 307);
    assert.equal(n, 1);
    assert.equal(Buffer.from((await client.post('/tam', TEEP, new Uint8Array())).body).toString(), 'hi');
    assert.equal(Buffer.from((await client.post('/tam', TEEP, new Uint8Array())).body).toString(), 'until the end');
  } finally {
    client.close();
    await s.close();
  }
});

test('broken responses fail with ERR_BENCH_HTTP', async () => {
  const replies = [
    'HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nab', // bytes after the response
    'HTTX/1.1 200 OK\r\n\r\n', // not a status line
    'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab', // conflicting lengths
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', // bad chunk size
    'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab', // closed before the end of the body
  ];
  let i = 0;
  const s = await rawServe((_req, socket) => {
    const r = replies[i++]!;
    if (i === replies.length) socket.end(r);
    else socket.write(r);
  });
  try {
    for (const r of replies) {
      const client = new KeepAliveClient(s.url);
      await assert.rejects(client.post('/tam', TEEP, new Uint8Array()), { code: 'ERR_BENCH_HTTP' }, JSON.stringify(r));
      client.close();
    }
  } finally {
    await s.close();
  }
});

test('an idle connection the server closed is replaced; a refused connection is an error', async () => {
  const sockets: net.Socket[] = [];
  const s = await rawServe((_req, socket) => {
    sockets.push(socket);
    socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
  });
  const client = new KeepAliveClient(s.url);
  try {
    assert.equal((await client.post('/tam', TEEP, new Uint8Array())).status, 200);
    sockets[0]!.destroy();
    await new Promise((r) => setTimeout(r, 50));
    assert.equal((await client.post('/tam', TEEP, new Uint8Array())).status, 200);
    assert.equal(sockets.length, 2);
  } finally {
    client.close();
    await s.close();
  }
  const dead = new KeepAliveClient(s.url);
  await assert.rejects(dead.post('/tam', TEEP, new Uint8Array()), { code: 'ERR_BENCH_HTTP' });
  assert.throws(() => new KeepAliveClient(new URL('https://127.0.0.1/tam')), { code: 'ERR_BENCH_HTTP' });
});

test('a kept-alive connection closed by the server as the request goes out: sent once more on a new connection', async () => {
  const perSocket = new Map<net.Socket, number>();
  const s = await rawServe((_req, socket) => {
    const n = (perSocket.get(socket) ?? 0) + 1;
    perSocket.set(socket, n);
    if (n === 2) socket.destroy(); // reads the second request, answers nothing
    else socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
  });
  const client = new KeepAliveClient(s.url);
  try {
    assert.equal((await client.post('/tam', TEEP, new Uint8Array())).status, 200);
    assert.equal((await client.post('/tam', TEEP, new Uint8Array([1]))).status, 200);
    assert.equal(perSocket.size, 2);
    // A new connection that closes without answering is an error (a retry is for reused ones only).
    const t = await rawServe((_req, socket) => socket.destroy());
    const fresh = new KeepAliveClient(t.url);
    await assert.rejects(fresh.post('/tam', TEEP, new Uint8Array()), { code: 'ERR_BENCH_HTTP' });
    fresh.close();
    await t.close();
  } finally {
    client.close();
    await s.close();
  }
});

test('no response within the timeout: ERR_BENCH_HTTP, the connection is dropped', async () => {
  const sockets: net.Socket[] = [];
  const s = await rawServe((_req, socket) => void sockets.push(socket)); // never answers
  const client = new KeepAliveClient(s.url, { timeoutMs: 100 });
  try {
    const t0 = Date.now();
    await assert.rejects(client.post('/tam', TEEP, new Uint8Array()), (e: Error & { code?: string }) => e.code === 'ERR_BENCH_HTTP' && /no response within 100 ms/.test(e.message));
    assert.ok(Date.now() - t0 >= 90);
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(sockets[0]!.destroyed || sockets[0]!.readableEnded, true);
  } finally {
    client.close();
    for (const x of sockets) x.destroy();
    await s.close();
  }
});

test('bodies larger than the read buffer, on concurrent connections sharing it, arrive whole and unmixed', async () => {
  // Each connection reads into the client's one 64 KiB buffer: a chunk must be copied out before the
  // next read lands there, whichever connection it is for.
  const body = (seed: number) => Uint8Array.from({ length: 200_000 + seed }, (_, i) => Math.imul(i + seed, 0x9e3779b1) >>> 24);
  const s = await serve((req, res) => {
    const seed = Number(req.headers['content-length']);
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': TEEP, 'content-length': String(200_000 + seed) }).end(body(seed)));
  });
  const client = new KeepAliveClient(s.url);
  try {
    const seeds = [1, 2, 3, 4, 5, 6];
    const got = await Promise.all(seeds.map((n) => client.post('/tam', TEEP, new Uint8Array(n))));
    got.forEach((r, i) => assert.deepEqual(r.body, body(seeds[i]!)));
  } finally {
    client.close();
    await s.close();
  }
});
