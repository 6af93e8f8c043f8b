/**
 * An in-memory TokenStore (ports.ts), for tests and single-process TAMs. Consumed values stay as
 * tombstones until their expiry so that a replay is told apart from an unknown value; `purge`
 * drops expired entries (the caller decides when, as the machines have no timers).
 */
import type { TokenConsumeResult, TokenRecord, TokenStore } from './ports.js';

export class MemoryTokenStore implements TokenStore {
  readonly #records = new Map<string, { record: TokenRecord; used: boolean }>();

  issue(record: TokenRecord): void {
    this.#records.set(record.value, { record, used: false });
  }

  consume(value: string, now: number, sessionId: string): TokenConsumeResult {
    const entry = this.#records.get(value);
    if (entry === undefined || entry.record.sessionId !== sessionId) return { status: 'unknown' };
    if (entry.used) return { status: 'used' };
    entry.used = true;
    if (now > entry.record.expiresAt) return { status: 'expired' };
    return { status: 'ok', record: entry.record };
  }

  /** Removes every record whose expiry has passed; returns how many were removed. */
  purge(now: number): number {
    let n = 0;
    for (const [k, { record }] of this.#records) {
      if (now > record.expiresAt) {
        this.#records.delete(k);
        n++;
      }
    }
    return n;
  }

  get size(): number {
    return this.#records.size;
  }
}
