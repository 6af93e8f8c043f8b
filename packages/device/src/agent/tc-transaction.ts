/**
 * A staged change to the TC store (tc-store.ts): component writes and removals, sequence numbers,
 * manifest records. Nothing touches storage until `commit()`, which hands everything to the store
 * as one atomic change.
 */
import { blobName, componentIdKey, sha256, type ComponentEntry, type ComponentId, type SequenceFloor, type TcRecord } from './tc-index.js';
import { TcStoreCorrupt } from '../errors.js';
import type { AgentTcStore, NewTcRecord } from './tc-store.js';

/**
 * A staged change to the store. `read`/`write`/`remove` follow core's SuitStorage, `get`/`set`
 * its SuitSequenceStore (both keyed by SUIT_Component_Identifier), so the SUIT processor can run
 * against a transaction and the install lands only when `commit()` runs.
 */
export class TcTransaction {
  readonly #store: AgentTcStore;
  /** componentIdKey -> content (null = removed). */
  readonly #components = new Map<string, { id: ComponentId; data: Uint8Array | null }>();
  /** componentIdKey -> sequence number set by the SUIT processor. */
  readonly #sequence = new Map<string, SequenceFloor>();
  readonly #put = new Map<string, NewTcRecord>();
  readonly #removed = new Set<string>();
  #done = false;

  constructor(store: AgentTcStore) {
    this.#store = store;
  }

  async read(componentId: ComponentId): Promise<Uint8Array | undefined> {
    const staged = this.#components.get(componentIdKey(componentId));
    if (staged) return staged.data ?? undefined;
    return this.#store.readComponent(componentId);
  }

  write(componentId: ComponentId, data: Uint8Array): void {
    this.#components.set(componentIdKey(componentId), { id: componentId, data: data.slice() });
  }

  remove(componentId: ComponentId): void {
    this.#components.set(componentIdKey(componentId), { id: componentId, data: null });
  }

  get(manifestId: ComponentId): bigint | undefined {
    return this.#sequence.get(componentIdKey(manifestId))?.sequenceNumber ?? this.#store.sequenceNumber(manifestId);
  }

  set(manifestId: ComponentId, sequenceNumber: bigint): void {
    this.#sequence.set(componentIdKey(manifestId), { manifestId, sequenceNumber });
  }

  /** Records an installed manifest (replaces an earlier record with the same manifest id). */
  putManifest(record: NewTcRecord): void {
    const key = componentIdKey(record.manifestId);
    this.#removed.delete(key);
    this.#put.set(key, record);
  }

  /** Forgets a manifest (unlink); its components are removed with `remove`. */
  removeManifest(manifestId: ComponentId): void {
    const key = componentIdKey(manifestId);
    this.#put.delete(key);
    this.#removed.add(key);
  }

  /** Writes everything staged as one atomic change. A transaction commits at most once. */
  async commit(): Promise<void> {
    if (this.#done) throw new TcStoreCorrupt('transaction already committed');
    this.#done = true;
    const blobs = new Map<string, Uint8Array>();
    const components = new Map<string, ComponentEntry>(this.#store.components().map((c) => [componentIdKey(c.componentId), c]));
    for (const [key, { id, data }] of this.#components) {
      if (data === null) {
        components.delete(key);
        continue;
      }
      const hash = sha256(data);
      blobs.set(blobName(hash), data);
      components.set(key, { componentId: id, sha256: hash, size: data.length });
    }
    const records = new Map<string, TcRecord>(this.#store.records().map((r) => [componentIdKey(r.manifestId), r]));
    // A manifest without a record keeps its sequence number as a floor (rollback after unlink).
    const floors = new Map<string, SequenceFloor>(this.#store.sequenceFloors().map((f) => [componentIdKey(f.manifestId), f]));
    for (const key of this.#removed) {
      const gone = records.get(key);
      if (gone) floors.set(key, { manifestId: gone.manifestId, sequenceNumber: gone.sequenceNumber });
      records.delete(key);
    }
    for (const [key, r] of this.#put) {
      const envelopeSha256 = sha256(r.envelope);
      blobs.set(blobName(envelopeSha256), r.envelope);
      records.set(key, {
        manifestId: r.manifestId,
        componentIds: r.componentIds,
        sequenceNumber: this.#sequence.get(key)?.sequenceNumber ?? r.sequenceNumber,
        digest: r.digest,
        envelopeSha256,
        signer: r.signer,
        installedAt: r.installedAt ?? Date.now(),
        ...(r.uri !== undefined ? { uri: r.uri } : {}),
      });
    }
    // A recorded manifest carries its number in its record; any other keeps it as a floor.
    for (const [key, floor] of this.#sequence) floors.set(key, floor);
    for (const key of records.keys()) floors.delete(key);
    await this.#store.commitStaged([...records.values()], [...components.values()], [...floors.values()], blobs);
  }
}
