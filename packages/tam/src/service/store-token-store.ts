/**
 * The TEEP TokenStore port (core teep/ports.ts) over the store's sessions, for one exchange.
 *
 * `issue` adds the token or challenge to the session's single-use values (store.sessions.addToken),
 * or, for a session not stored yet (ProcessConnect), collects them for sessions.create.
 * `consume` answers for the value the service already consumed atomically from the store to find
 * the session (tam-service.ts: correlation by the token or challenge the Agent echoes) inside the
 * same database transaction. A Background-Check QueryRequest carries a token and a challenge, and
 * the machine consumes the request's other value too (docs/teep-decisions.md §4): that one is
 * consumed here from the store, only when it belongs to the same session. The machine calls
 * `consume` right after the signature and CDDL checks; the service reads `consumeCalled` and
 * `alsoConsumed` to know what a message dropped later must still use up after the rollback.
 */
import { fromHex } from '@otrp/core';
import type { TokenConsumeResult, TokenRecord, TokenStore } from '@otrp/core';
import { StoreNotFound, StoreTokenExpired, StoreTokenUsed } from '../store/errors.js';
import type { NewSessionToken } from '../store/records.js';
import type { StoreRepositories } from '../store/store.js';

/** What the machine may consume besides the pre-consumed value: the session's own token or challenge. */
const OWN_KINDS = ['token', 'challenge'] as const;
const HEX = /^(?:[0-9a-f]{2})+$/;

export interface PreConsumed {
  readonly record: TokenRecord;
}

export class StoreTokenStore implements TokenStore {
  #consumeCalled = false;
  readonly #also: { kind: TokenRecord['kind']; value: Uint8Array }[] = [];
  readonly #collected: NewSessionToken[] | undefined;

  /**
   * With `collect`, issued values are kept here instead of written (`collected`): a new session's
   * values go into the store together with its row (sessions.create).
   */
  constructor(
    private readonly tx: StoreRepositories,
    private readonly preConsumed?: PreConsumed,
    options?: { readonly collect?: boolean },
  ) {
    if (options?.collect) this.#collected = [];
  }

  /** The values issued so far, when collecting. */
  get collected(): readonly NewSessionToken[] {
    return this.#collected ?? [];
  }

  get consumeCalled(): boolean {
    return this.#consumeCalled;
  }

  /** Values of the session consumed here besides the pre-consumed one. */
  get alsoConsumed(): readonly { kind: TokenRecord['kind']; value: Uint8Array }[] {
    return this.#also;
  }

  async issue(record: TokenRecord): Promise<void> {
    const token = { kind: record.kind, value: fromHex(record.value), expiresAt: record.expiresAt };
    if (this.#collected) this.#collected.push(token);
    else await this.tx.sessions.addToken(record.sessionId, token);
  }

  async consume(value: string, _now: number, sessionId: string): Promise<TokenConsumeResult> {
    this.#consumeCalled = true;
    const pre = this.preConsumed?.record;
    // Only values of the session found for this exchange can be `ok`; anything else is not its own.
    if (pre === undefined || pre.sessionId !== sessionId) return { status: 'unknown' };
    if (pre.value === value) return { status: 'ok', record: pre };
    if (!HEX.test(value)) return { status: 'unknown' };
    try {
      const used = await this.tx.sessions.consumeInSession(sessionId, OWN_KINDS, fromHex(value));
      const kind = used.kind as TokenRecord['kind'];
      this.#also.push({ kind, value: used.value });
      return { status: 'ok', record: { value, kind, sessionId, expiresAt: used.expiresAt } };
    } catch (e) {
      if (e instanceof StoreTokenUsed) return { status: 'used' };
      if (e instanceof StoreTokenExpired) return { status: 'expired' };
      if (e instanceof StoreNotFound) return { status: 'unknown' };
      throw e;
    }
  }
}
