/**
 * The ceiling (issue 6): number of CPU cores / the single-core time of every public-key operation the
 * TAM and the devices performed per exchange. Counts are what the counting providers saw during the
 * timed runs divided by the exchanges of those runs; each operation is priced with node:crypto in this
 * run (op-timing.ts), so the figure is for this machine, now.
 */
import type { OperationCounts } from './crypto-census.js';
import { operationSpec, specKey, timeOperation } from './op-timing.js';

export interface CeilingRow {
  readonly party: 'tam' | 'devices';
  readonly label: string;
  readonly perExchange: number;
  /** node:crypto single-core microseconds per operation. */
  readonly micros: number;
}

export interface Ceiling {
  readonly rows: CeilingRow[];
  /** Single-core microseconds of public-key work per exchange. */
  readonly microsPerExchange: number;
  readonly cores: number;
  /** Exchanges per second. */
  readonly ceiling: number;
}

export function computeCeiling(counts: { tam: OperationCounts; devices: OperationCounts }, exchanges: number, cores: number): Ceiling {
  const timings = new Map<string, number>();
  const price = (label: string) => {
    const spec = operationSpec(label);
    const key = specKey(spec);
    let us = timings.get(key);
    if (us === undefined) timings.set(key, (us = timeOperation(spec)));
    return us;
  };
  const rows: CeilingRow[] = [];
  for (const party of ['tam', 'devices'] as const) {
    for (const [label, n] of Object.entries(counts[party]).sort(([a], [b]) => a.localeCompare(b))) {
      rows.push({ party, label, perExchange: n / exchanges, micros: price(label) });
    }
  }
  const microsPerExchange = rows.reduce((t, r) => t + r.perExchange * r.micros, 0);
  return { rows, microsPerExchange, cores, ceiling: microsPerExchange > 0 ? (cores * 1e6) / microsPerExchange : Infinity };
}

/**
 * What the same operations cost inside the running processes (the counting providers' `micros`),
 * against their price in the table: busy processes run them with cold caches, and the ceiling
 * prices them hot. Only rows whose party timed that label take part (WebCrypto is counted only).
 */
export interface InProcessCost {
  /** Microseconds per exchange in the processes, by party, over the timed rows. */
  readonly tam: number;
  readonly devices: number;
  /** The same rows at their node:crypto price, microseconds per exchange. */
  readonly priced: number;
  /** Rows without a time (their operations are in the ceiling, not in this comparison). */
  readonly untimed: number;
}

export function inProcessCost(c: Ceiling, micros: { tam: OperationCounts; devices: OperationCounts }, exchanges: number): InProcessCost {
  const spent = { tam: 0, devices: 0 };
  let priced = 0;
  let untimed = 0;
  for (const r of c.rows) {
    const us = micros[r.party][r.label];
    if (us === undefined || us <= 0) {
      untimed++;
      continue;
    }
    spent[r.party] += us / exchanges;
    priced += r.perExchange * r.micros;
  }
  return { ...spent, priced, untimed };
}

/** One line: the in-process cost, its ratio to the price, and the rate that cost alone would allow. */
export function formatInProcessCost(k: InProcessCost, c: Ceiling): string {
  const total = k.tam + k.devices;
  if (total <= 0) return 'in the processes: no operation was timed';
  const bound = (c.cores * 1e6) / total;
  const untimed = k.untimed > 0 ? `; ${k.untimed} untimed row${k.untimed === 1 ? '' : 's'} left out` : '';
  return (
    `in the processes the same operations took ${total.toFixed(1)} µs per exchange (TAM ${k.tam.toFixed(1)}, devices ${k.devices.toFixed(1)}), ` +
    `${(total / k.priced).toFixed(2)}x their price above: that work alone allows ${bound.toFixed(1)}/s (${((bound / c.ceiling) * 100).toFixed(1)}% of ceiling)${untimed}`
  );
}

/** The operation table, one line per (party, operation). */
export function formatCeilingTable(c: Ceiling): string[] {
  const head = `  ${'party'.padEnd(8)}${'operation'.padEnd(40)}${'per exchange'.padStart(13)}${'µs each'.padStart(10)}${'µs/exchange'.padStart(13)}`;
  const lines = [head];
  for (const r of c.rows) {
    lines.push(`  ${r.party.padEnd(8)}${r.label.padEnd(40)}${r.perExchange.toFixed(2).padStart(13)}${r.micros.toFixed(1).padStart(10)}${(r.perExchange * r.micros).toFixed(1).padStart(13)}`);
  }
  lines.push(`  ${'total'.padEnd(48)}${c.rows.reduce((t, r) => t + r.perExchange, 0).toFixed(2).padStart(13)}${''.padStart(10)}${c.microsPerExchange.toFixed(1).padStart(13)}`);
  return lines;
}
