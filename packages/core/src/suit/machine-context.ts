/**
 * State of one SUIT procedure run (draft-ietf-suit-manifest-37 §6.4 "abstract machine"): the staged
 * component writes, parameter storage, dependency state and report records. Internal to suit/.
 */
import type { CborValue } from '../wire/cbor-value.js';
import { toHex } from './cbor-util.js';
import type { SuitEnvelope } from './envelope.js';
import { SuitComponentUnsupported, SuitParameterMissing } from './errors.js';
import type { SuitComponentId, SuitManifest } from './manifest.js';
import type { SuitInvocation, SuitProcessOptions, SuitSystemProperties } from './processor-types.js';
import type { SuitRecord, SuitSystemClaims } from './report.js';

/** One injective string per component identifier (hex of each element, JSON-quoted). */
export function componentKey(id: SuitComponentId): string {
  return JSON.stringify(id.map(toHex));
}

/** Shared by the root manifest and every dependency processed in the same procedure. */
export interface ProcedureState {
  readonly opts: SuitProcessOptions;
  /** Staged component contents by componentKey; null = removed (unlink). Insertion order = commit order. */
  readonly staged: Map<string, { id: SuitComponentId; data: Uint8Array | null }>;
  /**
   * Parameters by component. Keyed by component identifier (not index) so that a dependent can
   * prepare parameters for the same component of its dependency (trust-domains-12 §5.6.1
   * set-parameters; firmware-encryption §9 "es-ecdh-dependency" relies on it).
   */
  readonly params: Map<string, Map<number, CborValue>>;
  readonly invocations: SuitInvocation[];
  readonly records: (SuitRecord | SuitSystemClaims)[];
  readonly sequenceUpdates: { id: SuitComponentId; seq: bigint }[];
  /** The SUIT_Record of the command each error came from. */
  readonly errorRecords: WeakMap<object, SuitRecord>;
  /**
   * componentKey of the identifier arrays seen in this procedure (the manifests' own, decoded from
   * the envelope and never changed while it runs): parameters are looked up per command.
   */
  readonly componentKeys?: WeakMap<SuitComponentId, string>;
}

/** componentKey(id), remembered per identifier array for the length of one procedure. */
export function procedureKey(state: ProcedureState, id: SuitComponentId): string {
  const memo = state.componentKeys;
  if (memo === undefined) return componentKey(id);
  let k = memo.get(id);
  if (k === undefined) memo.set(id, (k = componentKey(id)));
  return k;
}

/** One manifest being processed (the root, or a dependency). */
export interface ManifestContext {
  readonly state: ProcedureState;
  readonly envelope: SuitEnvelope;
  readonly manifest: SuitManifest;
  /** Component indices of the dependencies walked from the root ([] = root). */
  readonly path: readonly number[];
  /** Dependency envelopes fetched in this procedure, by component index. */
  readonly dependencyImages: Map<number, Uint8Array>;
  /** Dependencies that passed condition-dependency-integrity since their last fetch. */
  readonly verifiedDependencies: Set<number>;
}

/** The sequence being executed: section, soft-failure scope and current component indices. */
export interface Frame {
  readonly section: number;
  softFailure: boolean;
  /** True inside try-each / run-sequence: the only places soft-failure may be set (§8.4.8.15). */
  readonly nested: boolean;
  indices: readonly number[];
}

export function isDependencyIndex(ctx: ManifestContext, index: number): boolean {
  return ctx.manifest.common.dependencies.has(index);
}

/** The identifier used for storage and parameters of component `index`. */
export function componentIdAt(ctx: ManifestContext, index: number): SuitComponentId {
  const c = ctx.manifest.common.components[index];
  if (c) return c;
  const dep = ctx.manifest.common.dependencies.get(index);
  if (dep) {
    // Dependencies may sit outside suit-components (trust-domains-12 App. B); name them by prefix.
    return dep.prefix ?? [new TextEncoder().encode(`dependency:${[...ctx.path, index].join('.')}`)];
  }
  throw new SuitComponentUnsupported(`component index ${index} is neither a component nor a dependency`);
}

export function paramsOf(ctx: ManifestContext, index: number): Map<number, CborValue> {
  const key = procedureKey(ctx.state, componentIdAt(ctx, index));
  let p = ctx.state.params.get(key);
  if (!p) {
    p = new Map();
    ctx.state.params.set(key, p);
  }
  return p;
}

export function requireParam(ctx: ManifestContext, index: number, label: number): CborValue {
  const v = paramsOf(ctx, index).get(label);
  if (v === undefined) throw new SuitParameterMissing(`parameter ${label} is not set for component ${index}`);
  return v;
}

/** Current content of a component: the staged value if any, else the caller's storage. */
export async function readComponent(ctx: ManifestContext, id: SuitComponentId): Promise<Uint8Array | undefined> {
  const staged = ctx.state.staged.get(procedureKey(ctx.state, id));
  if (staged) return staged.data ?? undefined;
  return (await ctx.state.opts.storage.read(id)) ?? undefined;
}

export function stageComponent(ctx: ManifestContext, id: SuitComponentId, data: Uint8Array | null): void {
  const key = procedureKey(ctx.state, id);
  ctx.state.staged.delete(key); // re-insert: commit order follows the last write
  ctx.state.staged.set(key, { id, data });
}

export function systemOf(ctx: ManifestContext, id: SuitComponentId): SuitSystemProperties {
  const s = ctx.state.opts.system;
  return (typeof s === 'function' ? s(id) : s) ?? {};
}
