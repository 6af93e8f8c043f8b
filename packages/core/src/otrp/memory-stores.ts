/**
 * In-memory implementations of the TeeStore and RidTidStore ports: for tests, demos and hosts that
 * persist the snapshot themselves (the device package writes it atomically to sealed storage).
 */
import type { RidTidStore, TeeState, TeeStore } from './ports.js';

function clone(s: TeeState): TeeState {
  return {
    sds: s.sds.map((sd) => ({ ...sd, spcerts: [...sd.spcerts], tas: sd.tas.map((t) => ({ ...t })) })),
    spaiks: s.spaiks.map((a) => ({ ...a })),
  };
}

export function createMemoryTeeStore(initial: TeeState = { sds: [], spaiks: [] }): TeeStore & { snapshot(): TeeState } {
  let state = clone(initial);
  return {
    async load() {
      return clone(state);
    },
    async commit(next) {
      state = clone(next);
    },
    snapshot() {
      return clone(state);
    },
  };
}

export function createMemoryRidTidStore(): RidTidStore {
  const seen = new Set<string>();
  return {
    async recordOnce(scope, rid, tid) {
      const k = JSON.stringify([scope, rid, tid]);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    },
  };
}
