/**
 * The TEE's persistent OTrP state, in its sealed storage (sealed-storage.ts): the TeeStore and
 * RidTidStore ports of core's OTrP agent (core otrp/ports.ts), written atomically through
 * `SealedStorage.write` (temporary file, fsync, rename, fsync the directory), so a crash leaves the
 * old file or the new one, never a mix.
 *
 *   otrp-state    the Security Domains (owner TAM, SP, name, SP certificates), their TAs (taid, name,
 *                 decrypted binary and personalisation data, installed-at, updated-at) and the TEE SP
 *                 AIKs (one per SP, draft-ietf-teep-opentrustprotocol-03 §7.8.1: PKCS#8 + SPKI).
 *   otrp-ridtid   the rid/tid pairs the TEE has accepted (-03 §9.1.1 "The combination of rid and tid MUST
 *                 be made unique"), as SHA-256(scope, rid, tid): 32 bytes each, whatever the TAM sends.
 *
 * Order (tee-agent.ts): the agent records rid/tid (`recordOnce`, durable before it returns true) before
 * it loads and changes the state, and commits the state once at the end. A crash after the rid/tid
 * write and before the state commit leaves the request spent and the state unchanged: the TAM sees no
 * response, re-reads the device state and sends a new request; a replay of the spent one is refused,
 * also after a restart.
 *
 * Bounds (refused with OtrpTeeResourceFull, wire ERR_TEE_RESOURCE_FULL, -03 §13.1.1): `OTRP_STORE_LIMITS`.
 * Both files are read and checked when the store is opened; a file that unseals but has the wrong
 * shape is ERR_OTRP_STORE_CORRUPT (one that does not unseal: ERR_TEE_UNSEAL_FAILED).
 */
import { createHash } from 'node:crypto';
import { bytesEqual, otrpErrors, type RidTidStore, type TeeSd, type TeeState, type TeeStore } from '@otrp/core';
import { OtrpStoreCorrupt } from '../errors.js';
import { asRec, bytes, bytesList, decodeRecord, encodeRecord, list, optBytes, optStr, str, type Rec, type RecordValue } from './cbor-record.js';
import type { SealedStorage } from './sealed-storage.js';

export const OTRP_STATE_FILE = 'otrp-state';
export const OTRP_RIDTID_FILE = 'otrp-ridtid';
const FORMAT_VERSION = 1;

/** Upper bounds of the TEE's OTrP storage (a real TEE's secure storage is small and finite). */
export const OTRP_STORE_LIMITS = {
  /** Security Domains, all TAMs together. */
  sds: 128,
  /** TAs, all SDs together. */
  tas: 512,
  /** TEE SP AIKs (one per SP). */
  spaiks: 128,
  /** Bytes of the encoded state (TA binaries and pdata included). */
  stateBytes: 48 * 1024 * 1024,
  /** Remembered rid/tid pairs (32 bytes each). */
  ridTidPairs: 32_768,
} as const;
export type OtrpStoreLimits = { readonly [K in keyof typeof OTRP_STORE_LIMITS]: number };

/** What the TEE lists about one installed OTrP TA (no binary). */
export interface OtrpTaInfo {
  readonly tamid: string;
  readonly spid: string;
  readonly sdname: string;
  readonly taid: string;
  readonly taname?: string;
  readonly size: number;
  readonly installedAt: number;
  readonly updatedAt: number;
}

/** What one commit changed, for the Broker's transcript (the REE sees SD/TA names in `device list` anyway). */
export interface OtrpChange {
  readonly action: 'sd-created' | 'sd-updated' | 'sd-deleted' | 'ta-installed' | 'ta-updated' | 'ta-deleted';
  readonly spid: string;
  readonly sdname: string;
  readonly taid?: string;
}

interface TaMeta {
  installedAt: number;
  updatedAt: number;
}

const taKey = (tamid: string, spid: string, sdname: string, taid: string) => JSON.stringify([tamid, spid, sdname, taid]);
const sdKey = (sd: Pick<TeeSd, 'tamid' | 'spid' | 'name'>) => JSON.stringify([sd.tamid, sd.spid, sd.name]);
const sameBytes = (a: Uint8Array | undefined, b: Uint8Array | undefined) => a === b || (a !== undefined && b !== undefined && bytesEqual(a, b));

function clone(s: TeeState): TeeState {
  return {
    sds: s.sds.map((sd) => ({ tamid: sd.tamid, spid: sd.spid, name: sd.name, spcerts: [...sd.spcerts], tas: sd.tas.map((t) => ({ ...t })) })),
    spaiks: s.spaiks.map((a) => ({ spid: a.spid, key: { pkcs8: a.key.pkcs8, spki: a.key.spki } })),
  };
}

function corrupt(what: string, cause?: unknown): OtrpStoreCorrupt {
  return new OtrpStoreCorrupt(`${what} is not a valid OTrP store file`, cause === undefined ? undefined : { cause });
}

function encodeState(state: TeeState, meta: ReadonlyMap<string, TaMeta>): Uint8Array {
  return encodeRecord({
    version: FORMAT_VERSION,
    sds: state.sds.map((sd) => ({
      tamid: sd.tamid,
      spid: sd.spid,
      name: sd.name,
      spcerts: [...sd.spcerts],
      tas: sd.tas.map((t) => {
        const m = meta.get(taKey(sd.tamid, sd.spid, sd.name, t.taid))!;
        return { taid: t.taid, taname: t.taname, binary: t.binary, pdata: t.pdata, installedAt: m.installedAt, updatedAt: m.updatedAt };
      }),
    })),
    spaiks: state.spaiks.map((a) => ({ spid: a.spid, pkcs8: a.key.pkcs8, spki: a.key.spki })),
  });
}

function num(r: Rec, k: string): number {
  const v = r[k];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw corrupt(OTRP_STATE_FILE);
  return v;
}

function decodeState(data: Uint8Array): { state: TeeState; meta: Map<string, TaMeta> } {
  try {
    const r = asRec(decodeRecord(data), 'otrp-state');
    if (r['version'] !== FORMAT_VERSION) throw corrupt(OTRP_STATE_FILE);
    const meta = new Map<string, TaMeta>();
    const sds: TeeSd[] = list(r, 'sds').map((v) => {
      const s = asRec(v, 'sd');
      const sd: TeeSd = { tamid: str(s, 'tamid'), spid: str(s, 'spid'), name: str(s, 'name'), spcerts: bytesList(s, 'spcerts'), tas: [] };
      for (const tv of list(s, 'tas')) {
        const t = asRec(tv, 'ta');
        const taname = optStr(t, 'taname');
        const pdata = optBytes(t, 'pdata');
        const ta = { taid: str(t, 'taid'), binary: bytes(t, 'binary'), ...(taname !== undefined && { taname }), ...(pdata && { pdata }) };
        sd.tas.push(ta);
        meta.set(taKey(sd.tamid, sd.spid, sd.name, ta.taid), { installedAt: num(t, 'installedAt'), updatedAt: num(t, 'updatedAt') });
      }
      return sd;
    });
    const spaiks = list(r, 'spaiks').map((v) => {
      const a = asRec(v, 'spaik');
      return { spid: str(a, 'spid'), key: { pkcs8: bytes(a, 'pkcs8'), spki: bytes(a, 'spki') } };
    });
    return { state: { sds, spaiks }, meta };
  } catch (e) {
    if (e instanceof OtrpStoreCorrupt) throw e;
    throw corrupt(OTRP_STATE_FILE, e);
  }
}

/** The changes between two states (SDs by owner/SP/name, TAs by taid within their SD). */
export function diffStates(before: TeeState, after: TeeState): OtrpChange[] {
  const out: OtrpChange[] = [];
  const old = new Map(before.sds.map((sd) => [sdKey(sd), sd]));
  const now = new Map(after.sds.map((sd) => [sdKey(sd), sd]));
  for (const [k, sd] of now) {
    const prev = old.get(k);
    if (!prev) out.push({ action: 'sd-created', spid: sd.spid, sdname: sd.name });
    else if (prev.spcerts.length !== sd.spcerts.length || !prev.spcerts.every((c, i) => sameBytes(c, sd.spcerts[i]))) {
      out.push({ action: 'sd-updated', spid: sd.spid, sdname: sd.name });
    }
    const prevTas = new Map((prev?.tas ?? []).map((t) => [t.taid, t]));
    for (const t of sd.tas) {
      const p = prevTas.get(t.taid);
      if (!p) out.push({ action: 'ta-installed', spid: sd.spid, sdname: sd.name, taid: t.taid });
      else if (!sameBytes(p.binary, t.binary) || !sameBytes(p.pdata, t.pdata) || p.taname !== t.taname) {
        out.push({ action: 'ta-updated', spid: sd.spid, sdname: sd.name, taid: t.taid });
      }
    }
    const names = new Set(sd.tas.map((t) => t.taid));
    for (const p of prev?.tas ?? []) if (!names.has(p.taid)) out.push({ action: 'ta-deleted', spid: sd.spid, sdname: sd.name, taid: p.taid });
  }
  for (const [k, sd] of old) {
    if (now.has(k)) continue;
    for (const t of sd.tas) out.push({ action: 'ta-deleted', spid: sd.spid, sdname: sd.name, taid: t.taid });
    out.push({ action: 'sd-deleted', spid: sd.spid, sdname: sd.name });
  }
  return out;
}

/**
 * The sealed TeeStore. The state is read and checked once at `open`; `load` hands out copies and
 * `commit` writes the next state (then remembers it), so a failed write changes nothing in memory.
 */
export class SealedOtrpStore implements TeeStore {
  readonly #storage: SealedStorage;
  readonly #limits: OtrpStoreLimits;
  readonly #now: () => number;
  #state: TeeState;
  #meta: Map<string, TaMeta>;
  #lastChanges: OtrpChange[] = [];

  private constructor(storage: SealedStorage, state: TeeState, meta: Map<string, TaMeta>, limits: OtrpStoreLimits, now: () => number) {
    this.#storage = storage;
    this.#state = state;
    this.#meta = meta;
    this.#limits = limits;
    this.#now = now;
  }

  static async open(storage: SealedStorage, options: { limits?: Partial<OtrpStoreLimits>; now?: () => number } = {}): Promise<SealedOtrpStore> {
    const data = await storage.read(OTRP_STATE_FILE);
    const { state, meta } = data ? decodeState(data) : { state: { sds: [], spaiks: [] }, meta: new Map<string, TaMeta>() };
    return new SealedOtrpStore(storage, state, meta, { ...OTRP_STORE_LIMITS, ...options.limits }, options.now ?? Date.now);
  }

  async load(): Promise<TeeState> {
    return clone(this.#state);
  }

  async commit(next: TeeState): Promise<void> {
    const state = clone(next);
    const L = this.#limits;
    const taCount = state.sds.reduce((n, sd) => n + sd.tas.length, 0);
    if (state.sds.length > L.sds) throw new otrpErrors.OtrpTeeResourceFull(`more than ${L.sds} Security Domains`);
    if (taCount > L.tas) throw new otrpErrors.OtrpTeeResourceFull(`more than ${L.tas} TAs`);
    if (state.spaiks.length > L.spaiks) throw new otrpErrors.OtrpTeeResourceFull(`more than ${L.spaiks} TEE SP AIKs`);
    const at = this.#now();
    const prevTas = new Map<string, { binary: Uint8Array; pdata?: Uint8Array }>();
    for (const sd of this.#state.sds) for (const t of sd.tas) prevTas.set(taKey(sd.tamid, sd.spid, sd.name, t.taid), t);
    const meta = new Map<string, TaMeta>();
    for (const sd of state.sds) {
      for (const t of sd.tas) {
        const k = taKey(sd.tamid, sd.spid, sd.name, t.taid);
        const prev = prevTas.get(k);
        const m = this.#meta.get(k);
        if (prev && m) meta.set(k, sameBytes(prev.binary, t.binary) && sameBytes(prev.pdata, t.pdata) ? m : { installedAt: m.installedAt, updatedAt: at });
        else meta.set(k, { installedAt: at, updatedAt: at });
      }
    }
    const encoded = encodeState(state, meta);
    if (encoded.length > L.stateBytes) throw new otrpErrors.OtrpTeeResourceFull(`the OTrP state would take ${encoded.length} bytes (limit ${L.stateBytes})`);
    await this.#storage.write(OTRP_STATE_FILE, encoded);
    this.#lastChanges = diffStates(this.#state, state);
    this.#state = state;
    this.#meta = meta;
  }

  /** The changes of the last commit, then forgets them (read once per processed request). */
  takeChanges(): OtrpChange[] {
    const c = this.#lastChanges;
    this.#lastChanges = [];
    return c;
  }

  /** Every installed TA with its metadata (for `otrp device list`). */
  list(): OtrpTaInfo[] {
    const out: OtrpTaInfo[] = [];
    for (const sd of this.#state.sds) {
      for (const t of sd.tas) {
        const m = this.#meta.get(taKey(sd.tamid, sd.spid, sd.name, t.taid))!;
        out.push({
          tamid: sd.tamid, spid: sd.spid, sdname: sd.name, taid: t.taid, ...(t.taname !== undefined && { taname: t.taname }),
          size: t.binary.length, installedAt: m.installedAt, updatedAt: m.updatedAt,
        });
      }
    }
    return out;
  }

  /** The Security Domains (owner, SP, name, TA count). */
  sds(): { tamid: string; spid: string; name: string; tas: number }[] {
    return this.#state.sds.map((sd) => ({ tamid: sd.tamid, spid: sd.spid, name: sd.name, tas: sd.tas.length }));
  }
}

const PAIR_BYTES = 32;

function pairDigest(scope: string, rid: string, tid: string): Uint8Array {
  // Length-prefixed JSON of the three strings: unambiguous whatever they contain.
  return new Uint8Array(createHash('sha256').update(JSON.stringify([scope, rid, tid]), 'utf8').digest());
}

/**
 * The sealed RidTidStore: every accepted (scope, rid, tid) as a 32-byte digest, in arrival order.
 * `recordOnce` writes the file before it returns true, so the pair is spent even if the TEE dies
 * right after. When the limit is reached new pairs are refused (ERR_TEE_RESOURCE_FULL) rather than
 * old ones forgotten, which would reopen replays (docs/otrp-decisions.md §6).
 */
export class SealedRidTidStore implements RidTidStore {
  readonly #storage: SealedStorage;
  readonly #limit: number;
  #pairs: Uint8Array;
  readonly #seen: Set<string>;

  private constructor(storage: SealedStorage, pairs: Uint8Array, limit: number) {
    this.#storage = storage;
    this.#pairs = pairs;
    this.#limit = limit;
    this.#seen = new Set();
    for (let i = 0; i < pairs.length; i += PAIR_BYTES) this.#seen.add(Buffer.from(pairs.subarray(i, i + PAIR_BYTES)).toString('hex'));
  }

  static async open(storage: SealedStorage, options: { limit?: number } = {}): Promise<SealedRidTidStore> {
    const data = await storage.read(OTRP_RIDTID_FILE);
    let pairs: Uint8Array = new Uint8Array(0);
    if (data) {
      try {
        const r = asRec(decodeRecord(data), OTRP_RIDTID_FILE);
        if (r['version'] !== FORMAT_VERSION) throw corrupt(OTRP_RIDTID_FILE);
        pairs = bytes(r, 'pairs');
      } catch (e) {
        if (e instanceof OtrpStoreCorrupt) throw e;
        throw corrupt(OTRP_RIDTID_FILE, e);
      }
      if (pairs.length % PAIR_BYTES !== 0) throw corrupt(OTRP_RIDTID_FILE);
    }
    return new SealedRidTidStore(storage, pairs, options.limit ?? OTRP_STORE_LIMITS.ridTidPairs);
  }

  get size(): number {
    return this.#pairs.length / PAIR_BYTES;
  }

  async recordOnce(scope: string, rid: string, tid: string): Promise<boolean> {
    const d = pairDigest(scope, rid, tid);
    const hex = Buffer.from(d).toString('hex');
    if (this.#seen.has(hex)) return false;
    if (this.size >= this.#limit) throw new otrpErrors.OtrpTeeResourceFull(`the TEE remembers at most ${this.#limit} rid/tid pairs`);
    const next = new Uint8Array(this.#pairs.length + PAIR_BYTES);
    next.set(this.#pairs, 0);
    next.set(d, this.#pairs.length);
    await this.#storage.write(OTRP_RIDTID_FILE, encodeRecord({ version: FORMAT_VERSION, pairs: next } satisfies RecordValue));
    this.#pairs = next;
    this.#seen.add(hex);
    return true;
  }
}
