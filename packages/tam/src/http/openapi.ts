/**
 * OpenAPI plumbing: @fastify/swagger collects every route registered after it (its `onRoute` hook),
 * and `GET /admin/v1/openapi.json` serves the OpenAPI 3 document without a token, so clients and
 * tools can discover the API before they hold credentials. Routes under the admin scope are marked
 * with the `bearerAuth` security scheme by server.ts.
 */
import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';

/** Path of the OpenAPI document. */
export const OPENAPI_PATH = '/admin/v1/openapi.json';

/** Name of the bearer security scheme in `components.securitySchemes`. */
export const BEARER_SCHEME = 'bearerAuth';

/**
 * JSON Schema of every error body (`{ code, message }`, written by error-handler.ts), for route
 * response schemas: `response: { 404: { description: '...', ...ERROR_BODY_SCHEMA } }`.
 */
export const ERROR_BODY_SCHEMA = {
  type: 'object',
  properties: {
    code: { type: 'string', description: 'stable error code (error-response.ts table)' },
    message: { type: 'string' },
  },
  required: ['code', 'message'],
} as const;

export interface OpenApiOptions {
  readonly title?: string;
  readonly version?: string;
}

/**
 * Queue @fastify/swagger and the document route on `app` (the root instance). Call it before any
 * documented route is registered: swagger only sees routes added after it loads.
 */
export function registerOpenApi(app: FastifyInstance, options: OpenApiOptions = {}): void {
  app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: options.title ?? 'otrp Trusted Application Manager',
        description: 'TEEP over HTTP (otrp-over-http-15) and the TAM management API',
        version: options.version ?? '0.1.0',
      },
      components: {
        securitySchemes: { [BEARER_SCHEME]: { type: 'http', scheme: 'bearer' } },
      },
    },
    transformObject: (doc) => ('openapiObject' in doc ? optionalTeepBodies(doc.openapiObject) : doc.swaggerObject),
  });
  app.register(async (scope) => {
    scope.get(OPENAPI_PATH, {
      schema: { tags: ['meta'], summary: 'This OpenAPI 3 document (no token needed)' },
      handler: async (_request, reply) =>
        reply.type('application/json; charset=utf-8').send(JSON.stringify(scope.swagger())),
    });
  });
}

/**
 * @fastify/swagger marks every documented request body as required, but a TEEP body may be empty
 * (an empty POST opens a session, -15 §6.1): un-require the bodies whose media type is TEEP.
 */
function optionalTeepBodies<T extends { paths?: unknown }>(doc: T): T {
  const paths = (doc.paths ?? {}) as Record<string, Record<string, { requestBody?: { required?: boolean; content?: object } }>>;
  for (const item of Object.values(paths)) {
    for (const op of Object.values(item)) {
      const body = op?.requestBody;
      if (body?.content !== undefined && 'application/teep+cbor' in body.content) body.required = false;
    }
  }
  return doc;
}
