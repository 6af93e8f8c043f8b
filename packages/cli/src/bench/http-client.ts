/**
 * The load generator's HTTP/1.1 client: POSTs to one origin over plain TCP keep-alive connections.
 *
 * The simulated devices' Broker (TEEP over HTTP, draft-ietf-teep-otrp-over-http-15 §5): a POST with
 * `Accept: application/teep+cbor` (empty to start a session, then each Agent message with its
 * Content-Type), the response's status and body handed back as they are: a redirect is not followed
 * and no cookie is kept (§6). It exists because node:http (and fetch even more) costs the bench
 * process several times the CPU of the few bytes it writes and parses here (RFC 9112: status line,
 * header fields, a body framed by Content-Length, chunked transfer coding, or the connection's end).
 *
 * Limits: header section 64 KiB, body 16 MiB, as the decoders downstream; 60 s without a byte while a
 * request is in flight. A response that breaks the framing or a limit, or does not come, fails the
 * request (ERR_BENCH_HTTP) and its connection is dropped.
 */
import net from 'node:net';
import { CliError } from '../cli-error.js';

export interface HttpResult {
  readonly status: number;
  readonly body: Uint8Array;
}

/** A request with no complete response after this long fails (a stalled TAM must not hang the bench). */
export const DEFAULT_RESPONSE_TIMEOUT_MS = 60_000;
const MAX_HEADER = 64 * 1024;
const MAX_BODY = 16 * 1024 * 1024;
const CRLFCRLF = Buffer.from('\r\n\r\n');
const READ_BUFFER_SIZE = 64 * 1024;

const fail = (message: string, cause?: unknown) => new CliError('ERR_BENCH_HTTP', message, cause === undefined ? undefined : { cause });

interface Pending {
  resolve(r: HttpResult): void;
  reject(e: Error): void;
  /** Called instead of reject when a reused connection closed before any byte of the response. */
  retry?: () => void;
}

type Framing = { status: number; length: number | 'chunked' | 'close'; close: boolean };

/** One connection; at most one request in flight (no pipelining). Idle connections are unref'd. */
class Connection {
  readonly socket: net.Socket;
  #pending: Pending | undefined;
  #buf: Buffer = Buffer.alloc(0);
  #received = 0;
  /** Framing of the response being read, once its header section is in. */
  #head: Framing | undefined;
  #bodyAt = 0;
  closed = false;

  constructor(target: net.TcpNetConnectOpts, private readonly onIdle: (c: Connection) => void, timeoutMs: number, readBuffer: Uint8Array) {
    // Reads land in `readBuffer` (net's `onread`), each chunk copied out before the callback returns,
    // instead of a new buffer per read pushed through the socket's Readable stream.
    const socket = net.connect({ ...target, onread: { buffer: readBuffer, callback: (n, b) => this.#onData(b.subarray(0, n)) } });
    this.socket = socket;
    socket.setNoDelay(true);
    // Inactivity while a request is in flight; idle connections may stay open.
    socket.setTimeout(timeoutMs, () => {
      if (this.#pending !== undefined) this.#close(fail(`no response within ${timeoutMs} ms`));
    });
    socket.on('error', (e) => this.#close(fail(`connection error: ${e.message}`, e)));
    socket.on('close', () => this.#close(fail('the connection closed before the response was complete')));
  }

  #onData(chunk: Uint8Array): boolean {
    this.#received += chunk.length;
    this.#buf = this.#buf.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.#buf, chunk]);
    this.#parse();
    return true;
  }

  send(request: Buffer, pending: Pending): void {
    this.#pending = pending;
    this.#buf = Buffer.alloc(0);
    this.#received = 0;
    this.#head = undefined;
    this.socket.ref();
    this.socket.write(request);
  }

  #close(error: Error): void {
    if (!this.closed) {
      this.closed = true;
      this.socket.destroy();
    }
    const p = this.#pending;
    this.#pending = undefined;
    if (p === undefined) return;
    const head = this.#head;
    // A body delimited by the connection's end is complete now (RFC 9112 §6.3 item 8).
    if (head?.length === 'close') p.resolve({ status: head.status, body: new Uint8Array(this.#buf.subarray(this.#bodyAt)) });
    else if (this.#received === 0 && p.retry) p.retry();
    else p.reject(error);
  }

  #parse(): void {
    const p = this.#pending;
    if (p === undefined) {
      this.#close(fail('bytes received with no request in flight'));
      return;
    }
    try {
      while (this.#head === undefined) {
        const end = this.#buf.indexOf(CRLFCRLF);
        if (end < 0) {
          if (this.#buf.length > MAX_HEADER) throw fail('response header section too large');
          return;
        }
        const head = parseHead(this.#buf.toString('latin1', 0, end));
        if (head.status >= 100 && head.status < 200) {
          // Interim responses (RFC 9110 §15.2) have no body: skip them.
          this.#buf = this.#buf.subarray(end + 4);
          continue;
        }
        this.#head = head;
        this.#bodyAt = end + 4;
      }
      const head = this.#head;
      let body: Uint8Array;
      let end: number;
      if (head.length === 'close') {
        if (this.#buf.length - this.#bodyAt > MAX_BODY) throw fail('response body too large');
        return; // complete when the connection ends
      } else if (head.length === 'chunked') {
        const r = parseChunked(this.#buf, this.#bodyAt);
        if (r === undefined) return;
        ({ body, end } = r);
      } else {
        if (this.#buf.length - this.#bodyAt < head.length) return;
        end = this.#bodyAt + head.length;
        body = new Uint8Array(this.#buf.subarray(this.#bodyAt, end));
      }
      // Bytes after the response, with only one request in flight: nothing can frame them.
      if (end !== this.#buf.length) throw fail('unexpected bytes after the response');
      this.#pending = undefined;
      this.#head = undefined;
      this.#buf = Buffer.alloc(0);
      p.resolve({ status: head.status, body });
      if (head.close) this.#close(fail('closed'));
      else {
        this.socket.unref();
        this.onIdle(this);
      }
    } catch (e) {
      this.#close(e instanceof CliError ? e : fail('malformed response', e));
    }
  }
}

function parseHead(text: string): { status: number; length: number | 'chunked' | 'close'; close: boolean } {
  const lines = text.split('\r\n');
  const m = /^HTTP\/1\.([01]) (\d{3})(?: .*)?$/.exec(lines[0]!);
  if (!m) throw fail(`malformed status line: ${JSON.stringify(lines[0]!.slice(0, 80))}`);
  const status = Number(m[2]);
  let close = m[1] === '0';
  let length: number | undefined;
  let chunked = false;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(':');
    if (colon <= 0) throw fail('malformed header field');
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'content-length') {
      if (!/^\d{1,9}$/.test(value) || (length !== undefined && length !== Number(value))) throw fail('bad Content-Length');
      length = Number(value);
      if (length > MAX_BODY) throw fail('response body too large');
    } else if (name === 'transfer-encoding') {
      if (value.toLowerCase() !== 'chunked') throw fail(`unsupported Transfer-Encoding ${value}`);
      chunked = true;
    } else if (name === 'connection') {
      const tokens = value.toLowerCase().split(',').map((t) => t.trim());
      if (tokens.includes('close')) close = true;
      else if (tokens.includes('keep-alive') && m[1] === '0') close = false;
    }
  }
  // RFC 9112 §6.3: no body for 204 and 304; chunked wins over Content-Length; else the connection's end.
  if (status === 204 || status === 304) return { status, length: 0, close };
  if (chunked) return { status, length: 'chunked', close };
  if (length !== undefined) return { status, length, close };
  return { status, length: 'close', close: true };
}

/** The body of a chunked message starting at `at`, or undefined when more bytes are needed. */
function parseChunked(buf: Buffer, at: number): { body: Uint8Array; end: number } | undefined {
  const parts: Buffer[] = [];
  let size = 0;
  let pos = at;
  for (;;) {
    const eol = buf.indexOf('\r\n', pos, 'latin1');
    if (eol < 0) return undefined;
    const sizeText = buf.toString('latin1', pos, eol).split(';')[0]!.trim();
    if (!/^[0-9a-fA-F]{1,8}$/.test(sizeText)) throw fail('malformed chunk size');
    const n = parseInt(sizeText, 16);
    if (n === 0) {
      // Trailer section (ignored), then the final CRLF.
      const end = buf.indexOf(CRLFCRLF, eol - 2);
      if (end < 0) return undefined;
      return { body: new Uint8Array(Buffer.concat(parts, size)), end: end + 4 };
    }
    if (size + n > MAX_BODY) throw fail('response body too large');
    if (buf.length < eol + 2 + n + 2) return undefined;
    parts.push(buf.subarray(eol + 2, eol + 2 + n));
    size += n;
    if (buf[eol + 2 + n] !== 0x0d || buf[eol + 3 + n] !== 0x0a) throw fail('malformed chunk');
    pos = eol + 4 + n;
  }
}

/** Keep-alive POSTs to one origin (http: only): one connection per request in flight, reused. */
export class KeepAliveClient {
  readonly #host: string;
  readonly #port: number;
  readonly #hostHeader: string;
  readonly #idle: Connection[] = [];
  readonly #timeoutMs: number;
  /** Where every connection of this client reads into (see Connection). */
  readonly #readBuffer = Buffer.alloc(READ_BUFFER_SIZE);
  #closed = false;

  constructor(origin: URL, options: { timeoutMs?: number } = {}) {
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_RESPONSE_TIMEOUT_MS;
    if (origin.protocol !== 'http:') throw fail(`the bench's HTTP client speaks http: only, not ${origin.protocol}`);
    this.#host = origin.hostname.replace(/^\[(.*)\]$/, '$1');
    this.#port = origin.port === '' ? 80 : Number(origin.port);
    this.#hostHeader = origin.host;
  }

  /** POSTs `body` to `path` with `Accept: accept` (and `Content-Type: accept` when the body is not empty). */
  post(path: string, accept: string, body: Uint8Array): Promise<HttpResult> {
    if (this.#closed) return Promise.reject(fail('the client is closed'));
    const head =
      `POST ${path} HTTP/1.1\r\nHost: ${this.#hostHeader}\r\nAccept: ${accept}\r\nContent-Length: ${body.length}\r\n` +
      (body.length > 0 ? `Content-Type: ${accept}\r\n` : '') +
      '\r\n';
    // One buffer for the header section (ASCII: one byte per character) and the body.
    const request = Buffer.allocUnsafe(head.length + body.length);
    request.write(head, 0, 'latin1');
    request.set(body, head.length);
    return new Promise((resolve, reject) => {
      let conn: Connection | undefined;
      while ((conn = this.#idle.pop()) !== undefined && (conn.closed || conn.socket.destroyed || !conn.socket.writable));
      // A kept-alive connection the server closed as the request went out: once more on a new one
      // (the server read nothing of it, RFC 9112 §9.3.1).
      const retry = conn && (() => this.#connect().send(request, { resolve, reject }));
      (conn ?? this.#connect()).send(request, { resolve, reject, ...(retry && { retry }) });
    });
  }

  #connect(): Connection {
    return new Connection({ host: this.#host, port: this.#port }, (x) => this.#release(x), this.#timeoutMs, this.#readBuffer);
  }

  #release(c: Connection): void {
    if (this.#closed) c.socket.destroy();
    else this.#idle.push(c);
  }

  /** Closes the idle connections; requests in flight finish, then their connections close. */
  close(): void {
    this.#closed = true;
    for (const c of this.#idle.splice(0)) c.socket.destroy();
  }
}
