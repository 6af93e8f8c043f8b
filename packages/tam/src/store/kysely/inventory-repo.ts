/**
 * Per-device inventory (draft-ietf-teep-protocol-26 §4.4 tc-list; RFC 9397 §4.4: the TAM learns
 * what a TEE holds from attested reports). One row per (device, protocol, component) holds two facts:
 * what is confirmed installed, and the change sent but not yet confirmed. An install counts as done
 * only when a later tc-list or a Success with its SUIT report shows it (issue 5).
 */
import { sql, type Kysely } from 'kysely';
import { StoreNotFound } from '../errors.js';
import type { EpochMs, InventoryEntry, PendingChange, Protocol, TcListEntry } from '../records.js';
import type { InventoryRepository } from '../store.js';
import { checkBytes, checkId, checkOneOf, checkUint, checkUintOrNull, fromBuffer, hex, num, numOrNull, toBuffer } from './codec.js';
import { atomic, guard, type RepoContext } from './context.js';
import type { Schema } from './schema.js';
import { PROTOCOLS } from './sessions-repo.js';

const PENDING_ACTIONS = ['install', 'remove'] as const;

async function selectEntries(db: Kysely<Schema>, deviceId: string, protocol?: Protocol, componentId?: Buffer): Promise<InventoryEntry[]> {
  let q = db
    .selectFrom('inventory as i')
    .leftJoin('trusted_components as tc', 'tc.component_id', 'i.component_id')
    .selectAll('i')
    .select('tc.id as tc_id')
    .where('i.device_id', '=', deviceId);
  if (protocol !== undefined) q = q.where('i.protocol', '=', protocol);
  if (componentId !== undefined) q = q.where('i.component_id', '=', componentId);
  const rows = await q.orderBy('i.protocol').orderBy('i.component_id').execute();
  return rows.map((r) => {
    const pending =
      r.pending_action === null
        ? null
        : { action: r.pending_action as 'install' | 'remove', sequenceNumber: numOrNull(r.pending_seq), since: num(r.pending_at ?? r.updated_at) };
    return {
      deviceId: r.device_id,
      protocol: r.protocol as Protocol,
      componentId: fromBuffer(r.component_id),
      tcId: r.tc_id,
      state: pending === null ? 'installed' : pending.action === 'install' ? 'pending-install' : 'pending-remove',
      installed: num(r.installed) === 1,
      sequenceNumber: numOrNull(r.installed_seq),
      pending,
      securityDomainId: r.security_domain_id,
      updatedAt: num(r.updated_at),
    };
  });
}

/**
 * Checks that the device exists and, inside a transaction, serializes inventory changes per device:
 * a no-op UPDATE takes the row lock on PostgreSQL and the write lock on SQLite, the same statement on both.
 */
async function lockDevice(db: Kysely<Schema>, deviceId: string): Promise<void> {
  const r = await db
    .updateTable('devices')
    .set({ updated_at: sql<number>`updated_at` })
    .where('id', '=', deviceId)
    .executeTakeFirst();
  if (r.numUpdatedRows === 0n) throw new StoreNotFound(`no device with id ${deviceId}`);
}

function protocolOf(p: Protocol | undefined): Protocol {
  return checkOneOf(p ?? 'teep', PROTOCOLS, 'protocol');
}

export class KyselyInventoryRepository implements InventoryRepository {
  constructor(private readonly ctx: RepoContext) {}

  list(deviceId: string, options?: { protocol?: Protocol }): Promise<InventoryEntry[]> {
    return guard(this.ctx, async () => {
      const key = checkId(deviceId, 'device id');
      const protocol = options?.protocol === undefined ? undefined : protocolOf(options.protocol);
      const device = await this.ctx.db.selectFrom('devices').select('id').where('id', '=', key).executeTakeFirst();
      if (!device) throw new StoreNotFound(`no device with id ${key}`);
      return selectEntries(this.ctx.db, key, protocol);
    });
  }

  markPending(deviceId: string, change: PendingChange, at?: EpochMs): Promise<InventoryEntry> {
    return guard(this.ctx, async () => {
      const key = checkId(deviceId, 'device id');
      const protocol = protocolOf(change.protocol);
      const componentId = toBuffer(checkBytes(change.componentId, 'componentId'));
      const when = at === undefined ? this.ctx.clock() : checkUint(at, 'at');
      const pending = {
        pending_action: checkOneOf(change.action, PENDING_ACTIONS, 'action'),
        pending_seq: checkUintOrNull(change.sequenceNumber, 'sequenceNumber'),
        pending_at: when,
        updated_at: when,
        ...(change.securityDomainId === undefined ? {} : { security_domain_id: change.securityDomainId === null ? null : checkId(change.securityDomainId, 'securityDomainId') }),
      };
      return atomic(this.ctx, async (db) => {
        await lockDevice(db, key);
        await db
          .insertInto('inventory')
          .values({ device_id: key, protocol, component_id: componentId, installed: 0, installed_seq: null, security_domain_id: null, ...pending })
          .onConflict((oc) => oc.columns(['device_id', 'protocol', 'component_id']).doUpdateSet(pending))
          .execute();
        const [entry] = await selectEntries(db, key, protocol, componentId);
        return entry!;
      });
    });
  }

  confirmPending(deviceId: string, componentId: Uint8Array, options?: { protocol?: Protocol; at?: EpochMs }): Promise<InventoryEntry | null> {
    return this.resolvePending(deviceId, componentId, options, true);
  }

  cancelPending(deviceId: string, componentId: Uint8Array, options?: { protocol?: Protocol }): Promise<InventoryEntry | null> {
    return this.resolvePending(deviceId, componentId, options, false);
  }

  /** Applies (confirm) or drops (cancel) the pending change of one entry. */
  private resolvePending(deviceId: string, componentId: Uint8Array, options: { protocol?: Protocol; at?: EpochMs } | undefined, apply: boolean): Promise<InventoryEntry | null> {
    return guard(this.ctx, async () => {
      const key = checkId(deviceId, 'device id');
      const protocol = protocolOf(options?.protocol);
      const cid = toBuffer(checkBytes(componentId, 'componentId'));
      const when = options?.at === undefined ? this.ctx.clock() : checkUint(options.at, 'at');
      return atomic(this.ctx, async (db) => {
        await lockDevice(db, key);
        const row = await db
          .selectFrom('inventory')
          .selectAll()
          .where('device_id', '=', key)
          .where('protocol', '=', protocol)
          .where('component_id', '=', cid)
          .executeTakeFirst();
        if (!row || row.pending_action === null) throw new StoreNotFound('no pending change for that component on that device');
        const installed = apply ? row.pending_action === 'install' : num(row.installed) === 1;
        if (!installed) {
          await db.deleteFrom('inventory').where('device_id', '=', key).where('protocol', '=', protocol).where('component_id', '=', cid).execute();
          return null;
        }
        await db
          .updateTable('inventory')
          .set({
            installed: 1,
            installed_seq: apply ? numOrNull(row.pending_seq) : numOrNull(row.installed_seq),
            pending_action: null,
            pending_seq: null,
            pending_at: null,
            updated_at: when,
          })
          .where('device_id', '=', key)
          .where('protocol', '=', protocol)
          .where('component_id', '=', cid)
          .execute();
        const [entry] = await selectEntries(db, key, protocol, cid);
        return entry!;
      });
    });
  }

  replaceFromTcList(deviceId: string, tcList: readonly TcListEntry[], options?: { protocol?: Protocol; at?: EpochMs }): Promise<InventoryEntry[]> {
    return guard(this.ctx, async () => {
      const key = checkId(deviceId, 'device id');
      const protocol = protocolOf(options?.protocol);
      const when = options?.at === undefined ? this.ctx.clock() : checkUint(options.at, 'at');
      // Duplicates in a list keep the highest sequence number reported.
      const listed = new Map<string, { componentId: Buffer; seq: number | null }>();
      for (const e of tcList) {
        const cid = checkBytes(e.componentId, 'tcList componentId');
        const seq = checkUintOrNull(e.sequenceNumber, 'tcList sequenceNumber');
        const prev = listed.get(hex(cid));
        if (!prev || (seq !== null && (prev.seq === null || seq > prev.seq))) listed.set(hex(cid), { componentId: toBuffer(cid), seq });
      }
      return atomic(this.ctx, async (db) => {
        await lockDevice(db, key);
        const rows = await db.selectFrom('inventory').selectAll().where('device_id', '=', key).where('protocol', '=', protocol).execute();
        for (const row of rows) {
          const id = hex(row.component_id);
          const shown = listed.get(id);
          listed.delete(id);
          const pendingSeq = numOrNull(row.pending_seq);
          let pendingDone = false;
          if (row.pending_action === 'install') pendingDone = shown !== undefined && (pendingSeq === null || (shown.seq !== null && shown.seq >= pendingSeq));
          if (row.pending_action === 'remove') pendingDone = shown === undefined;
          if (shown === undefined && (row.pending_action === null || pendingDone)) {
            await db.deleteFrom('inventory').where('device_id', '=', key).where('protocol', '=', protocol).where('component_id', '=', row.component_id).execute();
            continue;
          }
          const installed = shown === undefined ? 0 : 1;
          const installedSeq = shown === undefined ? null : shown.seq;
          // The usual case, a device listing what it had: no write.
          if (!pendingDone && num(row.installed) === installed && numOrNull(row.installed_seq) === installedSeq) continue;
          await db
            .updateTable('inventory')
            .set({
              installed,
              installed_seq: installedSeq,
              ...(pendingDone ? { pending_action: null, pending_seq: null, pending_at: null } : {}),
              updated_at: when,
            })
            .where('device_id', '=', key)
            .where('protocol', '=', protocol)
            .where('component_id', '=', row.component_id)
            .execute();
        }
        const fresh = [...listed.values()].map((e) => ({
          device_id: key,
          protocol,
          component_id: e.componentId,
          installed: 1,
          installed_seq: e.seq,
          pending_action: null,
          pending_seq: null,
          pending_at: null,
          security_domain_id: null,
          updated_at: when,
        }));
        if (fresh.length > 0) await db.insertInto('inventory').values(fresh).execute();
        return selectEntries(db, key, protocol);
      });
    });
  }
}
