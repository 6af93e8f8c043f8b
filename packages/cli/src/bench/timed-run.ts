/**
 * Concurrency-C load over a set of simulated devices: C workers, each running whole sessions back to
 * back on the device the workload hands out. `timedRun` stops starting sessions after S seconds and
 * lets the ones in flight finish (so the operation counts taken around it cover whole exchanges); the
 * rate counts the exchanges completed inside the window only.
 */
import { runSession } from './sim-agent.js';
import type { Workload } from './workload.js';

export interface RunResult {
  /** Exchanges completed inside the window. */
  readonly inWindow: number;
  /** All exchanges, the ones drained after the window included. */
  readonly exchanges: number;
  readonly errors: number;
  readonly seconds: number;
  /** A few error descriptions. */
  readonly samples: string[];
}

export interface RunProgress {
  exchanges: number;
  errors: number;
  readonly startedAt: number;
}

export interface RunOptions {
  readonly tamUrl: string;
  readonly workload: Workload;
  readonly concurrency: number;
  /** Milliseconds; undefined = until `limit` exchanges were started. */
  readonly durationMs?: number;
  readonly limit?: number;
  readonly onProgress?: (p: RunProgress) => void;
}

export async function timedRun(options: RunOptions): Promise<RunResult> {
  const startedAt = performance.now();
  const end = options.durationMs === undefined ? Infinity : startedAt + options.durationMs;
  const progress: RunProgress = { exchanges: 0, errors: 0, startedAt };
  const samples: string[] = [];
  let started = 0;
  let inWindow = 0;
  const fail = (what: string) => {
    progress.errors++;
    if (samples.length < 5) samples.push(what);
  };
  const worker = async () => {
    while (performance.now() < end && (options.limit === undefined || started < options.limit)) {
      started++;
      const device = await options.workload.next();
      try {
        const r = await runSession(options.tamUrl, device);
        const wrong = options.workload.check(r);
        if (wrong !== undefined) fail(`${device.name}: ${wrong}`);
      } catch (e) {
        fail(`${device.name}: ${e instanceof Error ? `${(e as { code?: string }).code ?? e.name}: ${e.message}` : String(e)}`);
      } finally {
        device.busy = false;
      }
      progress.exchanges++;
      if (performance.now() <= end) inWindow++;
    }
  };
  const ticker = options.onProgress && setInterval(() => options.onProgress!(progress), 250);
  try {
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  } finally {
    if (ticker) clearInterval(ticker);
  }
  const seconds = options.durationMs === undefined ? (performance.now() - startedAt) / 1000 : options.durationMs / 1000;
  return { inWindow, exchanges: progress.exchanges, errors: progress.errors, seconds, samples };
}

/** The median of `xs` (mean of the middle two for an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
