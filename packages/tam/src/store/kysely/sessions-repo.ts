/**
 * Protocol sessions and their single-use values (TEEP token and attestation challenge, OTrP rid/tid).
 * `consume` is one conditional UPDATE (not yet consumed, not expired): on SQLite the statement runs
 * under the database write lock, on PostgreSQL the row lock makes a concurrent UPDATE re-check the
 * condition after the winner commits, so exactly one caller succeeds on every backend and node.
 */
import type { Insertable, Selectable } from 'kysely';
import { StoreInvalidArgument, StoreNotFound, StoreTokenExpired, StoreTokenUsed } from '../errors.js';
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
import { prepared } from './prepared.js';
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

// The statements of every TEEP exchange, compiled once (prepared.ts).
// (An insert names every column: `values(args)` would see no keys on the argument markers.)
// A write returns only the columns its caller does not already hold: SQLite's RETURNING * costs
// more than the write itself (BENCHMARKS.md, fifth round).
type SessionRow = Insertable<SessionsTable>;
type TokenRow = Insertable<SessionTokensTable>;
const insertSession = prepared((db, a: SessionRow) =>
  db
    .insertInto('sessions')
    .values({ id: a.id, protocol: a.protocol, device_id: a.device_id, state: a.state, created_at: a.created_at, updated_at: a.updated_at, expires_at: a.expires_at }),
);
const selectSession = prepared((db, a: { id: string }) => db.selectFrom('sessions').selectAll().where('id', '=', a.id));
const sessionExists = prepared((db, a: { id: string }) => db.selectFrom('sessions').select('id').where('id', '=', a.id));
const updateSession = prepared((db, a: { id: string; state: Buffer; deviceId: string | null; expiresAt: number; now: number }) =>
  db
    .updateTable('sessions')
    .set({ state: a.state, device_id: a.deviceId, expires_at: a.expiresAt, updated_at: a.now })
    .where('id', '=', a.id)
    .returning(['protocol', 'created_at']),
);
const insertToken = prepared((db, a: TokenRow) =>
  db
    .insertInto('session_tokens')
    .values({ kind: a.kind, value: a.value, session_id: a.session_id, created_at: a.created_at, expires_at: a.expires_at, consumed_at: a.consumed_at }),
);
const selectTokens = prepared((db, a: { sessionId: string }) =>
  db.selectFrom('session_tokens').selectAll().where('session_id', '=', a.sessionId).orderBy('created_at').orderBy('kind').orderBy('value'),
);
const consumeToken = prepared((db, a: { kind: string; value: Buffer; now: number }) =>
  db
    .updateTable('session_tokens')
    .set({ consumed_at: a.now })
    .where('kind', '=', a.kind)
    .where('value', '=', a.value)
    .where('consumed_at', 'is', null)
    .where('expires_at', '>', a.now)
    .returning(['session_id', 'created_at', 'expires_at']),
);
const consumeOwnToken = prepared((db, a: { sessionId: string; kind1: string; kind2: string; value: Buffer; now: number }) =>
  db
    .updateTable('session_tokens')
    .set({ consumed_at: a.now })
    .where('kind', 'in', [a.kind1, a.kind2])
    .where('value', '=', a.value)
    .where('session_id', '=', a.sessionId)
    .where('consumed_at', 'is', null)
    .where('expires_at', '>', a.now)
    .returning(['kind', 'created_at', 'expires_at']),
);
const ownTokenState = prepared((db, a: { sessionId: string; kind1: string; kind2: string; value: Buffer }) =>
  db.selectFrom('session_tokens').select(['kind', 'consumed_at']).where('kind', 'in', [a.kind1, a.kind2]).where('value', '=', a.value).where('session_id', '=', a.sessionId),
);
const tokenState = prepared((db, a: { kind: string; value: Buffer }) =>
  db.selectFrom('session_tokens').select(['consumed_at']).where('kind', '=', a.kind).where('value', '=', a.value),
);

/** Why a single-use value was not consumed, from its row as read after the refused UPDATE. */
function refusal(token: { consumed_at: unknown } | undefined, kind: string, notFound: string): Error {
  if (!token) return new StoreNotFound(notFound);
  if (token.consumed_at !== null) return new StoreTokenUsed(`the ${kind} was already used`);
  return new StoreTokenExpired(`the ${kind} has expired`);
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
      return atomic(this.ctx, async (_, tx) => {
        await insertSession.execute(tx, session);
        for (const t of tokenRows) await insertToken.execute(tx, t);
        return toSession(session);
      });
    });
  }

  get(id: string): Promise<SessionRecord | undefined> {
    return guard(this.ctx, async () => {
      const row = await selectSession.first(this.ctx, { id: checkId(id, 'session id') });
      return row && toSession(row);
    });
  }

  update(id: string, update: SessionUpdate): Promise<SessionRecord> {
    return guard(this.ctx, async () => {
      const key = checkId(id, 'session id');
      const state = update.state === undefined ? undefined : toBuffer(checkBytes(update.state, 'state'));
      const deviceId = update.deviceId === undefined || update.deviceId === null ? update.deviceId : checkId(update.deviceId, 'deviceId');
      const expiresAt = update.expiresAt === undefined ? undefined : checkUint(update.expiresAt, 'expiresAt');
      const now = this.ctx.clock();
      // The end of every exchange changes all three: that shape is prepared.
      if (state !== undefined && deviceId !== undefined && expiresAt !== undefined) {
        const kept = await updateSession.first(this.ctx, { id: key, state, deviceId, expiresAt, now });
        if (!kept) throw sessionNotFound(key);
        return toSession({ ...kept, id: key, device_id: deviceId, state, updated_at: now, expires_at: expiresAt });
      }
      const row = await this.ctx.db
        .updateTable('sessions')
        .set({
          ...(state === undefined ? {} : { state }),
          ...(deviceId === undefined ? {} : { device_id: deviceId }),
          ...(expiresAt === undefined ? {} : { expires_at: expiresAt }),
          updated_at: now,
        })
        .where('id', '=', key)
        .returningAll()
        .executeTakeFirst();
      if (!row) throw sessionNotFound(key);
      return toSession(row);
    });
  }

  addToken(sessionId: string, token: NewSessionToken): Promise<SessionTokenRecord> {
    return guard(this.ctx, async () => {
      const key = checkId(sessionId, 'session id');
      const row = tokenRow(key, token, this.ctx.clock());
      return atomic(this.ctx, async (_, tx) => {
        if (!(await sessionExists.first(tx, { id: key }))) throw sessionNotFound(key);
        await insertToken.execute(tx, row);
        return toToken(row);
      });
    });
  }

  listTokens(sessionId: string): Promise<SessionTokenRecord[]> {
    return guard(this.ctx, async () => {
      const rows = await selectTokens.rows(this.ctx, { sessionId: checkId(sessionId, 'session id') });
      return rows.map(toToken);
    });
  }

  consume(kind: SessionTokenKind, value: Uint8Array): Promise<ConsumedToken> {
    return guard(this.ctx, async () => {
      const k = checkOneOf(kind, TOKEN_KINDS, 'token kind');
      const v = toBuffer(checkBytes(value, 'token value'));
      const now = this.ctx.clock();
      return atomic(this.ctx, async (_, tx) => {
        const used = await consumeToken.first(tx, { kind: k, value: v, now });
        // The refusal is only explained by the read; the decision was the UPDATE.
        if (!used) throw refusal(await tokenState.first(tx, { kind: k, value: v }), k, `no ${k} with that value`);
        const session = (await selectSession.first(tx, { id: used.session_id }))!;
        return { token: toToken({ ...used, kind: k, value: v, consumed_at: now }), session: toSession(session) };
      });
    });
  }

  consumeInSession(sessionId: string, kinds: readonly SessionTokenKind[], value: Uint8Array): Promise<SessionTokenRecord> {
    return guard(this.ctx, async () => {
      const key = checkId(sessionId, 'session id');
      if (!Array.isArray(kinds) || kinds.length < 1 || kinds.length > 2) throw new StoreInvalidArgument('kinds must list one or two token kinds');
      const kind1 = checkOneOf(kinds[0], TOKEN_KINDS, 'token kind');
      const kind2 = checkOneOf(kinds[kinds.length - 1], TOKEN_KINDS, 'token kind');
      const args = { sessionId: key, kind1, kind2, value: toBuffer(checkBytes(value, 'token value')) };
      const now = this.ctx.clock();
      return atomic(this.ctx, async (_, tx) => {
        const used = await consumeOwnToken.first(tx, { ...args, now });
        if (used) return toToken({ ...used, value: args.value, session_id: key, consumed_at: now });
        const token = await ownTokenState.first(tx, args);
        throw refusal(token, token?.kind ?? kind1, `session ${key} holds no such ${kinds.join(' or ')}`);
      });
    });
  }

  delete(id: string): Promise<void> {
    return guard(this.ctx, async () => {
      const key = checkId(id, 'session id');
      const result = await this.ctx.db.deleteFrom('sessions').where('id', '=', key).executeTakeFirst();
      if (result.numDeletedRows === 0n) throw sessionNotFound(key);
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

function sessionNotFound(id: string): StoreNotFound {
  return new StoreNotFound(`no session with id ${id}`);
}
