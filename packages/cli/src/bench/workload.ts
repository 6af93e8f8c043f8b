/**
 * What each exchange of a scenario must be, and which device does it next.
 *
 * install: QueryRequest -> QueryResponse (EAT) -> Update (SUIT) -> Success, always on a device that
 *   lacks the TC. One TC at a time is `required` fleet-wide (a rollout); when no idle device lacks it,
 *   the next TC of the pool becomes required and the previous one `optional` (installed copies stay,
 *   nothing is pushed for it). The new policy is set before the old one is relaxed, so an exchange
 *   never finds nothing to do; at worst one in flight gets both TCs. The pool is uploaded before the
 *   timed window; running out uploads one more TC inside it (counted and reported).
 * poll: QueryRequest -> QueryResponse, answered 204: a policy check on a device that already holds
 *   every required TC.
 */
import type { SessionResult, SimDevice } from './sim-agent.js';

export type Scenario = 'install' | 'poll';

export interface Workload {
  /** An idle device with work to do now (N >= C guarantees one), marked busy; the caller clears `busy`. */
  next(): Promise<SimDevice>;
  /** Undefined when the session was a correct exchange of the scenario, else what was wrong. */
  check(result: SessionResult): string | undefined;
}

const INSTALL = 'query-request,query-response,update,success';
const POLL = 'query-request,query-response';

function sameFlow(r: SessionResult, types: string, statuses: string): string | undefined {
  if (r.types.join(',') !== types || r.statuses.join(',') !== statuses) return `flow ${r.types.join(',') || '-'} statuses ${r.statuses.join(',')}`;
  return undefined;
}

/** Round-robin over idle devices that satisfy `wanted`; the one returned is marked busy. */
function picker(devices: readonly SimDevice[]) {
  let cursor = 0;
  return (wanted: (d: SimDevice) => boolean): SimDevice | undefined => {
    for (let i = 0; i < devices.length; i++) {
      const d = devices[(cursor + i) % devices.length]!;
      if (!d.busy && wanted(d)) {
        d.busy = true;
        cursor = (cursor + i + 1) % devices.length;
        return d;
      }
    }
    return undefined;
  };
}

export function pollWorkload(devices: readonly SimDevice[]): Workload {
  const pick = picker(devices);
  return {
    async next() {
      const d = pick(() => true);
      if (!d) throw new Error('no idle device (devices < concurrency)');
      return d;
    },
    check: (r) => sameFlow(r, POLL, '200,204'),
  };
}

export interface TcRelease {
  readonly name: string;
  readonly id: string;
}

export interface RolloutControl {
  /** The TC pool, in rollout order; `pool[current]` is the required one. */
  readonly pool: TcRelease[];
  current: number;
  /** Uploads one more TC at the end of the pool. */
  grow(): Promise<void>;
  setPolicy(tcId: string, action: 'required' | 'optional'): Promise<void>;
  /** TCs uploaded inside a timed window. */
  uploadsInWindow: number;
}

export function installWorkload(devices: readonly SimDevice[], rollout: RolloutControl): Workload {
  const pick = picker(devices);
  let advancing: Promise<void> | undefined;
  const advance = async () => {
    if (rollout.current + 1 >= rollout.pool.length) {
      await rollout.grow();
      rollout.uploadsInWindow++;
    }
    const prev = rollout.pool[rollout.current]!;
    const next = rollout.pool[rollout.current + 1]!;
    await rollout.setPolicy(next.id, 'required');
    rollout.current++;
    await rollout.setPolicy(prev.id, 'optional');
  };
  return {
    async next() {
      for (;;) {
        const tc = rollout.pool[rollout.current]!.name;
        const d = pick((x) => !x.installed.has(tc));
        if (d) return d;
        if (!devices.some((x) => !x.busy)) throw new Error('no idle device (devices < concurrency)');
        advancing ??= advance().finally(() => (advancing = undefined));
        await advancing;
      }
    },
    check: (r) => sameFlow(r, INSTALL, '200,200,204') ?? (r.newlyInstalled.length === 0 ? 'the exchange installed nothing' : undefined),
  };
}
