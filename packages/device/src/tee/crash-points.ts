/**
 * Injectable crash points, for the kill tests of the TEE's storage (issue 6 "the kill test").
 *
 * With `OTRP_TEE_CRASH_AT=<step>[:n]` in the environment, the process kills itself with SIGKILL (no
 * exit handlers, no flushing: as close to pulling the plug as a process can get) the n-th time
 * (default 1st) it reaches `<step>`. Steps are named `before-<op>` / `after-<op>` for each file
 * operation of an atomic write: `write`, `fsync`, `rename`, `dirsync` (see atomic-file.ts); the
 * count runs over the whole process, so `after-rename:2` is the second file made durable.
 *
 * Unset (the normal case), `crashPoint` is one comparison.
 */

export const CRASH_ENV = 'OTRP_TEE_CRASH_AT';

/** The operations of an atomic write, in order. */
export const ATOMIC_WRITE_OPS = ['write', 'fsync', 'rename', 'dirsync'] as const;
export type AtomicWriteOp = (typeof ATOMIC_WRITE_OPS)[number];
export type CrashStep = `${'before' | 'after'}-${AtomicWriteOp}`;

/** Every crash step, in the order an atomic write passes them. */
export const CRASH_STEPS: readonly CrashStep[] = ATOMIC_WRITE_OPS.flatMap((op) => [`before-${op}`, `after-${op}`] as const);

interface Armed {
  readonly step: string;
  readonly n: number;
}

let armed: Armed | null | undefined;
const seen = new Map<string, number>();

function parse(): Armed | null {
  const raw = process.env[CRASH_ENV];
  if (!raw) return null;
  const m = /^([a-z-]+)(?::(\d+))?$/.exec(raw);
  if (!m) return null;
  return { step: m[1]!, n: m[2] ? Number(m[2]) : 1 };
}

/** Marks a crash point; kills the process here when the environment asks for it. */
export function crashPoint(step: CrashStep): void {
  armed ??= parse();
  if (armed === null || armed.step !== step) return;
  const count = (seen.get(step) ?? 0) + 1;
  seen.set(step, count);
  if (count === armed.n) process.kill(process.pid, 'SIGKILL');
}
