/**
 * The TEEP TamPolicy port (core teep/ports.ts) over the store: which Trusted Components a device
 * should have (-26 §7.1.1 leaves the policy to the implementation).
 *
 * For the device the chain validator identified (exchange.ts), after its attestation verified:
 *   1. the identity claims (ueid, hwmodel, hwversion) are stored, since per-hwmodel policies use them;
 *   2. the inventory is rebuilt from the tc-list (store `replaceFromTcList`): a listed component of a
 *      known TC counts at the TC's sequence number when its image digest is the current manifest's,
 *      otherwise at an unknown one; pending changes are confirmed as the store documents;
 *   3. each winning policy (device > hwmodel > all) decides:
 *        required  -> the current manifest, unless installed at the current digest (install or update)
 *        optional  -> the same, but only when the Agent requests it (requested-tc-list)
 *        remove    -> the manifest id in unneeded-manifest-list when any of its components is listed
 *      deprecated TCs are never sent;
 *   4. the Agent's own unneeded-manifest-list is granted unless a `required` policy names the TC.
 */
import { componentKeyHex, type CatalogComponent, type CatalogEntry, type TcCatalog } from './tc-catalog.js';
import type { ExchangeFacts, SentChange } from './exchange.js';
import { bytesEqual, fromHex, toHex } from '@otrp/core';
import type { CborMap, PolicyDecision, PolicyInput as TeepPolicyInput, TamPolicy, UpdateOutcome, SuitComponentIdentifier } from '@otrp/core';
import type { StoreRepositories } from '../store/store.js';
import type { TcListEntry, TrustedComponentSummary } from '../store/records.js';
import { StoreConflict } from '../store/errors.js';

/** SUIT_Parameters image-digest key used in tc-list entries (docs/teep-decisions.md §4). */
const TC_INFO_DIGEST = 3;

interface Known {
  readonly tc: TrustedComponentSummary;
  readonly entry: CatalogEntry;
}

/** Equal bytes, where an absent claim counts as equal to whatever is stored (it does not change it). */
function sameBytes(stored: Uint8Array | null | undefined, claimed: Uint8Array | undefined): boolean {
  return claimed === undefined || (stored != null && bytesEqual(stored, claimed));
}

interface Listed {
  readonly key: string;
  readonly digest?: string;
}

export class StorePolicy implements TamPolicy {
  constructor(
    private readonly tx: StoreRepositories,
    private readonly ex: ExchangeFacts,
    private readonly catalog: TcCatalog,
    private readonly now: number,
  ) {}

  async decide(input: TeepPolicyInput): Promise<PolicyDecision> {
    const device = this.ex.device;
    if (device === undefined) return { manifests: [], unneeded: [] };
    if (input.claims) await this.storeClaims(device.id, input.claims);

    // Every TC's catalog entry, from the summaries: a manifest is read only for a version not seen yet.
    const entries = new Map<string, Known>();
    for (const head of await this.allTcs()) {
      const cached = this.catalog.cached(head);
      if (cached !== undefined) {
        entries.set(head.id, { tc: head, entry: cached });
        continue;
      }
      const full = await this.tx.trustedComponents.get(head.id);
      if (full !== undefined) entries.set(full.id, { tc: full, entry: this.catalog.entry(full) });
    }
    const listed = listedByKey(input.tcList);
    await this.tx.inventory.replaceFromTcList(device.id, inventoryOf(listed, entries), { protocol: 'teep', at: this.now });

    const requested = new Set(input.requestedTcList.map((r) => componentKeyHex(r.componentId)));
    const manifests: Uint8Array[] = [];
    const unneeded: SuitComponentIdentifier[] = [];
    const requiredKeys = new Set<string>();
    const removeKeys = new Set<string>();
    for (const p of await this.tx.policies.resolve(device.id)) {
      const known = entries.get(p.tcId);
      if (known === undefined) continue;
      const { tc, entry } = known;
      const current = installedCurrent(entry, listed);
      if (p.action === 'required') requiredKeys.add(entry.manifestKey);
      if ((p.action === 'required' || (p.action === 'optional' && isRequested(entry, requested))) && !p.deprecated && !current) {
        // The manifest is read only for what is sent; a TC replaced meanwhile goes out as stored now.
        const full = await this.tx.trustedComponents.get(tc.id);
        if (full === undefined) continue;
        manifests.push(full.manifest);
        this.ex.sent.push(change(full, 'install', full.sequenceNumber));
      }
      if (p.action === 'remove' && installedAny(entry, listed)) {
        unneeded.push([...entry.manifestId]);
        removeKeys.add(entry.manifestKey);
        this.ex.sent.push(change(tc, 'remove', null));
      }
    }
    for (const id of input.unneededManifestList) {
      const key = componentKeyHex(id);
      if (requiredKeys.has(key) || removeKeys.has(key)) continue;
      unneeded.push(id);
      const known = [...entries.values()].find((e) => e.entry.manifestKey === key);
      this.ex.sent.push(known ? change(known.tc, 'remove', null) : { tcId: null, componentId: key, action: 'remove', sequenceNumber: null });
    }
    return { manifests, unneeded };
  }

  recordOutcome(outcome: UpdateOutcome): void {
    this.ex.outcome = { ok: outcome.ok, ...(outcome.errorName !== undefined && { errorName: outcome.errorName }) };
  }

  private async storeClaims(deviceId: string, claims: NonNullable<TeepPolicyInput['claims']>): Promise<void> {
    const identity = {
      ...(claims.ueid instanceof Uint8Array && { ueid: claims.ueid }),
      ...(claims.hwmodel instanceof Uint8Array && { hwmodel: claims.hwmodel }),
      ...(typeof claims.hwversion?.version === 'string' && { hwversion: claims.hwversion.version }),
    };
    if (Object.keys(identity).length === 0) return;
    // Most QueryResponses repeat the stored claims: no write then.
    const d = this.ex.device;
    if (d && sameBytes(d.ueid, identity.ueid) && sameBytes(d.hwmodel, identity.hwmodel) && (identity.hwversion ?? d.hwversion) === d.hwversion) return;
    try {
      this.ex.device = await this.tx.devices.updateIdentity(deviceId, identity);
    } catch (e) {
      // A UEID already bound to another device row (e.g. a re-enrolled certificate): keep the rest.
      if (!(e instanceof StoreConflict) || identity.ueid === undefined) throw e;
      const { ueid: _, ...rest } = identity;
      this.ex.device = await this.tx.devices.updateIdentity(deviceId, rest);
    }
  }

  /** The TEEP (SUIT) components only: OTrP TAs share the table (format 'otrp-ta') but are OTrP's to send. */
  private async allTcs(): Promise<TrustedComponentSummary[]> {
    const out: TrustedComponentSummary[] = [];
    for (let offset = 0; ; offset += 1000) {
      const page = await this.tx.trustedComponents.listSummaries({ limit: 1000, offset, includeDeprecated: true });
      out.push(...page.filter((tc) => tc.format === 'suit'));
      if (page.length < 1000) return out;
    }
  }
}

function change(tc: TrustedComponentSummary, action: 'install' | 'remove', sequenceNumber: number | null): SentChange {
  return { tcId: tc.id, componentId: toHex(tc.componentId), action, sequenceNumber };
}

/** A tc-list entry `{0: component-id, 3: image-digest}`; entries without a usable id are skipped. */
function readTcInfo(m: CborMap): Listed | undefined {
  const id = m.get(0);
  if (!Array.isArray(id) || !id.every((p) => p instanceof Uint8Array)) return undefined;
  const digest = m.get(TC_INFO_DIGEST);
  return { key: componentKeyHex(id as Uint8Array[]), ...(digest instanceof Uint8Array && { digest: toHex(digest) }) };
}

/** The usable tc-list entries by component key (a key may be listed more than once). */
type ListedByKey = ReadonlyMap<string, readonly Listed[]>;

function listedByKey(tcList: readonly CborMap[]): ListedByKey {
  const out = new Map<string, Listed[]>();
  for (const m of tcList) {
    const l = readTcInfo(m);
    if (l === undefined) continue;
    const same = out.get(l.key);
    if (same === undefined) out.set(l.key, [l]);
    else same.push(l);
  }
  return out;
}

function installedAny(entry: CatalogEntry, listed: ListedByKey): boolean {
  return entry.components.some((c) => listed.has(c.key));
}

/** Listed at the current version: with the component's image digest, or the manifest digest. */
function isCurrent(entry: CatalogEntry, c: CatalogComponent, l: Listed): boolean {
  return l.digest !== undefined && (l.digest === c.imageDigest || l.digest === entry.manifestDigest);
}

function installedCurrent(entry: CatalogEntry, listed: ListedByKey): boolean {
  return entry.components.some((c) => listed.get(c.key)?.some((l) => isCurrent(entry, c, l)) === true);
}

function isRequested(entry: CatalogEntry, requested: ReadonlySet<string>): boolean {
  return requested.has(entry.manifestKey) || entry.components.some((c) => requested.has(c.key));
}

/** tc-list -> the store's inventory rows: known TCs under their stored component id. */
function inventoryOf(listed: ListedByKey, entries: ReadonlyMap<string, Known>): TcListEntry[] {
  // Each component key belongs to the first TC (in catalog order) that installs it.
  const owner = new Map<string, { known: Known; component: CatalogComponent }>();
  for (const known of entries.values()) {
    for (const component of known.entry.components) if (!owner.has(component.key)) owner.set(component.key, { known, component });
  }
  const out: TcListEntry[] = [];
  for (const [key, all] of listed) {
    const o = owner.get(key);
    for (const l of all) {
      if (o === undefined) out.push({ componentId: fromHex(key), sequenceNumber: null });
      else out.push({ componentId: o.known.tc.componentId, sequenceNumber: isCurrent(o.known.entry, o.component, l) ? o.known.tc.sequenceNumber : null });
    }
  }
  return out;
}
