/**
 * The Agent's store of installed Trusted Components, on sealed storage (RFC 9397 §4.4: the TEE
 * keeps its TAs; issue 6: "a crash at any point of an install leaves the previous state intact").
 *
 * Layout in the TEE folder (all sealed):
 *   tc-index          the index (tc-index.ts): manifests, sequence numbers, component -> content hash
 *   tc-blob-<sha256>  content-addressed payloads: component images and manifest envelopes
 *
 * A commit writes every new blob first (each atomically), then replaces `tc-index` atomically.
 * The rename of the index is the commit point: before it the old index (and old blobs) are intact,
 * after it the new one is complete. Blobs no index references (a crash between the two phases, or
 * content replaced by an update) are removed when the store is opened and after each commit.
 *
 * The store implements the Agent's read-only `TcStore` port (core teep/ports.ts) with `list()`,
 * and gives the SUIT side a staging transaction (`begin()`) whose `read`/`write`/`remove` and
 * `get`/`set` have the shapes of core's `SuitStorage` and `SuitSequenceStore`.
 */
import { encodeDigest, type InstalledTc, type TcStore } from '@otrp/core';
import { TcStoreCorrupt } from '../errors.js';
import type { SealedStorage } from '../tee/sealed-storage.js';
import {
  EMPTY_INDEX, TC_BLOB_PREFIX, blobName, componentIdKey, decodeTcIndex, sha256, encodeTcIndex, type ComponentEntry, type ComponentId, type SequenceFloor, type TcIndex, type TcRecord,
} from './tc-index.js';
import { TcTransaction } from './tc-transaction.js';

export { TC_BLOB_PREFIX };

export const TC_INDEX_NAME = 'tc-index';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** What an install records about a manifest, besides what the store computes. */
export interface NewTcRecord {
  readonly manifestId: ComponentId;
  readonly componentIds: readonly ComponentId[];
  readonly sequenceNumber: bigint;
  readonly digest: Uint8Array;
  /** The SUIT envelope as received. */
  readonly envelope: Uint8Array;
  readonly signer: string;
  readonly uri?: string;
  /** Defaults to now. */
  readonly installedAt?: number;
}

export class AgentTcStore implements TcStore {
  readonly #storage: SealedStorage;
  #index: TcIndex;

  private constructor(storage: SealedStorage, index: TcIndex) {
    this.#storage = storage;
    this.#index = index;
  }

  /** Opens the store: reads the index (none = empty) and removes unreferenced blobs. */
  static async open(storage: SealedStorage): Promise<AgentTcStore> {
    const bytes = await storage.read(TC_INDEX_NAME);
    const store = new AgentTcStore(storage, bytes ? decodeTcIndex(bytes) : EMPTY_INDEX);
    await store.collectGarbage();
    return store;
  }

  /** Commits so far (0 for a store that never installed anything). */
  get generation(): number {
    return this.#index.generation;
  }

  /** Stored components and the hash of their content. */
  components(): readonly ComponentEntry[] {
    return this.#index.components;
  }

  /** Installed manifests with everything the store knows about them. */
  records(): readonly TcRecord[] {
    return this.#index.records;
  }

  /** The core `TcStore` port: installed manifests as the Agent session sees them. */
  list(): readonly InstalledTc[] {
    const byKey = new Map(this.#index.components.map((c) => [componentIdKey(c.componentId), c.sha256]));
    // imageDigests: the encoded SUIT_Digest (SHA-256, -16) of each component's stored image, which
    // the Agent reports in tc-list; a component without an image reports the manifest digest.
    return this.#index.records.map((r) => ({
      manifestId: r.manifestId,
      componentIds: r.componentIds,
      sequenceNumber: r.sequenceNumber,
      digest: r.digest,
      imageDigests: r.componentIds.map((id) => encodeDigest({ algorithmId: -16, bytes: byKey.get(componentIdKey(id)) ?? r.digest })),
      ...(r.uri !== undefined ? { uri: r.uri } : {}),
    }));
  }

  find(manifestId: ComponentId): TcRecord | undefined {
    const key = componentIdKey(manifestId);
    return this.#index.records.find((r) => componentIdKey(r.manifestId) === key);
  }

  /**
   * The current sequence number of a manifest (rollback protection, manifest-37 §8.4.2): its
   * record's, else the floor kept when it was unlinked or processed as a dependency (tc-index.ts).
   */
  sequenceNumber(manifestId: ComponentId): bigint | undefined {
    const found = this.find(manifestId);
    if (found) return found.sequenceNumber;
    const key = componentIdKey(manifestId);
    return this.#index.sequenceFloors.find((f) => componentIdKey(f.manifestId) === key)?.sequenceNumber;
  }

  /** The sequence floors of manifests without a record (tc-index.ts). */
  sequenceFloors(): readonly SequenceFloor[] {
    return this.#index.sequenceFloors;
  }

  /** The envelope a manifest was installed from. */
  async envelopeOf(manifestId: ComponentId): Promise<Uint8Array | undefined> {
    const r = this.find(manifestId);
    return r ? this.#readBlob(r.envelopeSha256) : undefined;
  }

  /** A component's current content, or undefined when empty. */
  async readComponent(componentId: ComponentId): Promise<Uint8Array | undefined> {
    const key = componentIdKey(componentId);
    const entry = this.#index.components.find((c) => componentIdKey(c.componentId) === key);
    return entry ? this.#readBlob(entry.sha256) : undefined;
  }

  /** Starts a staged change; nothing reaches storage before `commit()`. */
  begin(): TcTransaction {
    return new TcTransaction(this);
  }

  async #readBlob(hash: Uint8Array): Promise<Uint8Array> {
    const data = await this.#storage.read(blobName(hash));
    if (!data) throw new TcStoreCorrupt(`payload ${hex(hash).slice(0, 16)}... is missing`);
    if (hex(sha256(data)) !== hex(hash)) throw new TcStoreCorrupt(`payload ${hex(hash).slice(0, 16)}... does not match its hash`);
    return data;
  }

  /** Writes a staged change (TcTransaction.commit): blobs first, then the index (the commit point), then garbage. */
  async commitStaged(
    records: readonly TcRecord[], components: readonly ComponentEntry[], sequenceFloors: readonly SequenceFloor[], blobs: ReadonlyMap<string, Uint8Array>,
  ): Promise<void> {
    for (const [name, data] of blobs) {
      if (!(await this.#storage.has(name))) await this.#storage.write(name, data);
    }
    const next: TcIndex = { generation: this.#index.generation + 1, records, components, sequenceFloors };
    await this.#storage.write(TC_INDEX_NAME, encodeTcIndex(next));
    this.#index = next;
    await this.collectGarbage();
  }

  /** Removes blobs no index entry references; returns how many were removed. */
  async collectGarbage(): Promise<number> {
    const live = new Set<string>([
      ...this.#index.records.map((r) => blobName(r.envelopeSha256)),
      ...this.#index.components.map((c) => blobName(c.sha256)),
    ]);
    let n = 0;
    for (const name of await this.#storage.list(TC_BLOB_PREFIX)) {
      if (!live.has(name)) {
        await this.#storage.remove(name);
        n++;
      }
    }
    return n;
  }
}
