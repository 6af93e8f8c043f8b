/**
 * The TAM's HTTP server: one Fastify instance carrying the TEEP binding (`POST /tam`,
 * `POST /tam/pre26`), `/metrics`, `/healthz`, the OpenAPI document and, when given, the management
 * API under `/admin/v1/` behind a bearer token.
 *
 *   createTamHttpServer(options)   -> Fastify instance (tests use app.inject(), no socket needed)
 *   listenTamHttpServer(app, addr) -> bound socket, default 127.0.0.1 and an ephemeral port
 *   closeGracefully(app)           -> stop accepting, let in-flight exchanges finish (new requests on
 *                                     kept-alive connections get 503), then run onClose hooks
 *
 * Every response carries the otrp-over-http-15 §4 header fields (security-headers.ts). There is no
 * rate limit on the TEEP routes: the protocol is the hot path and a benchmark must not be throttled.
 */
import { Server as HttpsServer } from 'node:https';
import Fastify from 'fastify';
import type { FastifyBaseLogger, FastifyInstance, FastifyServerOptions } from 'fastify';
import { bearerAuth } from './admin-auth.js';
import { createErrorHandler } from './error-handler.js';
import { HttpConfigInvalid, HttpListenFailed, HttpNotFound } from './errors.js';
import { createTamMetrics } from './metrics.js';
import { BEARER_SCHEME, registerOpenApi } from './openapi.js';
import type { OpenApiOptions } from './openapi.js';
import { TEEP_SECURITY_HEADERS } from './security-headers.js';
import type { TamProtocolHandler } from './tam-handler.js';
import { teepRoutes } from './teep-route.js';

/** Prefix of the management API. */
export const ADMIN_PREFIX = '/admin/v1';

export interface TamHttpServerOptions {
  /** The TAM's protocol side (ProcessConnect / ProcessTeepMessage). */
  readonly handler: TamProtocolHandler;
  /** A pino logger (Fastify's own); default: no logging. */
  readonly logger?: FastifyBaseLogger;
  /** Largest TEEP body in bytes (default 1 MiB); larger -> 413. */
  readonly bodyLimit?: number;
  /** Refuse TEEP requests that have no Accept header at all (see teep-route.ts). Default false. */
  readonly requireAccept?: boolean;
  /** Serve HTTPS with this certificate chain and key (PEM), as -15 §4 recommends. */
  readonly tls?: { readonly cert: string | Buffer; readonly key: string | Buffer };
  /** Trust X-Forwarded-* from these proxies when taking the client address (Fastify `trustProxy`). */
  readonly trustProxy?: boolean | string | string[];
  /** Bearer token of the management API; required when `admin` is given. */
  readonly adminToken?: string;
  /**
   * Registers the management API. Called inside an encapsulated scope with prefix `/admin/v1`,
   * whose requests must carry the bearer token (checked at onRequest, before the body is read) and
   * whose routes appear in the OpenAPI document with the bearer security scheme.
   */
  readonly admin?: (scope: FastifyInstance) => void | Promise<void>;
  /** Readiness probe for `/healthz` (e.g. a store ping); throwing makes it answer 503. */
  readonly healthCheck?: () => void | Promise<void>;
  /** Add prom-client's process metrics to `/metrics`. Default false. */
  readonly defaultMetrics?: boolean;
  /** Title and version of the OpenAPI document. */
  readonly openapi?: OpenApiOptions;
}

/**
 * Build the TAM's Fastify instance. Nothing listens until {@link listenTamHttpServer}; `app.inject()`
 * works right away. Throws HttpConfigInvalid when `admin` is given without a usable `adminToken`.
 */
export function createTamHttpServer(options: TamHttpServerOptions): FastifyInstance {
  const adminAuth = options.admin === undefined ? undefined : bearerAuth(requireToken(options.adminToken));
  const fastifyOptions: FastifyServerOptions & { https?: { cert: string | Buffer; key: string | Buffer } } = {
    ...(options.logger !== undefined ? { loggerInstance: options.logger } : { logger: false }),
    ...(options.tls !== undefined ? { https: { cert: options.tls.cert, key: options.tls.key } } : {}),
    ...(options.trustProxy !== undefined ? { trustProxy: options.trustProxy } : {}),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  };
  if (options.bodyLimit !== undefined && !(Number.isSafeInteger(options.bodyLimit) && options.bodyLimit > 0)) {
    throw new HttpConfigInvalid('bodyLimit must be a positive integer number of bytes');
  }
  let app: FastifyInstance;
  try {
    // The https variant of Fastify's overloads only changes the server type parameter.
    app = Fastify(fastifyOptions) as unknown as FastifyInstance;
  } catch (cause) {
    // e.g. a TLS key that is not PEM, or a key that does not match the certificate
    throw new HttpConfigInvalid('cannot create the HTTP server (check the TLS certificate and key)', { cause });
  }
  const metrics = createTamMetrics({ defaultMetrics: options.defaultMetrics === true });

  // Once closing, every response ends its connection: a kept-alive connection whose request was
  // in flight would otherwise hold close() open until its keep-alive timeout.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.headers(TEEP_SECURITY_HEADERS);
    if (closing) reply.header('connection', 'close');
    return payload;
  });
  app.setErrorHandler(createErrorHandler('admin', metrics));
  app.setNotFoundHandler(async () => {
    throw new HttpNotFound();
  });

  // Swagger first: it documents only the routes registered after it.
  registerOpenApi(app, options.openapi);

  app.register(async (scope) => {
    scope.get('/metrics', {
      schema: { tags: ['meta'], summary: 'Prometheus metrics (no token needed)' },
      handler: async (_request, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
    });
    scope.get('/healthz', {
      schema: { tags: ['meta'], summary: 'Liveness and readiness' },
      handler: async (request, reply) => {
        try {
          await options.healthCheck?.();
        } catch (err) {
          request.log.error({ err }, 'health check failed');
          return reply.code(503).type('application/json; charset=utf-8').send('{"status":"unavailable"}');
        }
        return reply.type('application/json; charset=utf-8').send('{"status":"ok"}');
      },
    });
  });

  app.register(teepRoutes, {
    handler: options.handler,
    metrics,
    ...(options.bodyLimit !== undefined ? { bodyLimit: options.bodyLimit } : {}),
    ...(options.requireAccept !== undefined ? { requireAccept: options.requireAccept } : {}),
  });

  if (options.admin !== undefined && adminAuth !== undefined) {
    const registerAdmin = options.admin;
    app.register(
      async (scope) => {
        scope.addHook('onRoute', (route) => {
          if (route.schema?.hide === true) return;
          route.schema = { ...route.schema, security: [{ [BEARER_SCHEME]: [] }] };
        });
        scope.addHook('onRequest', adminAuth);
        scope.setErrorHandler(createErrorHandler('admin', metrics));
        await registerAdmin(scope);
      },
      { prefix: ADMIN_PREFIX },
    );
  }
  return app;
}

function requireToken(token: string | undefined): string {
  if (token === undefined) throw new HttpConfigInvalid('the admin API needs an admin token');
  return token;
}

export interface ListenOptions {
  /** Default 127.0.0.1: never expose the TAM on all interfaces unless asked to. */
  readonly host?: string;
  /** Default 0: an ephemeral port. */
  readonly port?: number;
}

export interface ListeningAddress {
  readonly url: string;
  readonly host: string;
  readonly port: number;
}

/** Start listening; resolves with the bound address and a base URL (`http://` or `https://`). */
export async function listenTamHttpServer(app: FastifyInstance, options: ListenOptions = {}): Promise<ListeningAddress> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  try {
    await app.listen({ host, port });
  } catch (cause) {
    const reason = (cause as { code?: unknown }).code;
    throw new HttpListenFailed(`cannot listen on ${host}:${port}${typeof reason === 'string' ? ` (${reason})` : ''}`, { cause });
  }
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new HttpConfigInvalid('the server is not bound to a TCP port');
  const scheme = (app.server as unknown) instanceof HttpsServer ? 'https' : 'http';
  const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return { url: `${scheme}://${hostPart}:${address.port}`, host: address.address, port: address.port };
}

export interface CloseOptions {
  /** After this many ms, connections still open are cut. Default 10 000. */
  readonly timeoutMs?: number;
}

/**
 * Close gracefully: stop accepting connections, answer 503 to new requests on kept-alive
 * connections, wait for in-flight exchanges, then run the onClose hooks (the store closes there).
 * Connections still busy after `timeoutMs` are destroyed. Resolves `{ forced }`.
 */
export async function closeGracefully(app: FastifyInstance, options: CloseOptions = {}): Promise<{ forced: boolean }> {
  let forced = false;
  const timer = setTimeout(() => {
    forced = true;
    app.server.closeAllConnections();
  }, options.timeoutMs ?? 10_000);
  timer.unref();
  try {
    await app.close();
  } finally {
    clearTimeout(timer);
  }
  return { forced };
}
