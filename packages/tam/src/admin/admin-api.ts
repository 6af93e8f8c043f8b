/**
 * The TAM management REST API (issue 5), registered into the `/admin/v1` scope that
 * `createTamHttpServer({ adminToken, admin })` prepares (bearer token checked at onRequest, routes
 * listed in the OpenAPI document with the bearer scheme, errors through http/error-response.ts):
 *
 * ```ts
 * createTamHttpServer({ handler, adminToken, admin: (scope) => registerAdminApi(scope, { store, signerTrust }) });
 * ```
 *
 * Lifecycle of an admin request (each failure is one row of the README's admin error table):
 *   onRequest   no / wrong bearer token                       -> 401 ERR_HTTP_UNAUTHORIZED
 *   parsing     body above the limit / unknown Content-Type    -> 413 / 415
 *   validation  JSON body, params or query fail their schema   -> 400 ERR_HTTP_BAD_REQUEST
 *   handler     upload check (upload-check.ts)                 -> 400 / 422
 *               store: unknown id, conflict, down              -> 404 / 409 / 503
 *   onError     every refusal -> the audit log (audit.ts); changes are audited in their transaction
 */
import type { FastifyInstance } from 'fastify';
import { adminContext } from './admin-deps.js';
import type { AdminApiDeps } from './admin-deps.js';
import { auditRefusals } from './audit.js';
import { auditRoutes } from './audit-routes.js';
import { deviceRoutes } from './device-routes.js';
import { policyRoutes } from './policy-routes.js';
import { tcRoutes } from './tc-routes.js';

/** Every admin route (relative to /admin/v1), for documentation and the OpenAPI completeness test. */
export const ADMIN_ROUTES: readonly { readonly method: 'GET' | 'POST' | 'DELETE'; readonly url: string }[] = Object.freeze([
  { method: 'POST', url: '/tcs' },
  { method: 'GET', url: '/tcs' },
  { method: 'GET', url: '/tcs/:id' },
  { method: 'GET', url: '/tcs/:id/envelope' },
  { method: 'POST', url: '/tcs/:id/deprecate' },
  { method: 'DELETE', url: '/tcs/:id' },
  { method: 'POST', url: '/policies' },
  { method: 'GET', url: '/policies' },
  { method: 'GET', url: '/policies/:id' },
  { method: 'DELETE', url: '/policies/:id' },
  { method: 'GET', url: '/devices' },
  { method: 'GET', url: '/devices/:id' },
  { method: 'POST', url: '/devices/:id/block' },
  { method: 'POST', url: '/devices/:id/unblock' },
  { method: 'POST', url: '/devices/:id/decommission' },
  { method: 'GET', url: '/audit' },
]);

/** Registers the management API's routes and its refusal auditing into the admin scope. */
export function registerAdminApi(scope: FastifyInstance, deps: AdminApiDeps): void {
  const ctx = adminContext(deps);
  auditRefusals(scope, ctx.store);
  tcRoutes(scope, ctx);
  policyRoutes(scope, ctx);
  deviceRoutes(scope, ctx);
  auditRoutes(scope, ctx);
}
