/** Devices: identity from certificate and attestation, sightings, block and decommission. */
import type { Selectable, Updateable } from 'kysely';
import { StoreNotFound } from '../errors.js';
import type { DeviceIdentity, DeviceRecord, EpochMs, JsonValue, ListOptions, NewDevice } from '../records.js';
import type { DeviceRepository } from '../store.js';
import {
  checkBoolean,
  checkBytes,
  checkBytesOrNull,
  checkId,
  checkJson,
  checkPaging,
  checkText,
  checkTextOrNull,
  checkUint,
  fromBufferOrNull,
  jsonText,
  num,
  numOrNull,
  parseJson,
  toBuffer,
  toBufferOrNull,
} from './codec.js';
import { guard, type RepoContext } from './context.js';
import { prepared, type PreparedQuery } from './prepared.js';
import type { DevicesTable } from './schema.js';

export function toDevice(r: Selectable<DevicesTable>): DeviceRecord {
  const decommissionedAt = numOrNull(r.decommissioned_at);
  return {
    id: r.id,
    subject: r.subject,
    certThumbprint: fromBufferOrNull(r.cert_thumbprint),
    ueid: fromBufferOrNull(r.ueid),
    hwmodel: fromBufferOrNull(r.hwmodel),
    hwversion: r.hwversion,
    lastAttestationResult: r.last_attestation_result,
    lastAttestationDetail: parseJson(r.last_attestation_detail),
    lastAttestationAt: numOrNull(r.last_attestation_at),
    lastSeenAt: numOrNull(r.last_seen_at),
    blocked: num(r.blocked) === 1,
    decommissioned: decommissionedAt !== null,
    decommissionedAt,
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
}

/** The identity columns named in `identity` (absent fields stay as they are). */
function identityColumns(identity: DeviceIdentity): Updateable<DevicesTable> {
  const set: Updateable<DevicesTable> = {};
  if (identity.subject !== undefined) set.subject = checkTextOrNull(identity.subject, 'subject');
  if (identity.certThumbprint !== undefined) set.cert_thumbprint = toBufferOrNull(checkBytesOrNull(identity.certThumbprint, 'certThumbprint'));
  if (identity.ueid !== undefined) set.ueid = toBufferOrNull(checkBytesOrNull(identity.ueid, 'ueid'));
  if (identity.hwmodel !== undefined) set.hwmodel = toBufferOrNull(checkBytesOrNull(identity.hwmodel, 'hwmodel'));
  if (identity.hwversion !== undefined) set.hwversion = checkTextOrNull(identity.hwversion, 'hwversion');
  return set;
}

// The device statements of every TEEP exchange, compiled once (prepared.ts).
const selectById = prepared((db, a: { id: string }) => db.selectFrom('devices').selectAll().where('id', '=', a.id));
const selectByThumbprint = prepared((db, a: { thumbprint: Buffer }) => db.selectFrom('devices').selectAll().where('cert_thumbprint', '=', a.thumbprint));
// The two writes of every message return nothing: RETURNING * of the device row cost more than the UPDATE.
const touchDevice = prepared((db, a: { id: string; at: number; now: number }) =>
  db.updateTable('devices').set({ last_seen_at: a.at, updated_at: a.now }).where('id', '=', a.id),
);
const recordAttestationOf = prepared((db, a: { id: string; result: string; detail: string | null; at: number; now: number }) =>
  db
    .updateTable('devices')
    .set({ last_attestation_result: a.result, last_attestation_detail: a.detail, last_attestation_at: a.at, last_seen_at: a.at, updated_at: a.now })
    .where('id', '=', a.id),
);

export class KyselyDeviceRepository implements DeviceRepository {
  constructor(private readonly ctx: RepoContext) {}

  create(input: NewDevice): Promise<DeviceRecord> {
    return guard(this.ctx, async () => {
      const id = input.id === undefined ? crypto.randomUUID() : checkId(input.id, 'device id');
      const now = this.ctx.clock();
      const row = await this.ctx.db
        .insertInto('devices')
        .values({ subject: null, cert_thumbprint: null, ueid: null, hwmodel: null, hwversion: null, ...identityColumns(input), id, blocked: 0, created_at: now, updated_at: now })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toDevice(row);
    });
  }

  get(id: string): Promise<DeviceRecord | undefined> {
    return guard(this.ctx, async () => {
      const row = await selectById.first(this.ctx, { id: checkId(id, 'device id') });
      return row && toDevice(row);
    });
  }

  findByThumbprint(certThumbprint: Uint8Array): Promise<DeviceRecord | undefined> {
    return guard(this.ctx, async () => {
      const row = await selectByThumbprint.first(this.ctx, { thumbprint: toBuffer(checkBytes(certThumbprint, 'certThumbprint')) });
      return row && toDevice(row);
    });
  }

  findByUeid(ueid: Uint8Array): Promise<DeviceRecord | undefined> {
    return guard(this.ctx, async () => {
      const row = await this.ctx.db.selectFrom('devices').selectAll().where('ueid', '=', toBuffer(checkBytes(ueid, 'ueid'))).executeTakeFirst();
      return row && toDevice(row);
    });
  }

  list(options?: ListOptions & { blocked?: boolean; includeDecommissioned?: boolean }): Promise<DeviceRecord[]> {
    return guard(this.ctx, async () => {
      const { limit, offset } = checkPaging(options);
      let q = this.ctx.db.selectFrom('devices').selectAll();
      if (options?.blocked !== undefined) q = q.where('blocked', '=', checkBoolean(options.blocked, 'blocked') ? 1 : 0);
      if (options?.includeDecommissioned === false) q = q.where('decommissioned_at', 'is', null);
      const rows = await q.orderBy('created_at').orderBy('id').limit(limit).offset(offset).execute();
      return rows.map(toDevice);
    });
  }

  updateIdentity(id: string, identity: DeviceIdentity): Promise<DeviceRecord> {
    return this.update(id, () => identityColumns(identity));
  }

  recordAttestation(id: string, result: string, detail?: JsonValue, at?: EpochMs): Promise<void> {
    return this.updateWith(id, recordAttestationOf, (now) => ({
      result: checkText(result, 'result'),
      detail: jsonText(checkJson(detail, 'detail')),
      at: at === undefined ? now : checkUint(at, 'at'),
    }));
  }

  touch(id: string, at?: EpochMs): Promise<void> {
    return this.updateWith(id, touchDevice, (now) => ({ at: at === undefined ? now : checkUint(at, 'at') }));
  }

  setBlocked(id: string, blocked: boolean): Promise<DeviceRecord> {
    return this.update(id, () => ({ blocked: checkBoolean(blocked, 'blocked') ? 1 : 0 }));
  }

  decommission(id: string, at?: EpochMs): Promise<DeviceRecord> {
    return this.update(id, (now) => ({ decommissioned_at: at === undefined ? now : checkUint(at, 'at') }));
  }

  /** One UPDATE ... RETURNING; NOT_FOUND when no row matched. */
  private update(id: string, columns: (now: EpochMs) => Updateable<DevicesTable>): Promise<DeviceRecord> {
    return guard(this.ctx, async () => {
      const key = checkId(id, 'device id');
      const now = this.ctx.clock();
      const row = await this.ctx.db
        .updateTable('devices')
        .set({ ...columns(now), updated_at: now })
        .where('id', '=', key)
        .returningAll()
        .executeTakeFirst();
      return found(row, key);
    });
  }

  /** A prepared UPDATE taking `id`, `now` and the given arguments; NOT_FOUND when no row matched. */
  private updateWith<A extends { id: string; now: number }>(
    id: string,
    statement: PreparedQuery<A, unknown>,
    args: (now: EpochMs) => Omit<A, 'id' | 'now'>,
  ): Promise<void> {
    return guard(this.ctx, async () => {
      const key = checkId(id, 'device id');
      const now = this.ctx.clock();
      if ((await statement.affected(this.ctx, { ...args(now), id: key, now } as A)) === 0n) throw notFound(key);
    });
  }
}

function found(row: Selectable<DevicesTable> | undefined, id: string): DeviceRecord {
  if (!row) throw notFound(id);
  return toDevice(row);
}

function notFound(id: string): StoreNotFound {
  return new StoreNotFound(`no device with id ${id}`);
}
