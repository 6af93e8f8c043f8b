/**
 * A man in the middle for the negative end-to-end tests: an HTTP server on loopback that forwards
 * every POST to the TAM and hands back the answer, flipping one byte inside the body of every TAM
 * message of the chosen TEEP type (decoded as relayed, without verification).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeTeepMessage, openTeepMessage } from '@otrp/core';

export interface TamperProxy {
  /** Base URL to use in place of the TAM's (`${url}/tam`). */
  readonly url: string;
  /** How many messages were altered. */
  readonly tampered: () => number;
  close(): Promise<void>;
}

function typeOf(body: Uint8Array): string | undefined {
  try {
    return decodeTeepMessage(openTeepMessage(body).payload).type;
  } catch {
    return undefined;
  }
}

export async function startTamperProxy(tamUrl: string, type: string): Promise<TamperProxy> {
  let count = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks);
        const headers: Record<string, string> = {};
        for (const h of ['accept', 'content-type']) if (typeof req.headers[h] === 'string') headers[h] = req.headers[h] as string;
        const upstream = await fetch(`${tamUrl}${req.url ?? '/tam'}`, { method: 'POST', headers, body: new Uint8Array(body), redirect: 'manual' });
        const answer = new Uint8Array(await upstream.arrayBuffer());
        if (answer.length > 200 && typeOf(answer) === type) {
          // Inside the signed payload (the signature is the last 64 bytes of a COSE_Sign1 here).
          answer[answer.length - 150]! ^= 0x01;
          count++;
        }
        const out: Record<string, string> = {};
        const ct = upstream.headers.get('content-type');
        if (ct) out['content-type'] = ct;
        res.writeHead(upstream.status, out);
        res.end(answer);
      })().catch(() => {
        res.statusCode = 502;
        res.end();
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    tampered: () => count,
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}
