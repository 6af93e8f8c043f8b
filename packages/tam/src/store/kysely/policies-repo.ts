/**
 * Policies: which TCs a device should have. A scope is stored as (scope_kind, scope_key) so one
 * unique constraint covers all three kinds; resolution picks, per TC, the most specific policy
 * that applies to the device: its own (device), then its hwmodel's, then the one for all.
 */
import type { Selectable } from 'kysely';
import { StoreInvalidArgument, StoreNotFound } from '../errors.js';
import type { PolicyAction, PolicyInput, PolicyRecord, PolicyScope, ResolvedPolicy } from '../records.js';
import type { PolicyRepository } from '../store.js';
import { checkBytes, checkId, checkOneOf, fromBuffer, fromHex, hex, num } from './codec.js';
import type { Kysely } from 'kysely';
import { atomic, guard, type RepoContext } from './context.js';
import { prepared } from './prepared.js';
import type { PoliciesTable, Schema } from './schema.js';

export const POLICY_ACTIONS: readonly PolicyAction[] = ['required', 'optional', 'remove'];

/** Higher wins: device > hwmodel > all. */
const SPECIFICITY = { device: 3, hwmodel: 2, all: 1 } as const;

interface ScopeColumns {
  scope_kind: PolicyScope['kind'];
  scope_key: string;
}

function scopeColumns(scope: PolicyScope): ScopeColumns {
  if (typeof scope !== 'object' || scope === null) throw new StoreInvalidArgument('scope must be an object');
  switch (scope.kind) {
    case 'device':
      return { scope_kind: 'device', scope_key: checkId(scope.deviceId, 'scope.deviceId') };
    case 'hwmodel':
      return { scope_kind: 'hwmodel', scope_key: hex(checkBytes(scope.hwmodel, 'scope.hwmodel')) };
    case 'all':
      return { scope_kind: 'all', scope_key: '' };
    default:
      throw new StoreInvalidArgument('scope.kind must be device, hwmodel or all');
  }
}

function toScope(kind: string, key: string): PolicyScope {
  if (kind === 'device') return { kind: 'device', deviceId: key };
  if (kind === 'hwmodel') return { kind: 'hwmodel', hwmodel: fromHex(key) };
  return { kind: 'all' };
}

export function toPolicy(r: Selectable<PoliciesTable>): PolicyRecord {
  return {
    id: r.id,
    tcId: r.tc_id,
    action: r.action as PolicyAction,
    scope: toScope(r.scope_kind, r.scope_key),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
}

// Resolution runs for every QueryResponse: compiled once (prepared.ts), with and without a hwmodel.
const hwmodelOf = prepared((db, a: { id: string }) => db.selectFrom('devices').select('hwmodel').where('id', '=', a.id));
const candidates = (db: Kysely<Schema>) =>
  db
    .selectFrom('policies as p')
    .innerJoin('trusted_components as tc', 'tc.id', 'p.tc_id')
    .select(['p.id', 'p.tc_id', 'p.action', 'p.scope_kind', 'p.scope_key', 'tc.component_id', 'tc.deprecated']);
const forDevice = prepared((db, a: { deviceId: string }) =>
  candidates(db).where((eb) => eb.or([eb('p.scope_kind', '=', 'all'), eb.and([eb('p.scope_kind', '=', 'device'), eb('p.scope_key', '=', a.deviceId)])])),
);
const forDeviceAndModel = prepared((db, a: { deviceId: string; hwmodel: string }) =>
  candidates(db).where((eb) =>
    eb.or([
      eb('p.scope_kind', '=', 'all'),
      eb.and([eb('p.scope_kind', '=', 'device'), eb('p.scope_key', '=', a.deviceId)]),
      eb.and([eb('p.scope_kind', '=', 'hwmodel'), eb('p.scope_key', '=', a.hwmodel)]),
    ]),
  ),
);

export class KyselyPolicyRepository implements PolicyRepository {
  constructor(private readonly ctx: RepoContext) {}

  set(input: PolicyInput): Promise<PolicyRecord> {
    return guard(this.ctx, async () => {
      const tcId = checkId(input.tcId, 'tcId');
      const action = checkOneOf(input.action, POLICY_ACTIONS, 'action');
      const scope = scopeColumns(input.scope);
      const now = this.ctx.clock();
      return atomic(this.ctx, async (db) => {
        const tc = await db.selectFrom('trusted_components').select('id').where('id', '=', tcId).executeTakeFirst();
        if (!tc) throw new StoreNotFound(`no trusted component with id ${tcId}`);
        const row = await db
          .insertInto('policies')
          .values({ id: crypto.randomUUID(), tc_id: tcId, action, ...scope, created_at: now, updated_at: now })
          .onConflict((oc) => oc.columns(['scope_kind', 'scope_key', 'tc_id']).doUpdateSet({ action, updated_at: now }))
          .returningAll()
          .executeTakeFirstOrThrow();
        return toPolicy(row);
      });
    });
  }

  get(id: string): Promise<PolicyRecord | undefined> {
    return guard(this.ctx, async () => {
      const row = await this.ctx.db.selectFrom('policies').selectAll().where('id', '=', checkId(id, 'policy id')).executeTakeFirst();
      return row && toPolicy(row);
    });
  }

  list(filter?: { tcId?: string; scope?: PolicyScope }): Promise<PolicyRecord[]> {
    return guard(this.ctx, async () => {
      let q = this.ctx.db.selectFrom('policies').selectAll();
      if (filter?.tcId !== undefined) q = q.where('tc_id', '=', checkId(filter.tcId, 'tcId'));
      if (filter?.scope !== undefined) {
        const s = scopeColumns(filter.scope);
        q = q.where('scope_kind', '=', s.scope_kind).where('scope_key', '=', s.scope_key);
      }
      const rows = await q.orderBy('tc_id').orderBy('scope_kind').orderBy('scope_key').execute();
      return rows.map(toPolicy);
    });
  }

  delete(id: string): Promise<void> {
    return guard(this.ctx, async () => {
      const key = checkId(id, 'policy id');
      const result = await this.ctx.db.deleteFrom('policies').where('id', '=', key).executeTakeFirst();
      if (result.numDeletedRows === 0n) throw new StoreNotFound(`no policy with id ${key}`);
    });
  }

  resolve(deviceId: string): Promise<ResolvedPolicy[]> {
    return guard(this.ctx, async () => {
      const key = checkId(deviceId, 'device id');
      const device = await hwmodelOf.first(this.ctx, { id: key });
      if (!device) throw new StoreNotFound(`no device with id ${key}`);
      const rows =
        device.hwmodel === null
          ? await forDevice.rows(this.ctx, { deviceId: key })
          : await forDeviceAndModel.rows(this.ctx, { deviceId: key, hwmodel: hex(device.hwmodel) });
      const winners = new Map<string, (typeof rows)[number]>();
      for (const r of rows) {
        const best = winners.get(r.tc_id);
        const rank = SPECIFICITY[r.scope_kind as keyof typeof SPECIFICITY];
        if (!best || rank > SPECIFICITY[best.scope_kind as keyof typeof SPECIFICITY]) winners.set(r.tc_id, r);
      }
      return [...winners.values()]
        .sort((a, b) => (a.tc_id < b.tc_id ? -1 : a.tc_id > b.tc_id ? 1 : 0))
        .map((r) => ({
          tcId: r.tc_id,
          componentId: fromBuffer(r.component_id),
          action: r.action as PolicyAction,
          scope: toScope(r.scope_kind, r.scope_key),
          policyId: r.id,
          deprecated: num(r.deprecated) === 1,
        }));
    });
  }
}
