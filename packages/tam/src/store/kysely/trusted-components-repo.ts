/** Trusted components: one row per component (TEEP TC or OTrP TA) with its current manifest. */
import type { Selectable } from 'kysely';
import { StoreConflict, StoreNotFound } from '../errors.js';
import type { ListOptions, NewTrustedComponent, TcFormat, TrustedComponentRecord, TrustedComponentSummary, TrustedComponentUpdate } from '../records.js';
import type { TrustedComponentRepository } from '../store.js';
import { checkBoolean, checkBytes, checkId, checkOneOf, checkPaging, checkText, checkTextOrNull, checkUint, fromBuffer, num, toBuffer } from './codec.js';
import { randomInt } from 'node:crypto';
import { atomic, guard, type RepoContext } from './context.js';
import { prepared } from './prepared.js';
import type { TrustedComponentsTable } from './schema.js';

export const TC_FORMATS: readonly TcFormat[] = ['suit', 'otrp-ta'];

export function toTrustedComponent(r: Selectable<TrustedComponentsTable>): TrustedComponentRecord {
  return { ...toSummary(r), manifest: fromBuffer(r.manifest) };
}

const SUMMARY_COLUMNS = [
  'id', 'component_id', 'name', 'format', 'signer_subject', 'signer_thumbprint', 'sequence_number', 'deprecated', 'created_at', 'updated_at',
] as const;

function toSummary(r: Omit<Selectable<TrustedComponentsTable>, 'manifest'>): TrustedComponentSummary {
  return {
    id: r.id,
    componentId: fromBuffer(r.component_id),
    name: r.name,
    format: r.format as TcFormat,
    signerSubject: r.signer_subject,
    signerThumbprint: fromBuffer(r.signer_thumbprint),
    sequenceNumber: num(r.sequence_number),
    deprecated: num(r.deprecated) === 1,
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
}

/** A copy the caller may change without changing the cached summaries. */
function copySummary(s: TrustedComponentSummary): TrustedComponentSummary {
  return { ...s, componentId: new Uint8Array(s.componentId), signerThumbprint: new Uint8Array(s.signerThumbprint) };
}

// The per-message statements, compiled once (prepared.ts), and the change stamp (migration 0002).
const selectById = prepared((db, a: { id: string }) => db.selectFrom('trusted_components').selectAll().where('id', '=', a.id));
const selectSummaries = prepared((db) => db.selectFrom('trusted_components').select(SUMMARY_COLUMNS).orderBy('id'));
const readStamp = prepared((db, a: { name: string }) => db.selectFrom('change_stamps').select('stamp').where('name', '=', a.name));
const writeStamp = prepared((db, a: { name: string; stamp: number }) => db.updateTable('change_stamps').set({ stamp: a.stamp }).where('name', '=', a.name));
const STAMP = { name: 'trusted_components' } as const;

/** Every change to the table writes a new stamp in its transaction, so cached summaries are seen to be stale. */
function restamp(tx: RepoContext): Promise<unknown> {
  return writeStamp.execute(tx, { ...STAMP, stamp: randomInt(0, 2 ** 48 - 1) });
}

export class KyselyTrustedComponentRepository implements TrustedComponentRepository {
  constructor(private readonly ctx: RepoContext) {}

  add(input: NewTrustedComponent): Promise<TrustedComponentRecord> {
    return guard(this.ctx, async () => {
      const now = this.ctx.clock();
      const values = {
        id: input.id === undefined ? crypto.randomUUID() : checkId(input.id, 'TC id'),
        component_id: toBuffer(checkBytes(input.componentId, 'componentId')),
        name: checkTextOrNull(input.name, 'name'),
        format: checkOneOf(input.format ?? 'suit', TC_FORMATS, 'format'),
        manifest: toBuffer(checkBytes(input.manifest, 'manifest')),
        signer_subject: checkText(input.signerSubject, 'signerSubject'),
        signer_thumbprint: toBuffer(checkBytes(input.signerThumbprint, 'signerThumbprint')),
        sequence_number: checkUint(input.sequenceNumber, 'sequenceNumber'),
        deprecated: 0,
        created_at: now,
        updated_at: now,
      };
      return atomic(this.ctx, async (db, tx) => {
        const row = await db.insertInto('trusted_components').values(values).returningAll().executeTakeFirstOrThrow();
        await restamp(tx);
        return toTrustedComponent(row);
      });
    });
  }

  get(id: string): Promise<TrustedComponentRecord | undefined> {
    return guard(this.ctx, async () => {
      const row = await selectById.first(this.ctx, { id: checkId(id, 'TC id') });
      return row && toTrustedComponent(row);
    });
  }

  findByComponentId(componentId: Uint8Array): Promise<TrustedComponentRecord | undefined> {
    return guard(this.ctx, async () => {
      const value = toBuffer(checkBytes(componentId, 'componentId'));
      const row = await this.ctx.db.selectFrom('trusted_components').selectAll().where('component_id', '=', value).executeTakeFirst();
      return row && toTrustedComponent(row);
    });
  }

  list(options?: ListOptions & { includeDeprecated?: boolean }): Promise<TrustedComponentRecord[]> {
    return guard(this.ctx, async () => {
      const { limit, offset } = checkPaging(options);
      let q = this.ctx.db.selectFrom('trusted_components').selectAll();
      if (options?.includeDeprecated === false) q = q.where('deprecated', '=', 0);
      const rows = await q.orderBy('id').limit(limit).offset(offset).execute();
      return rows.map(toTrustedComponent);
    });
  }

  /**
   * From a copy kept while the change stamp stays the same: the policy lists every TC for every
   * QueryResponse, and reading them cost more than the rest of the message's statements together.
   */
  listSummaries(options?: ListOptions & { includeDeprecated?: boolean }): Promise<TrustedComponentSummary[]> {
    return guard(this.ctx, async () => {
      const { limit, offset } = checkPaging(options);
      // The stamp is read first, so the rows are at least as new as the stamp they are kept under.
      const row = await readStamp.first(this.ctx, STAMP);
      const stamp = row === undefined ? undefined : String(row.stamp);
      let all = stamp !== undefined && this.ctx.copies.summaries?.stamp === stamp ? this.ctx.copies.summaries.rows : undefined;
      if (all === undefined) {
        all = (await selectSummaries.rows(this.ctx, {})).map(toSummary);
        // (Without its stamp row, e.g. a database restored in part, nothing is kept.)
        if (stamp !== undefined) this.ctx.copies.summaries = { stamp, rows: all };
      }
      const rows = options?.includeDeprecated === false ? all.filter((r) => !r.deprecated) : all;
      return rows.slice(offset, offset + limit).map(copySummary);
    });
  }

  updateManifest(id: string, update: TrustedComponentUpdate): Promise<TrustedComponentRecord> {
    return guard(this.ctx, async () => {
      const key = checkId(id, 'TC id');
      const seq = checkUint(update.sequenceNumber, 'sequenceNumber');
      const values = {
        manifest: toBuffer(checkBytes(update.manifest, 'manifest')),
        signer_subject: checkText(update.signerSubject, 'signerSubject'),
        signer_thumbprint: toBuffer(checkBytes(update.signerThumbprint, 'signerThumbprint')),
        sequence_number: seq,
        updated_at: this.ctx.clock(),
      };
      return atomic(this.ctx, async (db, tx) => {
        // The sequence check sits in the WHERE clause, so two racing uploads cannot both win.
        const row = await db
          .updateTable('trusted_components')
          .set(values)
          .where('id', '=', key)
          .where('sequence_number', '<', seq)
          .returningAll()
          .executeTakeFirst();
        if (row) {
          await restamp(tx);
          return toTrustedComponent(row);
        }
        const current = await db.selectFrom('trusted_components').select('sequence_number').where('id', '=', key).executeTakeFirst();
        if (!current) throw new StoreNotFound(`no trusted component with id ${key}`);
        throw new StoreConflict(`sequence number ${seq} is not higher than the stored ${num(current.sequence_number)}`);
      });
    });
  }

  setDeprecated(id: string, deprecated: boolean): Promise<TrustedComponentRecord> {
    return guard(this.ctx, async () => {
      const key = checkId(id, 'TC id');
      const flag = checkBoolean(deprecated, 'deprecated') ? 1 : 0;
      return atomic(this.ctx, async (db, tx) => {
        const row = await db.updateTable('trusted_components').set({ deprecated: flag, updated_at: this.ctx.clock() }).where('id', '=', key).returningAll().executeTakeFirst();
        if (!row) throw new StoreNotFound(`no trusted component with id ${key}`);
        await restamp(tx);
        return toTrustedComponent(row);
      });
    });
  }

  delete(id: string): Promise<void> {
    return guard(this.ctx, async () => {
      const key = checkId(id, 'TC id');
      return atomic(this.ctx, async (db, tx) => {
        const result = await db.deleteFrom('trusted_components').where('id', '=', key).executeTakeFirst();
        if (result.numDeletedRows === 0n) throw new StoreNotFound(`no trusted component with id ${key}`);
        await restamp(tx);
      });
    });
  }
}
