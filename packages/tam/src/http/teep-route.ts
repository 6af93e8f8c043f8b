/**
 * The TEEP-over-HTTP server side (otrp-over-http-15 §6): `POST /tam` for draft-26 peers and
 * `POST /tam/pre26` for peers using the label numbering of drafts -12..-25.
 *
 * Lifecycle of one request (each refusal goes through error-response.ts):
 *   onRequest   Accept excludes application/teep+cbor            -> 406
 *               Content-Length > 0 and Content-Type is not TEEP  -> 415 (before reading the body)
 *   parsing     body above `bodyLimit`                           -> 413
 *   handler     empty body   -> processConnect(ctx)        (-15 §6.1 "request for a new TEEP session")
 *               non-empty    -> processTeepMessage(body)   (415 first if the Content-Type is wrong)
 *               message      -> 200 application/teep+cbor (-15 §6.3); null -> 204 (-15 §6.2)
 *               thrown error -> the table (a dropped message is 204, "cannot answer" is 5xx, §5.4)
 *   any other method -> 405 with `Allow: POST` (-15 §4: "Only the POST method is specified").
 *
 * Why the Content-Type is taken off the request: an empty body opens a session WHATEVER its
 * Content-Type, since -15 clients send only Accept and tools add their own (curl sends
 * application/x-www-form-urlencoded). Fastify would otherwise pick a body parser from the header and
 * refuse an empty form or JSON body, or an unparseable type, before our handler runs. The original
 * value is kept and checked here instead; every body goes through one raw-bytes parser.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TeepProfileName } from '@otrp/core';
import { createErrorHandler } from './error-handler.js';
import { HttpMethodNotAllowed, HttpNotAcceptable, HttpUnsupportedMediaType } from './errors.js';
import { TEEP_MEDIA_TYPE, acceptsTeep, isTeepContentType } from './media-type.js';
import { exchangeOutcome } from './metrics.js';
import { ERROR_BODY_SCHEMA } from './openapi.js';
import type { ExchangeKind, TamMetrics } from './metrics.js';
import type { TamProtocolHandler, TeepExchangeContext } from './tam-handler.js';

/** The TEEP resources and the profile each one speaks. */
export const TEEP_ROUTES: readonly { readonly url: string; readonly profile: TeepProfileName }[] = Object.freeze([
  { url: '/tam', profile: 'draft-26' },
  { url: '/tam/pre26', profile: 'pre-26' },
]);

/** Default largest TEEP body accepted: 1 MiB (an Update with embedded TCs should be fetched by URI). */
export const DEFAULT_TEEP_BODY_LIMIT = 1024 * 1024;

export interface TeepRouteOptions {
  readonly handler: TamProtocolHandler;
  readonly metrics: TamMetrics;
  /** Largest body in bytes; larger -> 413. Default {@link DEFAULT_TEEP_BODY_LIMIT}. */
  readonly bodyLimit?: number;
  /**
   * Refuse (406) a request without any Accept header. -15 §6.1 says a TAM SHOULD fail a request
   * lacking an appropriate Accept; RFC 9110 §12.5.1 reads an absent Accept as "anything". Default
   * false: only an Accept that excludes application/teep+cbor is refused.
   */
  readonly requireAccept?: boolean;
}

interface ExchangeState {
  contentType: string | undefined;
  kind: ExchangeKind;
  dropped: boolean;
}

const OTHER_METHODS = ['GET', 'HEAD', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const;

const RAW_BYTES = { type: 'string', format: 'binary' } as const;

/** Register the TEEP routes in their own encapsulated scope (own body parser and error handler). */
export async function teepRoutes(app: FastifyInstance, options: TeepRouteOptions): Promise<void> {
  const { handler, metrics } = options;
  const bodyLimit = options.bodyLimit ?? DEFAULT_TEEP_BODY_LIMIT;
  const states = new WeakMap<FastifyRequest, ExchangeState>();
  const stateOf = (request: FastifyRequest): ExchangeState => {
    let s = states.get(request);
    if (s === undefined) states.set(request, (s = { contentType: undefined, kind: 'refused', dropped: false }));
    return s;
  };

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.setErrorHandler(createErrorHandler('teep', metrics, (request, mapped) => {
    stateOf(request).dropped = mapped.drop;
  }));

  app.addHook('onRequest', async (request) => {
    const state = stateOf(request);
    if (request.method !== 'POST') return;
    const raw = request.raw.headers;
    state.contentType = raw['content-type'];
    delete raw['content-type'];
    const length = raw['content-length'];
    if (length !== undefined && length !== '0' && !isTeepContentType(state.contentType)) {
      throw new HttpUnsupportedMediaType();
    }
    const accepted = acceptsTeep(raw['accept']);
    if (accepted === false || (accepted === undefined && options.requireAccept === true)) throw new HttpNotAcceptable();
  });

  app.addHook('onResponse', async (request, reply) => {
    const state = stateOf(request);
    const route = request.routeOptions.url ?? 'unknown';
    metrics.exchanges.inc({ route, kind: state.kind, outcome: exchangeOutcome(reply.statusCode, state.dropped) });
    metrics.duration.observe({ route, kind: state.kind }, reply.elapsedTime / 1000);
  });

  for (const { url, profile } of TEEP_ROUTES) {
    app.post(url, {
      bodyLimit,
      // The body is raw TEEP bytes, checked by the TEEP codec; JSON Schema only documents it here.
      validatorCompiler: () => () => true,
      serializerCompiler: () => (data) => JSON.stringify(data),
      schema: {
        tags: ['teep'],
        summary: `TEEP over HTTP (${profile})`,
        description:
          'otrp-over-http-15: an empty body opens a session (ProcessConnect), any Content-Type; ' +
          'a non-empty body is a TEEP message (ProcessTeepMessage) and must be application/teep+cbor.',
        body: { content: { [TEEP_MEDIA_TYPE]: { schema: { ...RAW_BYTES, description: 'a TEEP message, or empty' } } } },
        response: {
          200: { description: "the TAM's next TEEP message", content: { [TEEP_MEDIA_TYPE]: { schema: RAW_BYTES } } },
          204: { description: 'nothing to send: the session is over, or the message was dropped', type: 'null' },
          406: { description: 'the Accept header excludes application/teep+cbor', ...ERROR_BODY_SCHEMA },
          413: { description: 'body above the configured limit', ...ERROR_BODY_SCHEMA },
          415: { description: 'non-empty body that is not application/teep+cbor', ...ERROR_BODY_SCHEMA },
          500: { description: 'the TAM could not produce an answer', ...ERROR_BODY_SCHEMA },
          503: { description: 'the store is unavailable; retry later', ...ERROR_BODY_SCHEMA },
        },
      },
      handler: async (request, reply) => {
        const state = stateOf(request);
        const body = request.body as Buffer | undefined;
        const ctx: TeepExchangeContext = { profile, remote: request.ip, requestId: request.id };
        let answer: Uint8Array | null;
        if (body === undefined || body.length === 0) {
          state.kind = 'connect';
          answer = await handler.processConnect(ctx);
        } else {
          // Chunked bodies have no Content-Length, so their type is checked once read.
          if (!isTeepContentType(state.contentType)) throw new HttpUnsupportedMediaType();
          state.kind = 'message';
          answer = await handler.processTeepMessage(new Uint8Array(body.buffer, body.byteOffset, body.byteLength), ctx);
        }
        if (answer === null || answer.byteLength === 0) return reply.code(204).send();
        return reply
          .code(200)
          .type(TEEP_MEDIA_TYPE)
          .send(Buffer.from(answer.buffer, answer.byteOffset, answer.byteLength));
      },
    });
    app.route({
      method: [...OTHER_METHODS],
      url,
      exposeHeadRoute: false,
      schema: { hide: true },
      handler: async () => {
        throw new HttpMethodNotAllowed(['POST']);
      },
    });
  }
}
