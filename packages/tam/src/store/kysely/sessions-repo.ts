/**
 * Protocol sessions and their single-use values (TEEP token and attestation challenge, OTrP rid/tid).
 * `consume` is one conditional UPDATE (not yet consumed, not expired): on SQLite the statement runs
 * under the database write lock, on PostgreSQL the row lock makes a concurrent UPDATE re-check the
 * condition after the winner commits, so exactly one caller succeeds on every backend and node.
 */
import type { Selectable } from 'kysely';
import { StoreNotFound, StoreTokenExpired, StoreTokenUsed } from '../errors.js';
import type {
  ConsumedToken,
  EpochMs,
  NewSession,
  NewSessionToken,
  Protocol,
  SessionRecord,
  SessionTokenKind,
  SessionTokenRecord,
  SessionUpdate,
} from '../records.js';
import type { SessionRepository } from '../store.js';
import { checkBytes, checkId, checkOneOf, checkUint, fromBuffer, num, numOrNull, toBuffer } from './codec.js';
import { atomic, guard, type RepoContext } from './context.js';
import type { SessionsTable, SessionTokensTable } from './schema.js';

export const PROTOCOLS: readonly Protocol[] = ['teep', 'otrp'];
export const TOKEN_KINDS: readonly SessionTokenKind[] = ['token', 'challenge', 'nonce', 'rid', 'tid'];

export function toSession(r: Selectable<SessionsTable>): SessionRecord {
  return {
    id: r.id,
    protocol: r.protocol as Protocol,
    deviceId: r.device_id,
    state: fromBuffer(r.state),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
    expiresAt: num(r.expires_at),
  };
}

function toToken(r: Selectable<SessionTokensTable>): SessionTokenRecord {
  return {
    kind: r.kind as SessionTokenKind,
    value: fromBuffer(r.value),
    sessionId: r.session_id,
    createdAt: num(r.created_at),
    expiresAt: num(r.expires_at),
    consumedAt: numOrNull(r.consumed_at),
  };
}

function tokenRow(sessionId: string, t: NewSessionToken, now: EpochMs) {
  return {
    kind: checkOneOf(t.kind, TOKEN_KINDS, 'token kind'),
    value: toBuffer(checkBytes(t.value, 'token value')),
    session_id: sessionId,
    created_at: now,
    expires_at: checkUint(t.expiresAt, 'token expiresAt'),
    consumed_at: null,
  };
}

export class KyselySessionRepository implements SessionRepository {
  constructor(private readonly ctx: RepoContext) {}

  create(input: NewSession, tokens: readonly NewSessionToken[] = []): Promise<SessionRecord> {
    return guard(this.ctx, async () => {
      const now = this.ctx.clock();
      const id = input.id === undefined ? crypto.randomUUID() : checkId(input.id, 'session id');
      const session = {
        id,
        protocol: checkOneOf(input.protocol, PROTOCOLS, 'protocol'),
        device_id: input.deviceId == null ? null : checkId(input.deviceId, 'deviceId'),
        state: toBuffer(checkBytes(input.state, 'state')),
        created_at: now,
        updated_at: now,
        expires_at: checkUint(input.expiresAt, 'expiresAt'),
      };
      const tokenRows = tokens.map((t) => tokenRow(id, t, now));
      return atomic(this.ctx, async (db) => {
        const row = await db.insertInto('sessions').values(session).returningAll().executeTakeFirstOrThrow();
        if (tokenRows.length > 0) await db.insertInto('session_tokens').values(tokenRows).execute();
        return toSession(row);
      });
    });
  }

  get(id: string): Promise<SessionRecord | undefined> {
    return guard(this.ctx, async () => {
      const row = await this.ctx.db.selectFrom('sessions').selectAll().where('id', '=', checkId(id, 'session id')).executeTakeFirst();
      return row && toSession(row);
    });
  }

  update(id: string, update: SessionUpdate): Promise<SessionRecord> {
    return guard(this.ctx, async () => {
      const key = checkId(id, 'session id');
      const row = await this.ctx.db
        .updateTable('sessions')
        .set({
          ...(update.state === undefined ? {} : { state: toBuffer(checkBytes(update.state, 'state')) }),
          ...(update.deviceId === undefined ? {} : { device_id: update.deviceId === null ? null : checkId(update.deviceId, 'deviceId') }),
          ...(update.expiresAt === undefined ? {} : { expires_at: checkUint(update.expiresAt, 'expiresAt') }),
          updated_at: this.ctx.clock(),
        })
        .where('id', '=', key)
        .returningAll()
        .executeTakeFirst();
      if (!row) throw new StoreNotFound(`no session with id ${key}`);
      return toSession(row);
    });
  }

  addToken(sessionId: string, token: NewSessionToken): Promise<SessionTokenRecord> {
    return guard(this.ctx, async () => {
      const key = checkId(sessionId, 'session id');
      const row = tokenRow(key, token, this.ctx.clock());
      return atomic(this.ctx, async (db) => {
        const session = await db.selectFrom('sessions').select('id').where('id', '=', key).executeTakeFirst();
        if (!session) throw new StoreNotFound(`no session with id ${key}`);
        return toToken(await db.insertInto('session_tokens').values(row).returningAll().executeTakeFirstOrThrow());
      });
    });
  }

  listTokens(sessionId: string): Promise<SessionTokenRecord[]> {
    return guard(this.ctx, async () => {
      const rows = await this.ctx.db
        .selectFrom('session_tokens')
        .selectAll()
        .where('session_id', '=', checkId(sessionId, 'session id'))
        .orderBy('created_at')
        .orderBy('kind')
        .orderBy('value')
        .execute();
      return rows.map(toToken);
    });
  }

  consume(kind: SessionTokenKind, value: Uint8Array): Promise<ConsumedToken> {
    return guard(this.ctx, async () => {
      const k = checkOneOf(kind, TOKEN_KINDS, 'token kind');
      const v = toBuffer(checkBytes(value, 'token value'));
      const now = this.ctx.clock();
      return atomic(this.ctx, async (db) => {
        const used = await db
          .updateTable('session_tokens')
          .set({ consumed_at: now })
          .where('kind', '=', k)
          .where('value', '=', v)
          .where('consumed_at', 'is', null)
          .where('expires_at', '>', now)
          .returningAll()
          .executeTakeFirst();
        if (!used) {
          // Only explains the refusal; the decision was the UPDATE above.
          const token = await db.selectFrom('session_tokens').select(['consumed_at']).where('kind', '=', k).where('value', '=', v).executeTakeFirst();
          if (!token) throw new StoreNotFound(`no ${k} with that value`);
          if (token.consumed_at !== null) throw new StoreTokenUsed(`the ${k} was already used`);
          throw new StoreTokenExpired(`the ${k} has expired`);
        }
        const session = await db.selectFrom('sessions').selectAll().where('id', '=', used.session_id).executeTakeFirstOrThrow();
        return { token: toToken(used), session: toSession(session) };
      });
    });
  }

  delete(id: string): Promise<void> {
    return guard(this.ctx, async () => {
      const key = checkId(id, 'session id');
      const result = await this.ctx.db.deleteFrom('sessions').where('id', '=', key).executeTakeFirst();
      if (result.numDeletedRows === 0n) throw new StoreNotFound(`no session with id ${key}`);
    });
  }

  purgeExpired(at?: EpochMs): Promise<number> {
    return guard(this.ctx, async () => {
      const now = at === undefined ? this.ctx.clock() : checkUint(at, 'at');
      const result = await this.ctx.db.deleteFrom('sessions').where('expires_at', '<', now).executeTakeFirst();
      return Number(result.numDeletedRows);
    });
  }
}
