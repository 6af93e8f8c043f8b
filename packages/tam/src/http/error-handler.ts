/**
 * The Fastify glue around `error-response.ts`: one error handler per route family that logs the
 * error (with its cause) at the level the mapping chose, counts it, and writes the response. A drop
 * is a bodiless 204; any other error is a small JSON object `{ code, message }`.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { errorResponse } from './error-response.js';
import type { ErrorResponse, ErrorScope } from './error-response.js';
import type { TamMetrics } from './metrics.js';

/** Build the error handler of a route family. `onMapped` lets the TEEP route note a drop for metrics. */
export function createErrorHandler(
  scope: ErrorScope,
  metrics: TamMetrics,
  onMapped?: (request: FastifyRequest, mapped: ErrorResponse) => void,
): (err: FastifyError, request: FastifyRequest, reply: FastifyReply) => FastifyReply {
  return (err, request, reply) => {
    const mapped = errorResponse(err, scope);
    request.log[mapped.logLevel]({ err, code: mapped.code, status: mapped.status }, mapped.drop ? 'message dropped' : 'request failed');
    metrics.errors.inc({ code: mapped.code });
    onMapped?.(request, mapped);
    reply.headers(mapped.headers);
    if (mapped.drop) return reply.code(204).send();
    return reply
      .code(mapped.status)
      .type('application/json; charset=utf-8')
      .send(JSON.stringify({ code: mapped.code, message: mapped.message }));
  };
}
