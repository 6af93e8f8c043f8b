/**
 * The TEEP TokenStore port (core teep/ports.ts) over the store's sessions, for one exchange.
 *
 * `issue` adds the token or challenge to the session's single-use values (store.sessions.addToken).
 * `consume` answers for the value the service already consumed atomically from the store to find
 * the session (tam-service.ts: correlation by the token or challenge the Agent echoes) inside the
 * same database transaction. The machine calls it right after the signature and CDDL checks
 * (docs/teep-decisions.md §4); the service reads `consumeCalled` to know whether a message dropped
 * later must still use up its token after the rollback.
 */
import { fromHex } from '@otrp/core';
import type { TokenConsumeResult, TokenRecord, TokenStore } from '@otrp/core';
import type { StoreRepositories } from '../store/store.js';

export interface PreConsumed {
  readonly record: TokenRecord;
}

export class StoreTokenStore implements TokenStore {
  #consumeCalled = false;

  constructor(
    private readonly tx: StoreRepositories,
    private readonly preConsumed?: PreConsumed,
  ) {}

  get consumeCalled(): boolean {
    return this.#consumeCalled;
  }

  async issue(record: TokenRecord): Promise<void> {
    await this.tx.sessions.addToken(record.sessionId, { kind: record.kind, value: fromHex(record.value), expiresAt: record.expiresAt });
  }

  consume(value: string, _now: number, sessionId: string): TokenConsumeResult {
    this.#consumeCalled = true;
    const pre = this.preConsumed?.record;
    // Only the value consumed for this exchange can be `ok`; anything else is not this session's.
    if (pre !== undefined && pre.value === value && pre.sessionId === sessionId) return { status: 'ok', record: pre };
    return { status: 'unknown' };
  }
}
