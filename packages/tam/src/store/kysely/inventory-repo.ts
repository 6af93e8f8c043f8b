/**
 * Per-device inventory (draft-ietf-teep-protocol-26 §4.3 tc-list; RFC 9397 §4.4: the TAM learns
 * what a TEE holds from attested reports). One row per (device, protocol, component) holds two facts:
 * what is confirmed installed, and the change sent but not yet confirmed. An install counts as done
 * only when a later tc-list or a Success with its SUIT report shows it (issue 5).
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import { StoreNotFound } from '../errors.js';
import type { EpochMs, InventoryEntry, PendingChange, Protocol, TcListEntry } from '../records.js';
import type { InventoryRepository } from '../store.js';
import { checkBytes, checkId, checkOneOf, checkUint, checkUintOrNull, fromBuffer, hex, num, numOrNull, toBuffer } from './codec.js';
import { atomic, guard, type RepoContext } from './context.js';
import { prepared } from './prepared.js';
import type { InventoryTable, Schema } from './schema.js';
import { PROTOCOLS } from './sessions-repo.js';

const PENDING_ACTIONS = ['install', 'remove'] as const;

const entriesQuery = (db: Kysely<Schema>, deviceId: string) =>
  db
    .selectFrom('inventory as i')
    .leftJoin('trusted_components as tc', 'tc.component_id', 'i.component_id')
    .selectAll('i')
    .select('tc.id as tc_id')
    .where('i.device_id', '=', deviceId)
    .orderBy('i.protocol')
    .orderBy('i.component_id');
const entriesOfDevice = prepared((db, a: { deviceId: string }) => entriesQuery(db, a.deviceId));
const entriesOfProtocol = prepared((db, a: { deviceId: string; protocol: string }) => entriesQuery(db, a.deviceId).where('i.protocol', '=', a.protocol));
const entryOfComponent = prepared((db, a: { deviceId: string; protocol: string; componentId: Buffer }) =>
  entriesQuery(db, a.deviceId).where('i.protocol', '=', a.protocol).where('i.component_id', '=', a.componentId),
);

type EntryRow = Selectable<InventoryTable> & { tc_id: string | null };

async function selectEntries(ctx: RepoContext, deviceId: string, protocol?: Protocol, componentId?: Buffer): Promise<InventoryEntry[]> {
  const rows =
    protocol === undefined
      ? await entriesOfDevice.rows(ctx, { deviceId })
      : componentId === undefined
        ? await entriesOfProtocol.rows(ctx, { deviceId, protocol })
        : await entryOfComponent.rows(ctx, { deviceId, protocol, componentId });
  return rows.map(toEntry);
}

function toEntry(r: EntryRow): InventoryEntry {
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
}

/**
 * Checks that the device exists and, inside a transaction, serializes inventory changes per device:
 * PostgreSQL locks the device row (`FOR UPDATE`, no new row version); SQLite has no row locks, so a
 * no-op UPDATE takes the database write lock (a plain read could run into another process's commit
 * at the first write of the transaction).
 */
const lockDeviceRow = prepared((db, a: { id: string }) => db.selectFrom('devices').select('id').where('id', '=', a.id).forUpdate());
const writeDeviceRow = prepared((db, a: { id: string }) => db.updateTable('devices').set({ updated_at: sql<number>`updated_at` }).where('id', '=', a.id));

async function lockDevice(ctx: RepoContext, deviceId: string): Promise<void> {
  const found = ctx.dialect.rowLocks ? (await lockDeviceRow.first(ctx, { id: deviceId })) !== undefined : (await writeDeviceRow.affected(ctx, { id: deviceId })) > 0n;
  if (!found) throw new StoreNotFound(`no device with id ${deviceId}`);
}

// The other statements of every exchange, compiled once (prepared.ts).
type Key = { deviceId: string; protocol: Protocol; componentId: Buffer };
const deviceExists = prepared((db, a: { id: string }) => db.selectFrom('devices').select('id').where('id', '=', a.id));
const rowOf = prepared((db, a: Key) =>
  db.selectFrom('inventory').selectAll().where('device_id', '=', a.deviceId).where('protocol', '=', a.protocol).where('component_id', '=', a.componentId),
);
const deleteRow = prepared((db, a: Key) =>
  db.deleteFrom('inventory').where('device_id', '=', a.deviceId).where('protocol', '=', a.protocol).where('component_id', '=', a.componentId),
);
const setInstalled = prepared((db, a: Key & { installed: number; seq: number | null; at: number }) =>
  db
    .updateTable('inventory')
    .set({ installed: a.installed, installed_seq: a.seq, updated_at: a.at })
    .where('device_id', '=', a.deviceId)
    .where('protocol', '=', a.protocol)
    .where('component_id', '=', a.componentId),
);
const setInstalledNotPending = prepared((db, a: Key & { installed: number; seq: number | null; at: number }) =>
  db
    .updateTable('inventory')
    .set({ installed: a.installed, installed_seq: a.seq, pending_action: null, pending_seq: null, pending_at: null, updated_at: a.at })
    .where('device_id', '=', a.deviceId)
    .where('protocol', '=', a.protocol)
    .where('component_id', '=', a.componentId),
);
const insertInstalled = prepared((db, a: Key & { seq: number | null; at: number }) =>
  db.insertInto('inventory').values({
    device_id: a.deviceId,
    protocol: a.protocol,
    component_id: a.componentId,
    installed: 1,
    installed_seq: a.seq,
    pending_action: null,
    pending_seq: null,
    pending_at: null,
    security_domain_id: null,
    updated_at: a.at,
  }),
);
const upsertPending = prepared((db, a: Key & { action: string; seq: number | null; at: number }) => {
  const pending = { pending_action: a.action, pending_seq: a.seq, pending_at: a.at, updated_at: a.at };
  return db
    .insertInto('inventory')
    .values({ device_id: a.deviceId, protocol: a.protocol, component_id: a.componentId, installed: 0, installed_seq: null, security_domain_id: null, ...pending })
    .onConflict((oc) => oc.columns(['device_id', 'protocol', 'component_id']).doUpdateSet(pending));
});

function protocolOf(p: Protocol | undefined): Protocol {
  return checkOneOf(p ?? 'teep', PROTOCOLS, 'protocol');
}

export class KyselyInventoryRepository implements InventoryRepository {
  constructor(private readonly ctx: RepoContext) {}

  list(deviceId: string, options?: { protocol?: Protocol }): Promise<InventoryEntry[]> {
    return guard(this.ctx, async () => {
      const key = checkId(deviceId, 'device id');
      const protocol = options?.protocol === undefined ? undefined : protocolOf(options.protocol);
      if (!(await deviceExists.first(this.ctx, { id: key }))) throw new StoreNotFound(`no device with id ${key}`);
      return selectEntries(this.ctx, key, protocol);
    });
  }

  markPending(deviceId: string, change: PendingChange, at?: EpochMs): Promise<InventoryEntry> {
    return guard(this.ctx, async () => {
      const k: Key = { deviceId: checkId(deviceId, 'device id'), protocol: protocolOf(change.protocol), componentId: toBuffer(checkBytes(change.componentId, 'componentId')) };
      const when = at === undefined ? this.ctx.clock() : checkUint(at, 'at');
      const action = checkOneOf(change.action, PENDING_ACTIONS, 'action');
      const seq = checkUintOrNull(change.sequenceNumber, 'sequenceNumber');
      const sd = change.securityDomainId === undefined ? undefined : change.securityDomainId === null ? null : checkId(change.securityDomainId, 'securityDomainId');
      return atomic(this.ctx, async (db, tx) => {
        await lockDevice(tx, k.deviceId);
        if (sd === undefined) {
          await upsertPending.execute(tx, { ...k, action, seq, at: when });
        } else {
          // OTrP names the Security Domain (and may clear it): the rarer shape is built per call.
          const pending = { pending_action: action, pending_seq: seq, pending_at: when, updated_at: when, security_domain_id: sd };
          await db
            .insertInto('inventory')
            .values({ device_id: k.deviceId, protocol: k.protocol, component_id: k.componentId, installed: 0, installed_seq: null, ...pending })
            .onConflict((oc) => oc.columns(['device_id', 'protocol', 'component_id']).doUpdateSet(pending))
            .execute();
        }
        const [entry] = await selectEntries(tx, k.deviceId, k.protocol, k.componentId);
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
      const k: Key = { deviceId: checkId(deviceId, 'device id'), protocol: protocolOf(options?.protocol), componentId: toBuffer(checkBytes(componentId, 'componentId')) };
      const when = options?.at === undefined ? this.ctx.clock() : checkUint(options.at, 'at');
      return atomic(this.ctx, async (_, tx) => {
        await lockDevice(tx, k.deviceId);
        const row = await rowOf.first(tx, k);
        if (!row || row.pending_action === null) throw new StoreNotFound('no pending change for that component on that device');
        const installed = apply ? row.pending_action === 'install' : num(row.installed) === 1;
        if (!installed) {
          await deleteRow.execute(tx, k);
          return null;
        }
        const seq = apply ? numOrNull(row.pending_seq) : numOrNull(row.installed_seq);
        await setInstalledNotPending.execute(tx, { ...k, installed: 1, seq, at: when });
        const [entry] = await selectEntries(tx, k.deviceId, k.protocol, k.componentId);
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
      return atomic(this.ctx, async (_, tx) => {
        await lockDevice(tx, key);
        // The rows with their TC ids: when nothing changes (a device listing what it had, the usual
        // case) they are the answer, without a second read.
        const rows = await entriesOfProtocol.rows(tx, { deviceId: key, protocol });
        let changed = false;
        for (const row of rows) {
          const k: Key = { deviceId: key, protocol, componentId: row.component_id };
          const id = hex(row.component_id);
          const shown = listed.get(id);
          listed.delete(id);
          const pendingSeq = numOrNull(row.pending_seq);
          let pendingDone = false;
          if (row.pending_action === 'install') pendingDone = shown !== undefined && (pendingSeq === null || (shown.seq !== null && shown.seq >= pendingSeq));
          if (row.pending_action === 'remove') pendingDone = shown === undefined;
          if (shown === undefined && (row.pending_action === null || pendingDone)) {
            await deleteRow.execute(tx, k);
            changed = true;
            continue;
          }
          const installed = shown === undefined ? 0 : 1;
          const seq = shown === undefined ? null : shown.seq;
          if (!pendingDone && num(row.installed) === installed && numOrNull(row.installed_seq) === seq) continue;
          await (pendingDone ? setInstalledNotPending : setInstalled).execute(tx, { ...k, installed, seq, at: when });
          changed = true;
        }
        for (const e of listed.values()) await insertInstalled.execute(tx, { deviceId: key, protocol, componentId: e.componentId, seq: e.seq, at: when });
        return changed || listed.size > 0 ? selectEntries(tx, key, protocol) : rows.map(toEntry);
      });
    });
  }
}
