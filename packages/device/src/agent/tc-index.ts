/**
 * The TC store's index: one sealed CBOR document naming every installed manifest and every
 * component's content (by SHA-256, the name of a content-addressed payload file). Replacing this
 * one file is what commits an install or a removal (tc-store.ts).
 *
 * ```cddl
 * tc-index = {
 *   1 => 1,                         ; format version
 *   2 => uint,                      ; generation, +1 per commit
 *   3 => [* tc-record],
 *   4 => [* [component-id, sha256: bstr .size 32, size: uint]],
 *   ? 5 => [+ [component-id, uint]], ; sequence floors: manifests with no record (unlinked, or
 *                                    ; processed only as a dependency) and their last sequence number
 * }
 * tc-record = {
 *   1 => component-id,              ; manifest id (manifest-component-id, else first component)
 *   2 => [* component-id],          ; components the manifest installed
 *   3 => uint,                      ; suit-manifest-sequence-number
 *   4 => bstr,                      ; manifest digest (SUIT_Digest bytes)
 *   5 => bstr .size 32,             ; SHA-256 of the envelope (its payload file)
 *   6 => tstr,                      ; signer (subject of the TC signer's certificate, or key thumbprint)
 *   7 => uint,                      ; installed at, ms since the epoch
 *   ? 8 => tstr,                    ; suit-reference-uri
 * }
 * component-id = [* bstr]           ; SUIT_Component_Identifier
 * ```
 */
import { createHash } from 'node:crypto';
import { decodeCbor, encodeCbor, type CborMap, type CborValue } from '@otrp/core';
import { TcStoreCorrupt } from '../errors.js';

export type ComponentId = readonly Uint8Array[];

/** One installed manifest. */
export interface TcRecord {
  readonly manifestId: ComponentId;
  readonly componentIds: readonly ComponentId[];
  readonly sequenceNumber: bigint;
  readonly digest: Uint8Array;
  /** SHA-256 of the envelope bytes (names its payload file). */
  readonly envelopeSha256: Uint8Array;
  readonly signer: string;
  readonly installedAt: number;
  readonly uri?: string;
}

/** One component's stored content. */
export interface ComponentEntry {
  readonly componentId: ComponentId;
  readonly sha256: Uint8Array;
  readonly size: number;
}

/**
 * The last sequence number of a manifest that has no record, kept so that rollback protection
 * (manifest-37 §8.4.2: "MUST reject any manifest that has a sequence number lower than its current
 * sequence number") survives an unlink: otherwise an old, withheld Update would install again.
 */
export interface SequenceFloor {
  readonly manifestId: ComponentId;
  readonly sequenceNumber: bigint;
}

export interface TcIndex {
  readonly generation: number;
  readonly records: readonly TcRecord[];
  readonly components: readonly ComponentEntry[];
  readonly sequenceFloors: readonly SequenceFloor[];
}

export const EMPTY_INDEX: TcIndex = { generation: 0, records: [], components: [], sequenceFloors: [] };

const INDEX_VERSION = 1;

/** Prefix of the content-addressed payload files (`tc-blob-<sha256 hex>`). */
export const TC_BLOB_PREFIX = 'tc-blob-';

export const sha256 = (data: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(data).digest());

/** The sealed file name of a payload with this SHA-256. */
export const blobName = (hash: Uint8Array): string => TC_BLOB_PREFIX + Buffer.from(hash).toString('hex');

/** A stable string key for a component id (hex of its CBOR). */
export function componentIdKey(id: ComponentId): string {
  return Buffer.from(encodeCbor([...id])).toString('hex');
}

export function encodeTcIndex(index: TcIndex): Uint8Array {
  const records = index.records.map((r) => {
    const m: CborMap = new Map<CborValue, CborValue>([
      [1, [...r.manifestId]],
      [2, r.componentIds.map((c) => [...c])],
      [3, r.sequenceNumber],
      [4, r.digest],
      [5, r.envelopeSha256],
      [6, r.signer],
      [7, r.installedAt],
    ]);
    if (r.uri !== undefined) m.set(8, r.uri);
    return m;
  });
  const components = index.components.map((c) => [[...c.componentId], c.sha256, c.size]);
  const top = new Map<CborValue, CborValue>([[1, INDEX_VERSION], [2, index.generation], [3, records], [4, components]]);
  if (index.sequenceFloors.length) top.set(5, index.sequenceFloors.map((f) => [[...f.manifestId], f.sequenceNumber]));
  return encodeCbor(top);
}

function fail(what: string): never {
  throw new TcStoreCorrupt(`TC index: ${what}`);
}

function asMap(v: CborValue, what: string): CborMap {
  return v instanceof Map ? v : fail(`${what} is not a map`);
}

function asUint(v: CborValue | undefined, what: string): bigint {
  if (typeof v === 'bigint' && v >= 0n) return v;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  return fail(`${what} is not an unsigned integer`);
}

function asBytes(v: CborValue | undefined, what: string, size?: number): Uint8Array {
  if (v instanceof Uint8Array && (size === undefined || v.length === size)) return v;
  return fail(`${what} is not a byte string${size ? ` of ${size} bytes` : ''}`);
}

function asComponentId(v: CborValue | undefined, what: string): ComponentId {
  if (!Array.isArray(v)) fail(`${what} is not a component identifier`);
  return v.map((p, i) => asBytes(p, `${what}[${i}]`));
}

function asArray(v: CborValue | undefined, what: string): readonly CborValue[] {
  return Array.isArray(v) ? v : fail(`${what} is not an array`);
}

/** Decodes and checks an index; anything unexpected is ERR_TC_STORE_CORRUPT. */
export function decodeTcIndex(bytes: Uint8Array): TcIndex {
  let top: CborValue;
  try {
    top = decodeCbor(bytes);
  } catch (e) {
    throw new TcStoreCorrupt('TC index is not CBOR', { cause: e });
  }
  const m = asMap(top, 'index');
  if (m.get(1) !== INDEX_VERSION) fail(`unsupported version ${String(m.get(1))}`);
  const records = asArray(m.get(3), 'records').map((rv, i): TcRecord => {
    const r = asMap(rv, `record ${i}`);
    const uri = r.get(8);
    if (uri !== undefined && typeof uri !== 'string') fail(`record ${i} uri is not text`);
    const signer = r.get(6);
    if (typeof signer !== 'string') fail(`record ${i} signer is not text`);
    return {
      manifestId: asComponentId(r.get(1), `record ${i} manifest id`),
      componentIds: asArray(r.get(2), `record ${i} components`).map((c, j) => asComponentId(c, `record ${i} component ${j}`)),
      sequenceNumber: asUint(r.get(3), `record ${i} sequence number`),
      digest: asBytes(r.get(4), `record ${i} digest`),
      envelopeSha256: asBytes(r.get(5), `record ${i} envelope hash`, 32),
      signer,
      installedAt: Number(asUint(r.get(7), `record ${i} installed-at`)),
      ...(uri !== undefined ? { uri } : {}),
    };
  });
  const components = asArray(m.get(4), 'components').map((cv, i): ComponentEntry => {
    const c = asArray(cv, `component ${i}`);
    return {
      componentId: asComponentId(c[0], `component ${i} id`),
      sha256: asBytes(c[1], `component ${i} hash`, 32),
      size: Number(asUint(c[2], `component ${i} size`)),
    };
  });
  const floors = m.get(5);
  const sequenceFloors = floors === undefined ? [] : asArray(floors, 'sequence floors').map((fv, i): SequenceFloor => {
    const f = asArray(fv, `sequence floor ${i}`);
    return { manifestId: asComponentId(f[0], `sequence floor ${i} id`), sequenceNumber: asUint(f[1], `sequence floor ${i} number`) };
  });
  return { generation: Number(asUint(m.get(2), 'generation')), records, components, sequenceFloors };
}
