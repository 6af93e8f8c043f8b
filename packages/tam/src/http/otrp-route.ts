/**
 * The OTrP-over-HTTP server side (draft-ietf-teep-otrp-over-http-02 §6) at `POST /otrp`, on the same
 * listener as TEEP. Its own binding, not TEEP's (-15): where they differ, OTrP follows -02.
 *
 *   empty body (any Content-Type), Accept allowing application/otrp+json
 *                      -> processConnect   -> 200 application/otrp+json (GetDeviceStateRequest, -02 §7 step 6)
 *   non-empty body     -> Content-Type must be application/otrp+json (else 415)
 *                      -> processOtrpMessage -> 200 with the next request, or 204 (-02 §6.2: empty buffer)
 *   Accept excluding application/otrp+json -> 406;  not POST -> 405 (Allow: POST, -02 §4)
 *   errors             -> error-response.ts, scope `otrp` (a refused response ends the exchange: 204)
 *
 * Every answer carries `Cache-Control: no-store` (-02 §4, after BCP 56bis §4.12), which TEEP's -15
 * forbids; the other three security header fields come from the server-wide hook.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorResponse } from './error-response.js';
import { HttpMethodNotAllowed, HttpNotAcceptable, HttpUnsupportedMediaType } from './errors.js';

export const OTRP_MEDIA_TYPE = 'application/otrp+json';
export const OTRP_ROUTE = '/otrp';
/** Core's OTrP JSON limit is 4 MiB per message (otrp/json.ts); a little room for whitespace. */
export const DEFAULT_OTRP_BODY_LIMIT = 4 * 1024 * 1024 + 4096;

/** The TAM as the OTrP/HTTP server sees it (-02 §6.1 "ProcessConnect", "ProcessOTrPMessage"). */
export interface OtrpProtocolHandler {
  processConnect(): Promise<string | null>;
  processOtrpMessage(body: Uint8Array): Promise<string | null>;
}

export interface OtrpRouteOptions {
  readonly handler: OtrpProtocolHandler;
  readonly bodyLimit?: number;
}

/** media type of a Content-Type value, lower-cased, parameters dropped. */
function mediaType(v: string | undefined): string | undefined {
  return v?.split(';')[0]?.trim().toLowerCase();
}

/** False when Accept is present and allows neither application/otrp+json nor a wildcard covering it. */
export function acceptsOtrp(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  return accept.split(',').some((part) => {
    const [range, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    if (q !== undefined && Number(q.slice(2)) === 0) return false;
    return range === OTRP_MEDIA_TYPE || range === 'application/*' || range === '*/*';
  });
}

function sendError(err: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const mapped = errorResponse(err, 'otrp');
  request.log[mapped.logLevel]({ err, code: mapped.code, status: mapped.status }, mapped.drop ? 'OTrP exchange ended' : 'request failed');
  reply.headers(mapped.headers).header('cache-control', 'no-store');
  if (mapped.drop) return reply.code(204).send();
  return reply.code(mapped.status).type('application/json; charset=utf-8').send(JSON.stringify({ code: mapped.code, message: mapped.message }));
}

export async function otrpRoutes(app: FastifyInstance, options: OtrpRouteOptions): Promise<void> {
  const contentTypes = new WeakMap<FastifyRequest, string | undefined>();
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.setErrorHandler(sendError);
  app.addHook('onRequest', async (request) => {
    if (request.method !== 'POST') return;
    // As on /tam: an empty POST opens a session whatever its Content-Type, so the header is taken
    // off before Fastify picks a parser from it, and checked here.
    const raw = request.raw.headers;
    contentTypes.set(request, raw['content-type']);
    delete raw['content-type'];
    const length = raw['content-length'];
    if (length !== undefined && length !== '0' && mediaType(contentTypes.get(request)) !== OTRP_MEDIA_TYPE) throw new HttpUnsupportedMediaType();
    if (!acceptsOtrp(raw['accept'])) throw new HttpNotAcceptable();
  });
  app.post(OTRP_ROUTE, {
    bodyLimit: options.bodyLimit ?? DEFAULT_OTRP_BODY_LIMIT,
    schema: { tags: ['otrp'], summary: 'OTrP over HTTP (draft-ietf-teep-otrp-over-http-02)', hide: false },
    handler: async (request, reply) => {
      const body = request.body as Buffer | undefined;
      let answer: string | null;
      if (body === undefined || body.length === 0) answer = await options.handler.processConnect();
      else {
        if (mediaType(contentTypes.get(request)) !== OTRP_MEDIA_TYPE) throw new HttpUnsupportedMediaType();
        answer = await options.handler.processOtrpMessage(new Uint8Array(body.buffer, body.byteOffset, body.byteLength));
      }
      reply.header('cache-control', 'no-store');
      if (answer === null || answer.length === 0) return reply.code(204).send();
      // Bytes, so that Fastify adds no charset parameter (JSON is UTF-8, RFC 8259 §8.1; -02 §7 step 7).
      return reply.code(200).type(OTRP_MEDIA_TYPE).send(Buffer.from(answer, 'utf8'));
    },
  });
  app.route({
    method: ['GET', 'HEAD', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'],
    url: OTRP_ROUTE,
    exposeHeadRoute: false,
    schema: { hide: true },
    handler: async () => {
      throw new HttpMethodNotAllowed(['POST']);
    },
  });
}
