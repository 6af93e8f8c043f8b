/**
 * What the TAM's policy needs to know about a stored Trusted Component, read from its SUIT envelope
 * (suit-manifest-37): the components it installs, the image digest of each (suit-parameter-image-digest,
 * §8.4.8.6), and the manifest's own component id (trust-domains-12 manifest-component-id), which is
 * what an Agent unlinks (-26 §4.4 unneeded-manifest-list).
 *
 * An Agent's tc-list entry is `{0: component-id, 3: image-digest}` (docs/teep-decisions.md §4): a TC
 * counts as installed at its current version when one of its components is listed with the image
 * digest of the current manifest. Agents without image digests list the manifest digest instead
 * (`[alg, manifest digest]`), which is accepted as well.
 */
import { decodeCommandSequence, decodeEnvelope, decodeManifest, encodeCbor, manifestIdOf, SUIT_MANIFEST, SUIT_PARAMETER, toHex } from '@otrp/core';
import type { SuitCommand, SuitComponentId, TrustedComponentRecordLike } from './catalog-types.js';

export interface CatalogComponent {
  readonly id: SuitComponentId;
  /** Hex of the CBOR-encoded component id, for comparisons. */
  readonly key: string;
  /** Hex of the encoded SUIT_Digest of the image, when the manifest names one. */
  readonly imageDigest?: string;
}

export interface CatalogEntry {
  readonly tcId: string;
  readonly sequenceNumber: number;
  readonly manifestId: SuitComponentId;
  readonly manifestKey: string;
  readonly components: readonly CatalogComponent[];
  /** Hex of `[alg, manifest digest]` encoded, the tc-list fallback. */
  readonly manifestDigest: string;
}

/** Hex of the CBOR encoding of a component id: the one comparison key used everywhere. */
export function componentKeyHex(id: SuitComponentId): string {
  return toHex(encodeCbor([...id]));
}

const SEQUENCES = [
  SUIT_MANIFEST.validate, SUIT_MANIFEST.load, SUIT_MANIFEST.invoke, SUIT_MANIFEST.dependencyResolution,
  SUIT_MANIFEST.payloadFetch, SUIT_MANIFEST.candidateVerification, SUIT_MANIFEST.install,
];

/** Walks command sequences, tracking suit-directive-set-component-index, collecting image digests by index. */
function collectDigests(cmds: readonly SuitCommand[], count: number, out: Map<number, string>, current: number[]): number[] {
  let idx = current;
  for (const c of cmds) {
    if (c.kind === 'index') idx = c.index === true ? [...Array(count).keys()] : typeof c.index === 'number' ? [c.index] : [...c.index];
    else if (c.kind === 'parameters') {
      const d = c.parameters.get(SUIT_PARAMETER.imageDigest);
      if (d instanceof Uint8Array) for (const i of idx) out.set(i, toHex(d));
    } else if (c.kind === 'try-each') for (const s of c.sequences) collectDigests(s, count, out, idx);
    else if (c.kind === 'run-sequence') collectDigests(c.sequence, count, out, idx);
  }
  return idx;
}

/** Reads a catalog entry from a stored TC; throws the SUIT layer's error for an unreadable envelope. */
export function catalogEntry(tc: TrustedComponentRecordLike): CatalogEntry {
  const envelope = decodeEnvelope(tc.manifest);
  const manifest = decodeManifest(envelope.manifestBytes);
  const components = manifest.common.components;
  const digests = new Map<number, string>();
  collectDigests(manifest.common.sharedSequence ?? [], components.length, digests, [0]);
  for (const key of SEQUENCES) {
    const m = manifest.members.get(key);
    const bytes = m?.kind === 'present' ? m.bytes : envelope.severed.get(key)?.content;
    if (bytes === undefined) continue;
    try {
      collectDigests(decodeCommandSequence(bytes, 'sequence'), components.length, digests, [0]);
    } catch {
      // a sequence the catalog cannot read only costs the digest shortcut
    }
  }
  const manifestId = manifestIdOf(manifest);
  return {
    tcId: tc.id,
    sequenceNumber: tc.sequenceNumber,
    manifestId,
    manifestKey: componentKeyHex(manifestId),
    components: components.map((id, i) => ({ id, key: componentKeyHex(id), ...(digests.has(i) && { imageDigest: digests.get(i)! }) })),
    manifestDigest: toHex(encodeCbor([envelope.digest.algorithmId, envelope.digest.bytes])),
  };
}

const cacheKey = (tc: Pick<TrustedComponentRecordLike, 'id' | 'sequenceNumber'>) => `${tc.id}#${tc.sequenceNumber}`;

/** Catalog entries cached per TC id and sequence number (envelopes are immutable per version). */
export class TcCatalog {
  readonly #cache = new Map<string, CatalogEntry>();

  entry(tc: TrustedComponentRecordLike): CatalogEntry {
    let e = this.#cache.get(cacheKey(tc));
    if (e === undefined) e = this.#remember(tc);
    return e;
  }

  /** The cached entry of this TC version, if any (the caller then need not read the manifest). */
  cached(tc: Pick<TrustedComponentRecordLike, 'id' | 'sequenceNumber'>): CatalogEntry | undefined {
    return this.#cache.get(cacheKey(tc));
  }

  #remember(tc: TrustedComponentRecordLike): CatalogEntry {
    const e = catalogEntry(tc);
    if (this.#cache.size > 10_000) this.#cache.clear();
    this.#cache.set(cacheKey(tc), e);
    return e;
  }
}
