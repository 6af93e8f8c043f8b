/**
 * Counting the simulated devices' public-key operations in the bench process: their COSE provider is
 * core's countingCryptoProvider over node:crypto, and the process-wide WebCrypto `subtle` is wrapped
 * as well, because certificate path validation (pkijs, @peculiar/x509) and the SUIT processor's
 * default provider call it directly. The counter is the TAM's own (@otrp/tam service/crypto-counts.ts),
 * so labels match: `"<kind> <alg or curve>"` from the provider, `"subtle <kind> <algorithm>"` from WebCrypto.
 */
import * as nodeCrypto from 'node:crypto';
import { createNodeCryptoProvider } from '@otrp/core';
import { createCryptoCounter, type CryptoCounter } from '@otrp/tam';

export type OperationCounts = Record<string, number>;

/** A party's operation counts and the microseconds its provider spent in them (CryptoCounter `micros`). */
export interface OperationTally {
  readonly counts: OperationCounts;
  readonly micros: OperationCounts;
}

export const emptyTally: OperationTally = { counts: {}, micros: {} };

export function tallyOf(counter: Pick<CryptoCounter, 'counts' | 'micros'>): OperationTally {
  return { counts: counter.counts(), micros: counter.micros() };
}

/** node:crypto provider that counts (give it to every simulated Agent), and all counts of this process. */
export type CryptoCensus = CryptoCounter;

let census: CryptoCensus | undefined;

/**
 * The process's census: the same counter the TAM uses (OTRP_COUNT_CRYPTO), so both sides label their
 * operations alike. WebCrypto is wrapped once, on first use.
 */
export function cryptoCensus(): CryptoCensus {
  census ??= createCryptoCounter(createNodeCryptoProvider(nodeCrypto));
  return census;
}

/** after - before, per label, zero entries left out. */
function countsDelta(after: OperationCounts, before: OperationCounts): OperationCounts {
  const out: OperationCounts = {};
  for (const [k, v] of Object.entries(after)) {
    const d = v - (before[k] ?? 0);
    if (d > 0) out[k] = d;
  }
  return out;
}

/** Sums counts label by label. */
function addCounts(a: OperationCounts, b: OperationCounts): OperationCounts {
  const out: OperationCounts = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return out;
}

/** `total` plus what happened between `before` and `after`. */
export function addTallyDelta(total: OperationTally, after: OperationTally, before: OperationTally): OperationTally {
  return { counts: addCounts(total.counts, countsDelta(after.counts, before.counts)), micros: addCounts(total.micros, countsDelta(after.micros, before.micros)) };
}
