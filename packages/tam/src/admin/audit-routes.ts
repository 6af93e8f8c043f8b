/**
 * The audit log under /admin/v1/audit, newest first, paged by cursor (store/kysely/audit-log.ts): a
 * page's `next` is passed back as `before` to read the older page; null on the last page. Cursor
 * paging stays stable while new entries arrive, which offset paging would not.
 *
 *   GET /audit   ?limit (1..1000, default 100) ?before ?deviceId ?action ?decision   400 bad cursor
 */
import type { FastifyInstance } from 'fastify';
import type { AuditDecision } from '../store/records.js';
import type { AdminContext } from './admin-deps.js';
import { AUDIT_ENTRY_SCHEMA, errorResponses } from './schemas.js';
import { auditView } from './views.js';

interface AuditQueryString {
  limit: number;
  before?: string;
  deviceId?: string;
  action?: string;
  decision?: AuditDecision;
}

export function auditRoutes(scope: FastifyInstance, ctx: AdminContext): void {
  scope.get<{ Querystring: AuditQueryString }>('/audit', {
    config: { auditAction: 'audit.read' },
    schema: {
      tags: ['audit'],
      summary: 'Read the audit log, newest first',
      querystring: {
        type: 'object',
        properties: {
          limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
          before: { type: 'string', pattern: '^[1-9][0-9]{0,15}$', description: 'the `next` of the previous page' },
          deviceId: { type: 'string', minLength: 1, maxLength: 1024 },
          action: { type: 'string', minLength: 1, maxLength: 256, description: 'e.g. admin.tc.upload' },
          decision: { type: 'string', enum: ['allow', 'deny', 'error', 'info'] },
        },
      },
      response: {
        200: {
          type: 'object',
          properties: {
            entries: { type: 'array', items: AUDIT_ENTRY_SCHEMA },
            next: { type: ['string', 'null'], description: 'cursor of the next (older) page; null on the last page' },
          },
          required: ['entries', 'next'],
        },
        ...errorResponses(400),
      },
    },
    handler: async (request) => {
      const { limit, before, deviceId, action, decision } = request.query;
      const page = await ctx.store.audit.list({
        limit,
        ...(before !== undefined ? { before } : {}),
        ...(deviceId !== undefined ? { deviceId } : {}),
        ...(action !== undefined ? { action } : {}),
        ...(decision !== undefined ? { decision } : {}),
      });
      return { entries: page.entries.map(auditView), next: page.next };
    },
  });
}
