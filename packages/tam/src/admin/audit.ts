/**
 * The admin API's audit trail (issue 5: "an audit log of every decision"; every refusal is kept).
 *
 * - A change (upload, deprecate, delete, policy set/delete, block, unblock, decommission) appends
 *   an `allow` entry INSIDE the transaction that makes the change: the entry exists exactly when
 *   the change does.
 * - A refused or failed request (401 included: the bearer check runs in this scope's onRequest) is
 *   appended from the scope's onError hook, AFTER the transaction rolled back, as `deny` (4xx) or
 *   `error` (5xx) with the code the client got. If the database itself is down, that append fails
 *   too; the failure is logged and the client still gets its answer.
 *
 * Actions are `admin.<route action>`, e.g. `admin.tc.upload`; the actor is `admin` (the holder of
 * the one admin token).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errorResponse } from '../http/error-response.js';
import type { AuditDecision, JsonValue } from '../store/records.js';
import type { AuditLog, Store } from '../store/store.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Audit action of an admin route, without the `admin.` prefix (e.g. `tc.upload`). */
    auditAction?: string;
  }
}

/** The actor of every admin API entry. */
export const ADMIN_ACTOR = 'admin';

/** Facts a handler learned before it failed (e.g. the subject of an untrusted signer). */
const notes = new WeakMap<FastifyRequest, Record<string, JsonValue>>();

/** Adds facts to the refusal entry written if this request fails. */
export function noteForAudit(request: FastifyRequest, detail: Record<string, JsonValue>): void {
  notes.set(request, { ...notes.get(request), ...detail });
}

function actionOf(request: FastifyRequest): string {
  return `admin.${request.routeOptions.config?.auditAction ?? 'request'}`;
}

/** The device a device route is about (its `:id`), for the audit log's per-device index. */
function deviceOf(request: FastifyRequest): string | null {
  const action = request.routeOptions.config?.auditAction ?? '';
  const id = (request.params as { id?: unknown } | undefined)?.id;
  return action.startsWith('device.') && typeof id === 'string' && id.length > 0 && id.length <= 1024 ? id : null;
}

function requestFacts(request: FastifyRequest): Record<string, JsonValue> {
  return { method: request.method, path: request.url.split('?')[0] ?? request.url, requestId: String(request.id), remote: request.ip };
}

/** Appends the `allow` entry of a change; call it with the transaction's audit log. */
export async function auditChange(audit: AuditLog, request: FastifyRequest, detail: Record<string, JsonValue>): Promise<void> {
  await audit.append({ actor: ADMIN_ACTOR, action: actionOf(request), decision: 'allow', deviceId: deviceOf(request), detail: { ...requestFacts(request), ...detail } });
}

/** Installs the onError hook that writes every refused or failed admin request to the audit log. */
export function auditRefusals(scope: FastifyInstance, store: Store): void {
  scope.addHook('onError', async (request, _reply, error) => {
    const mapped = errorResponse(error, 'admin');
    const decision: AuditDecision = mapped.status >= 500 ? 'error' : 'deny';
    try {
      await store.audit.append({
        actor: ADMIN_ACTOR,
        action: actionOf(request),
        decision,
        deviceId: deviceOf(request),
        code: mapped.code,
        detail: { ...requestFacts(request), status: mapped.status, message: mapped.message, ...notes.get(request) },
      });
    } catch (err) {
      request.log.error({ err, code: mapped.code }, 'cannot write the admin refusal to the audit log');
    }
  });
}
