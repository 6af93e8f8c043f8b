/**
 * Policies under /admin/v1/policies: which TCs devices should have (issue 5; -26 §7.1.1 leaves the
 * policy to the TAM). One policy per (scope, TC); setting it again replaces its action.
 *
 *   POST   /policies        { tcId, action: required|optional|remove, scope }   201 new | 200 replaced
 *                           404 unknown TC or device, 400 incomplete scope
 *   GET    /policies        list (?tcId, ?scope=all|device|hwmodel with ?deviceId / ?hwmodel)
 *   GET    /policies/:id    one policy     404
 *   DELETE /policies/:id    204            404
 *
 * `optional` means "install on request": the TC goes to a device only when its Agent lists it in
 * requested-tc-list (-26 §4.3).
 */
import type { FastifyInstance } from 'fastify';
import { fromHex } from '@otrp/core';
import { StoreNotFound } from '../store/errors.js';
import type { PolicyAction, PolicyScope } from '../store/records.js';
import type { AdminContext } from './admin-deps.js';
import { auditChange } from './audit.js';
import { AdminInvalidArgument } from './errors.js';
import { HEX_INPUT, ID_PARAMS, POLICY_INPUT_SCHEMA, POLICY_SCHEMA, errorResponses } from './schemas.js';
import { policyView } from './views.js';

const TAGS = ['policies'];

interface ScopeInput {
  kind: 'device' | 'hwmodel' | 'all';
  deviceId?: string;
  hwmodel?: string;
}

/** A request's scope as the store takes it; the field its kind needs must be there, and only that one. */
export function toPolicyScope(s: ScopeInput): PolicyScope {
  const wanted = s.kind === 'device' ? 'deviceId' : s.kind === 'hwmodel' ? 'hwmodel' : undefined;
  const extra = (['deviceId', 'hwmodel'] as const).filter((k) => s[k] !== undefined && k !== wanted);
  if (extra.length > 0) throw new AdminInvalidArgument(`scope kind ${s.kind} takes no ${extra.join(', ')}`);
  if (s.kind === 'device') {
    if (s.deviceId === undefined) throw new AdminInvalidArgument('scope kind device needs deviceId');
    return { kind: 'device', deviceId: s.deviceId };
  }
  if (s.kind === 'hwmodel') {
    if (s.hwmodel === undefined) throw new AdminInvalidArgument('scope kind hwmodel needs hwmodel (hex)');
    return { kind: 'hwmodel', hwmodel: fromHex(s.hwmodel) };
  }
  return { kind: 'all' };
}

export function policyRoutes(scope: FastifyInstance, ctx: AdminContext): void {
  const { store } = ctx;

  scope.post<{ Body: { tcId: string; action: PolicyAction; scope: ScopeInput } }>('/policies', {
    config: { auditAction: 'policy.set' },
    schema: {
      tags: TAGS,
      summary: 'Set the policy of a TC for a device, a hwmodel or all devices',
      body: POLICY_INPUT_SCHEMA,
      response: { 200: { description: 'replaced', ...POLICY_SCHEMA }, 201: { description: 'created', ...POLICY_SCHEMA }, ...errorResponses(400, 404) },
    },
    handler: async (request, reply) => {
      const { tcId, action } = request.body;
      const policyScope = toPolicyScope(request.body.scope);
      const { record, created } = await store.transaction(async (tx) => {
        if (policyScope.kind === 'device' && (await tx.devices.get(policyScope.deviceId)) === undefined) {
          throw new StoreNotFound(`no device with id ${policyScope.deviceId}`);
        }
        const before = await tx.policies.list({ tcId, scope: policyScope });
        const record = await tx.policies.set({ tcId, action, scope: policyScope });
        await auditChange(tx.audit, request, {
          policyId: record.id,
          tcId,
          policyAction: action,
          previousAction: before[0]?.action ?? null,
          scope: policyView(record).scope,
        });
        return { record, created: before.length === 0 };
      });
      return reply.code(created ? 201 : 200).send(policyView(record));
    },
  });

  scope.get<{ Querystring: { tcId?: string } & Partial<ScopeInput> & { scope?: ScopeInput['kind'] } }>('/policies', {
    config: { auditAction: 'policy.list' },
    schema: {
      tags: TAGS,
      summary: 'List policies, by TC then scope',
      querystring: {
        type: 'object',
        properties: {
          tcId: { type: 'string', minLength: 1, maxLength: 1024 },
          scope: { type: 'string', enum: ['device', 'hwmodel', 'all'] },
          deviceId: { type: 'string', minLength: 1, maxLength: 1024 },
          hwmodel: HEX_INPUT,
        },
      },
      response: { 200: { type: 'object', properties: { items: { type: 'array', items: POLICY_SCHEMA } }, required: ['items'] }, ...errorResponses(400) },
    },
    handler: async (request) => {
      const q = request.query;
      if (q.scope === undefined && (q.deviceId !== undefined || q.hwmodel !== undefined)) {
        throw new AdminInvalidArgument('deviceId and hwmodel filter only together with scope');
      }
      const filter = {
        ...(q.tcId !== undefined ? { tcId: q.tcId } : {}),
        ...(q.scope !== undefined
          ? { scope: toPolicyScope({ kind: q.scope, ...(q.deviceId !== undefined ? { deviceId: q.deviceId } : {}), ...(q.hwmodel !== undefined ? { hwmodel: q.hwmodel } : {}) }) }
          : {}),
      };
      return { items: (await store.policies.list(filter)).map(policyView) };
    },
  });

  scope.get<{ Params: { id: string } }>('/policies/:id', {
    config: { auditAction: 'policy.get' },
    schema: { tags: TAGS, summary: 'One policy', params: ID_PARAMS, response: { 200: POLICY_SCHEMA, ...errorResponses(404) } },
    handler: async (request) => {
      const r = await store.policies.get(request.params.id);
      if (r === undefined) throw new StoreNotFound(`no policy with id ${request.params.id}`);
      return policyView(r);
    },
  });

  scope.delete<{ Params: { id: string } }>('/policies/:id', {
    config: { auditAction: 'policy.delete' },
    schema: { tags: TAGS, summary: 'Delete a policy', params: ID_PARAMS, response: { 204: { description: 'deleted', type: 'null' }, ...errorResponses(404) } },
    handler: async (request, reply) => {
      await store.transaction(async (tx) => {
        const r = await tx.policies.get(request.params.id);
        if (r === undefined) throw new StoreNotFound(`no policy with id ${request.params.id}`);
        await tx.policies.delete(r.id);
        await auditChange(tx.audit, request, { policyId: r.id, tcId: r.tcId, policyAction: r.action, scope: policyView(r).scope });
      });
      return reply.code(204).send();
    },
  });
}
