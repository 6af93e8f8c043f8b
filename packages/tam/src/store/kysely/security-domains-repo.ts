/**
 * OTrP Security Domains (draft-ietf-teep-opentrustprotocol-03 §5: an SD belongs to the TAM named
 * in that TAM's certificate; a Service Provider may have several). Names are unique per device.
 */
import type { Selectable } from 'kysely';
import { StoreNotFound } from '../errors.js';
import type { NewSecurityDomain, SecurityDomainRecord } from '../records.js';
import type { SecurityDomainRepository } from '../store.js';
import { checkId, checkText, checkTextOrNull, num } from './codec.js';
import { atomic, guard, type RepoContext } from './context.js';
import type { SecurityDomainsTable } from './schema.js';

function toSecurityDomain(r: Selectable<SecurityDomainsTable>): SecurityDomainRecord {
  return { id: r.id, deviceId: r.device_id, name: r.name, ownerTam: r.owner_tam, spid: r.spid, createdAt: num(r.created_at) };
}

export class KyselySecurityDomainRepository implements SecurityDomainRepository {
  constructor(private readonly ctx: RepoContext) {}

  create(input: NewSecurityDomain): Promise<SecurityDomainRecord> {
    return guard(this.ctx, async () => {
      const values = {
        id: input.id === undefined ? crypto.randomUUID() : checkId(input.id, 'security domain id'),
        device_id: checkId(input.deviceId, 'deviceId'),
        name: checkId(input.name, 'name'),
        owner_tam: checkText(input.ownerTam, 'ownerTam'),
        spid: checkTextOrNull(input.spid, 'spid'),
        created_at: this.ctx.clock(),
      };
      return atomic(this.ctx, async (db) => {
        const device = await db.selectFrom('devices').select('id').where('id', '=', values.device_id).executeTakeFirst();
        if (!device) throw new StoreNotFound(`no device with id ${values.device_id}`);
        return toSecurityDomain(await db.insertInto('security_domains').values(values).returningAll().executeTakeFirstOrThrow());
      });
    });
  }

  get(id: string): Promise<SecurityDomainRecord | undefined> {
    return guard(this.ctx, async () => {
      const row = await this.ctx.db.selectFrom('security_domains').selectAll().where('id', '=', checkId(id, 'security domain id')).executeTakeFirst();
      return row && toSecurityDomain(row);
    });
  }

  findByName(deviceId: string, name: string): Promise<SecurityDomainRecord | undefined> {
    return guard(this.ctx, async () => {
      const row = await this.ctx.db
        .selectFrom('security_domains')
        .selectAll()
        .where('device_id', '=', checkId(deviceId, 'deviceId'))
        .where('name', '=', checkId(name, 'name'))
        .executeTakeFirst();
      return row && toSecurityDomain(row);
    });
  }

  listForDevice(deviceId: string): Promise<SecurityDomainRecord[]> {
    return guard(this.ctx, async () => {
      const rows = await this.ctx.db.selectFrom('security_domains').selectAll().where('device_id', '=', checkId(deviceId, 'deviceId')).orderBy('name').execute();
      return rows.map(toSecurityDomain);
    });
  }

  delete(id: string): Promise<void> {
    return guard(this.ctx, async () => {
      const key = checkId(id, 'security domain id');
      const result = await this.ctx.db.deleteFrom('security_domains').where('id', '=', key).executeTakeFirst();
      if (result.numDeletedRows === 0n) throw new StoreNotFound(`no security domain with id ${key}`);
    });
  }
}
