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
import { componentKeyHex, type CatalogEntry, type TcCatalog } from './tc-catalog.js';
import type { ExchangeFacts, SentChange } from './exchange.js';
import { fromHex, toHex } from '@otrp/core';
import type { CborMap, PolicyDecision, PolicyInput as TeepPolicyInput, TamPolicy, UpdateOutcome, SuitComponentIdentifier } from '@otrp/core';
import type { StoreRepositories } from '../store/store.js';
import type { TcListEntry, TrustedComponentRecord } from '../store/records.js';
import { StoreConflict } from '../store/errors.js';

/** SUIT_Parameters image-digest key used in tc-list entries (docs/teep-decisions.md §4). */
const TC_INFO_DIGEST = 3;

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

    const tcs = await this.allTcs();
    const entries = new Map(tcs.map((tc) => [tc.id, { tc, entry: this.catalog.entry(tc) }]));
    const listed: Listed[] = input.tcList.map(readTcInfo).filter((l): l is Listed => l !== undefined);
    await this.tx.inventory.replaceFromTcList(device.id, inventoryOf(listed, [...entries.values()]), { protocol: 'teep', at: this.now });

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
        manifests.push(tc.manifest);
        this.ex.sent.push(change(tc, 'install', tc.sequenceNumber));
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
  private async allTcs(): Promise<TrustedComponentRecord[]> {
    const out: TrustedComponentRecord[] = [];
    for (let offset = 0; ; offset += 1000) {
      const page = await this.tx.trustedComponents.list({ limit: 1000, offset, includeDeprecated: true });
      out.push(...page.filter((tc) => tc.format === 'suit'));
      if (page.length < 1000) return out;
    }
  }
}

function change(tc: TrustedComponentRecord, action: 'install' | 'remove', sequenceNumber: number | null): SentChange {
  return { tcId: tc.id, componentId: toHex(tc.componentId), action, sequenceNumber };
}

/** A tc-list entry `{0: component-id, 3: image-digest}`; entries without a usable id are skipped. */
function readTcInfo(m: CborMap): Listed | undefined {
  const id = m.get(0);
  if (!Array.isArray(id) || !id.every((p) => p instanceof Uint8Array)) return undefined;
  const digest = m.get(TC_INFO_DIGEST);
  return { key: componentKeyHex(id as Uint8Array[]), ...(digest instanceof Uint8Array && { digest: toHex(digest) }) };
}

function matches(entry: CatalogEntry, l: Listed): boolean {
  return entry.components.some((c) => c.key === l.key);
}

function installedAny(entry: CatalogEntry, listed: readonly Listed[]): boolean {
  return listed.some((l) => matches(entry, l));
}

function installedCurrent(entry: CatalogEntry, listed: readonly Listed[]): boolean {
  return listed.some((l) => {
    const c = entry.components.find((x) => x.key === l.key);
    return c !== undefined && l.digest !== undefined && (l.digest === c.imageDigest || l.digest === entry.manifestDigest);
  });
}

function isRequested(entry: CatalogEntry, requested: ReadonlySet<string>): boolean {
  return requested.has(entry.manifestKey) || entry.components.some((c) => requested.has(c.key));
}

/** tc-list -> the store's inventory rows: known TCs under their stored component id. */
function inventoryOf(listed: readonly Listed[], known: readonly { tc: TrustedComponentRecord; entry: CatalogEntry }[]): TcListEntry[] {
  return listed.map((l) => {
    const k = known.find((x) => matches(x.entry, l));
    if (k === undefined) return { componentId: fromHex(l.key), sequenceNumber: null };
    const current = installedCurrent(k.entry, [l]);
    return { componentId: k.tc.componentId, sequenceNumber: current ? k.tc.sequenceNumber : null };
  });
}
