/**
 * The SUIT manifest processor (draft-ietf-suit-manifest-37 §6; trust-domains-12 §4, §6).
 *
 * `processEnvelope` decodes and authenticates the envelope (digest, then signature, before the
 * manifest is parsed), checks severed members and the sequence number (rollback), then runs the
 * procedure's sections, each preceded by the shared sequence:
 *   update    = dependency-resolution (15), payload-fetch (16), candidate-verification (18), install (20), validate (7)
 *   invoke    = validate (7), load (8), invoke (9)
 *   uninstall = uninstall (24)
 * Nothing reaches the caller's storage, sequence store or invoke callback unless the whole procedure
 * succeeded: writes are staged, then committed in order. The result always carries a SUIT report.
 */
import { isOtrpError } from '../errors.js';
import { authenticateEnvelope, checkSeveredMembers } from './authenticate.js';
import { decodeCommandSequence } from './command-sequence.js';
import { computeDigest, type SuitDigest } from './digest.js';
import { decodeEnvelope, type SuitEnvelope } from './envelope.js';
import { SuitError, SuitMalformed, SuitOperationFailed, SuitRollback, SuitSeveredMissing } from './errors.js';
import { SUIT_MANIFEST as M } from './labels.js';
import { dependencyImage, type ProcessDependency } from './commands.js';
import { runSequence } from './machine.js';
import { procedureKey, type Frame, type ManifestContext, type ProcedureState } from './machine-context.js';
import { decodeManifest, type SuitComponentId, type SuitManifest } from './manifest.js';
import type { SuitProcedure, SuitProcessOptions, SuitProcessResult } from './processor-types.js';
import { suitResultCode, type SuitRecord, type SuitReport } from './report.js';

export const SUIT_PROCEDURES: Readonly<Record<SuitProcedure, readonly number[]>> = {
  update: [M.dependencyResolution, M.payloadFetch, M.candidateVerification, M.install, M.validate],
  invoke: [M.validate, M.load, M.invoke],
  uninstall: [M.uninstall],
};

/** The identifier a manifest's sequence number is stored under: manifest-component-id, else its first component. */
export function manifestIdOf(manifest: SuitManifest): SuitComponentId {
  return manifest.manifestComponentId ?? manifest.common.components[0] ?? [];
}

/** Runs one section of a manifest: the shared sequence, then the section (absent sections are skipped). */
async function runSection(ctx: ManifestContext, section: number, pd: ProcessDependency): Promise<void> {
  const member = ctx.manifest.members.get(section);
  if (!member || section === M.text) return;
  const bytes = member.kind === 'present' ? member.bytes : ctx.envelope.severed.get(section)?.content;
  if (!bytes) {
    const e = new SuitSeveredMissing(`section ${section} is severed and not in the envelope`);
    ctx.state.errorRecords.set(e, { manifestId: [...ctx.path], section, offset: 0, componentIndex: 0, properties: new Map() });
    throw e;
  }
  const shared = ctx.manifest.common.sharedSequence;
  const commands = decodeCommandSequence(bytes, `section ${section}`);
  // manifest-37 §6.2: "If the manifest contains more than one component, each command sequence MUST
  // begin with a Set Component Index" (trust-domains-12 §5.1: dependencies are components too).
  if (ctx.manifest.common.components.length > 1) {
    for (const [sequence, what] of [[shared, 'the shared sequence'], [commands, `section ${section}`]] as const) {
      if (sequence && sequence[0]?.kind !== 'index') throw new SuitMalformed(`${what} of a manifest with several components does not begin with set-component-index`);
    }
  }
  if (shared) await runSequence(ctx, shared, { section: M.common, softFailure: false, nested: false, indices: [0] }, pd);
  await runSequence(ctx, commands, { section, softFailure: false, nested: false, indices: [0] }, pd);
}

async function checkRollback(ctx: ManifestContext): Promise<void> {
  const id = manifestIdOf(ctx.manifest);
  const store = ctx.state.opts.sequenceStore;
  const stored = store ? await store.get(id) : undefined;
  // manifest-37 §8.4.2: a sequence number lower than the installed one is a rollback.
  if (stored !== undefined && ctx.manifest.sequenceNumber < stored) {
    throw new SuitRollback(`sequence number ${ctx.manifest.sequenceNumber} is lower than the installed ${stored}`);
  }
  ctx.state.sequenceUpdates.push({ id, seq: ctx.manifest.sequenceNumber });
}

/** trust-domains-12 §5.6.2: run the dependency's shared sequence and its section of the same name. */
const processDependency: ProcessDependency = async (ctx, index, frame) => {
  const bytes = await dependencyImage(ctx, index);
  if (!bytes) throw new SuitOperationFailed(`dependency ${index} is not available`);
  const envelope = decodeEnvelope(bytes); // authenticated by condition-dependency-integrity
  const child: ManifestContext = {
    state: ctx.state,
    envelope,
    manifest: decodeManifest(envelope.manifestBytes),
    path: [...ctx.path, index],
    dependencyImages: new Map(),
    verifiedDependencies: new Set(),
  };
  await checkSeveredMembers(envelope, child.manifest, ctx.state.opts.provider);
  await checkRollback(child);
  await runSection(child, frame.section, processDependency);
};

/** Decodes, authenticates and processes a SUIT envelope; see the module comment. */
export async function processEnvelope(bytes: Uint8Array, opts: SuitProcessOptions): Promise<SuitProcessResult> {
  const state: ProcedureState = {
    opts, staged: new Map(), params: new Map(), invocations: [], records: [], sequenceUpdates: [], errorRecords: new WeakMap(),
    componentKeys: new WeakMap(),
  };
  let envelope: SuitEnvelope | undefined;
  let manifest: SuitManifest | undefined;
  try {
    envelope = decodeEnvelope(bytes);
    await authenticateEnvelope(envelope, opts.trust, opts.provider);
    manifest = decodeManifest(envelope.manifestBytes);
    await checkSeveredMembers(envelope, manifest, opts.provider);
    const ctx: ManifestContext = { state, envelope, manifest, path: [], dependencyImages: new Map(), verifiedDependencies: new Set() };
    await checkRollback(ctx);
    for (const section of SUIT_PROCEDURES[opts.procedure ?? 'update']) await runSection(ctx, section, processDependency);
  } catch (e) {
    const error = toSuitError(e);
    return { ok: false, error, report: await buildReport(bytes, envelope, manifest, state, error, state.errorRecords.get(e as object)) };
  }
  // Commit: everything above only staged. Order: components, sequence numbers, then invocations.
  const written: SuitComponentId[] = [];
  try {
    for (const { id, data } of state.staged.values()) {
      if (data) {
        await opts.storage.write(id, data);
        written.push(id);
      } else if (opts.storage.remove) {
        await opts.storage.remove(id);
      }
    }
    const seen = new Set<string>();
    for (const { id, seq } of state.sequenceUpdates) {
      const key = procedureKey(state, id);
      if (seen.has(key)) continue;
      seen.add(key);
      await opts.sequenceStore?.set(id, seq);
    }
    for (const inv of state.invocations) await opts.invoke?.(inv.componentId, inv.args);
  } catch (e) {
    const error = new SuitOperationFailed('committing the update failed', { cause: e });
    return { ok: false, error, report: await buildReport(bytes, envelope, manifest, state, error, undefined) };
  }
  return {
    ok: true, report: await buildReport(bytes, envelope, manifest, state, undefined, undefined), written, invoked: state.invocations,
    envelope: envelope!, manifest: manifest!,
  };
}

function toSuitError(e: unknown): SuitError {
  if (e instanceof SuitError) return e;
  return new SuitOperationFailed(isOtrpError(e) ? `${e.code}: ${e.message}` : 'unexpected failure while processing', { cause: e });
}

async function buildReport(
  bytes: Uint8Array, envelope: SuitEnvelope | undefined, manifest: SuitManifest | undefined, state: ProcedureState,
  error: SuitError | undefined, failed: SuitRecord | undefined,
): Promise<SuitReport> {
  const digest: SuitDigest = envelope?.digest ?? (await computeDigest(-16, bytes, state.opts.provider));
  const nonce = state.opts.nonce;
  return {
    reference: { uri: manifest?.referenceUri ?? '', digest },
    ...(nonce ? { nonce } : {}),
    records: state.records,
    result: error
      ? {
          code: suitResultCode(error.code),
          reason: error.reportReason,
          record: failed ?? { manifestId: [], section: 0, offset: 0, componentIndex: 0, properties: new Map() },
        }
      : true,
  };
}
