/**
 * Devices under /admin/v1/devices. Devices are created by the protocol (first attested contact),
 * never here; the operator reads them and blocks, unblocks or decommissions them.
 *
 *   GET  /devices                      { items, limit, offset }, each with its inventory
 *                                      (?limit, ?offset, ?blocked, ?includeDecommissioned=false)
 *   GET  /devices/:id                  the device, its inventory and the policy that wins per TC   404
 *   POST /devices/:id/block            the TAM stops serving it            404
 *   POST /devices/:id/unblock                                              404
 *   POST /devices/:id/decommission     one-way; repeating it changes nothing  404
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { DeviceRecord } from '../store/records.js';
import type { StoreRepositories } from '../store/store.js';
import { StoreNotFound } from '../store/errors.js';
import type { AdminContext } from './admin-deps.js';
import { auditChange } from './audit.js';
import { DEVICE_DETAIL_SCHEMA, DEVICE_SCHEMA, ID_PARAMS, PAGING_QUERY, errorResponses, pageOf } from './schemas.js';
import { deviceView, inventoryView, resolvedPolicyView } from './views.js';

const TAGS = ['devices'];

async function withInventory(repos: StoreRepositories, d: DeviceRecord): Promise<Record<string, unknown>> {
  return { ...deviceView(d), inventory: (await repos.inventory.list(d.id)).map(inventoryView) };
}

type Change = 'block' | 'unblock' | 'decommission';

export function deviceRoutes(scope: FastifyInstance, ctx: AdminContext): void {
  const { store } = ctx;

  scope.get<{ Querystring: { limit: number; offset: number; blocked?: boolean; includeDecommissioned: boolean } }>('/devices', {
    config: { auditAction: 'device.list' },
    schema: {
      tags: TAGS,
      summary: 'List devices with their inventory, oldest first',
      querystring: {
        type: 'object',
        properties: { ...PAGING_QUERY, blocked: { type: 'boolean' }, includeDecommissioned: { type: 'boolean', default: false } },
      },
      response: { 200: pageOf(DEVICE_SCHEMA), ...errorResponses(400) },
    },
    handler: async (request) => {
      const { limit, offset, blocked, includeDecommissioned } = request.query;
      const devices = await store.devices.list({ limit, offset, includeDecommissioned, ...(blocked !== undefined ? { blocked } : {}) });
      const items = [];
      for (const d of devices) items.push(await withInventory(store, d));
      return { items, limit, offset };
    },
  });

  scope.get<{ Params: { id: string } }>('/devices/:id', {
    config: { auditAction: 'device.get' },
    schema: { tags: TAGS, summary: 'One device, its inventory and its effective policies', params: ID_PARAMS, response: { 200: DEVICE_DETAIL_SCHEMA, ...errorResponses(404) } },
    handler: async (request) => {
      const d = await store.devices.get(request.params.id);
      if (d === undefined) throw new StoreNotFound(`no device with id ${request.params.id}`);
      return { ...(await withInventory(store, d)), policies: (await store.policies.resolve(d.id)).map(resolvedPolicyView) };
    },
  });

  const change = (what: Change, summary: string): void => {
    scope.post<{ Params: { id: string } }>(`/devices/:id/${what}`, {
      config: { auditAction: `device.${what}` },
      schema: { tags: TAGS, summary, params: ID_PARAMS, response: { 200: DEVICE_SCHEMA, ...errorResponses(404) } },
      handler: async (request) => store.transaction((tx) => applyChange(tx, request, what)),
    });
  };
  change('block', 'Block a device: the TAM refuses its sessions');
  change('unblock', 'Unblock a device');
  change('decommission', 'Decommission a device (one-way; the record stays for the audit trail)');
}

async function applyChange(tx: StoreRepositories, request: FastifyRequest<{ Params: { id: string } }>, what: Change): Promise<Record<string, unknown>> {
  const before = await tx.devices.get(request.params.id);
  if (before === undefined) throw new StoreNotFound(`no device with id ${request.params.id}`);
  let after: DeviceRecord;
  if (what === 'decommission') {
    after = before.decommissioned ? before : await tx.devices.decommission(before.id);
  } else {
    after = await tx.devices.setBlocked(before.id, what === 'block');
  }
  await auditChange(tx.audit, request, { blockedBefore: before.blocked, blocked: after.blocked, decommissioned: after.decommissioned });
  return withInventory(tx, after);
}
