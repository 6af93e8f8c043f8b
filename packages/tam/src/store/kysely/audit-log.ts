/**
 * The append-only audit log of every TAM decision (issue 5). There is no update or delete: entries
 * are only appended and read. Paging is by cursor (the id of the last entry seen), newest first,
 * so pages stay stable while new entries arrive.
 */
import type { Insertable, Selectable } from 'kysely';
import { StoreInvalidArgument } from '../errors.js';
import type { AuditDecision, AuditEntry, NewAuditEntry } from '../records.js';
import type { AuditLog, AuditPage, AuditQuery } from '../store.js';
import { checkId, checkJson, checkOneOf, checkPaging, checkText, checkTextOrNull, checkUint, jsonText, num, parseJson } from './codec.js';
import { guard, type RepoContext } from './context.js';
import { prepared } from './prepared.js';
import type { AuditLogTable } from './schema.js';

export const AUDIT_DECISIONS: readonly AuditDecision[] = ['allow', 'deny', 'error', 'info'];

function toAuditEntry(r: Selectable<AuditLogTable>): AuditEntry {
  return {
    id: String(r.id),
    at: num(r.at),
    deviceId: r.device_id,
    actor: r.actor,
    action: r.action,
    decision: r.decision as AuditDecision,
    code: r.code,
    detail: parseJson(r.detail),
  };
}

function checkCursor(v: unknown): number {
  if (typeof v !== 'string' || !/^[1-9][0-9]{0,15}$/.test(v) || !Number.isSafeInteger(Number(v))) {
    throw new StoreInvalidArgument('before must be a cursor returned by a previous page');
  }
  return Number(v);
}

// Every message appends: compiled once (prepared.ts).
const insertEntry = prepared((db, a: Omit<Insertable<AuditLogTable>, 'id'>) =>
  db
    .insertInto('audit_log')
    .values({ at: a.at, device_id: a.device_id, actor: a.actor, action: a.action, decision: a.decision, code: a.code, detail: a.detail })
    // The id only: the rest is what was written (RETURNING * cost more than the insert).
    .returning('id'),
);

export class KyselyAuditLog implements AuditLog {
  constructor(private readonly ctx: RepoContext) {}

  append(entry: NewAuditEntry): Promise<AuditEntry> {
    return guard(this.ctx, async () => {
      const values = {
        at: entry.at === undefined ? this.ctx.clock() : checkUint(entry.at, 'at'),
        device_id: entry.deviceId == null ? null : checkId(entry.deviceId, 'deviceId'),
        actor: checkText(entry.actor, 'actor'),
        action: checkText(entry.action, 'action'),
        decision: checkOneOf(entry.decision, AUDIT_DECISIONS, 'decision'),
        code: checkTextOrNull(entry.code, 'code'),
        detail: jsonText(checkJson(entry.detail, 'detail')),
      };
      const row = await insertEntry.first(this.ctx, values);
      return toAuditEntry({ ...values, id: row!.id });
    });
  }

  list(query?: AuditQuery): Promise<AuditPage> {
    return guard(this.ctx, async () => {
      const { limit } = checkPaging({ ...(query?.limit === undefined ? {} : { limit: query.limit }) });
      let q = this.ctx.db.selectFrom('audit_log').selectAll();
      if (query?.before !== undefined) q = q.where('id', '<', checkCursor(query.before));
      if (query?.deviceId !== undefined) q = q.where('device_id', '=', checkId(query.deviceId, 'deviceId'));
      if (query?.action !== undefined) q = q.where('action', '=', checkText(query.action, 'action'));
      if (query?.decision !== undefined) q = q.where('decision', '=', checkOneOf(query.decision, AUDIT_DECISIONS, 'decision'));
      // One extra row tells whether an older page exists.
      const rows = await q.orderBy('id', 'desc').limit(limit + 1).execute();
      const entries = rows.slice(0, limit).map(toAuditEntry);
      return { entries, next: rows.length > limit ? entries[entries.length - 1]!.id : null };
    });
  }
}
