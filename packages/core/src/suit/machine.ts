/**
 * The SUIT command interpreter (draft-ietf-suit-manifest-37 §6.4-6.6, §8.4.10; trust-domains-12 §5.3, §5.6):
 * component index handling (uint, true, [+uint]), try-each, run-sequence, override/set-parameters,
 * soft-failure scoping and per-command reporting. Component commands are in commands.ts.
 */
import type { CborValue } from '../wire/cbor-value.js';
import type { SuitCommand } from './command-sequence.js';
import { runComponentCommand, type ProcessDependency } from './commands.js';
import { SuitCommandUnsupported, SuitComponentUnsupported, SuitConditionFailed, SuitInvalidState, SuitTryEachFailed } from './errors.js';
import { SUIT_COMMAND as C, SUIT_PARAMETER as P, SUIT_REP_POLICY } from './labels.js';
import { componentIdAt, paramsOf, systemOf, type Frame, type ManifestContext } from './machine-context.js';
import type { SuitRecord } from './report.js';

/** Parameters each command reads: the properties its SUIT_Record carries (suit-report §3). */
const RECORD_PARAMS: Readonly<Record<number, readonly number[]>> = {
  [C.vendorIdentifier]: [P.vendorIdentifier],
  [C.classIdentifier]: [P.classIdentifier],
  [C.deviceIdentifier]: [P.deviceIdentifier],
  [C.imageMatch]: [P.imageDigest, P.imageSize],
  [C.componentSlot]: [P.componentSlot],
  [C.dependencyIntegrity]: [P.imageDigest],
  [C.fetch]: [P.uri],
  [C.copy]: [P.sourceComponent],
  [C.swap]: [P.sourceComponent],
  [C.invoke]: [P.invokeArgs],
};

/**
 * Runs a command sequence. Returns false when a condition failed under soft-failure (the sequence
 * ends, its caller goes on), true when it completed; any other failure throws.
 */
export async function runSequence(ctx: ManifestContext, commands: readonly SuitCommand[], frame: Frame, pd: ProcessDependency): Promise<boolean> {
  for (const cmd of commands) {
    try {
      await runCommand(ctx, cmd, frame, pd);
    } catch (e) {
      if (e instanceof SuitConditionFailed && frame.softFailure) return false;
      throw e;
    }
  }
  return true;
}

function checkIndex(ctx: ManifestContext, i: number): number {
  if (i < ctx.manifest.common.components.length || ctx.manifest.common.dependencies.has(i)) return i;
  throw new SuitComponentUnsupported(`component index ${i} is out of range`);
}

async function runCommand(ctx: ManifestContext, cmd: SuitCommand, frame: Frame, pd: ProcessDependency): Promise<void> {
  switch (cmd.kind) {
    case 'index':
      if (cmd.index === true) {
        // true = every component (and every dependency, for process-dependency with `true`).
        const all = ctx.manifest.common.components.map((_, i) => i);
        for (const d of ctx.manifest.common.dependencies.keys()) if (!all.includes(d)) all.push(d);
        frame.indices = all;
      } else {
        frame.indices = (typeof cmd.index === 'number' ? [cmd.index] : cmd.index).map((i) => checkIndex(ctx, i));
      }
      return;
    case 'parameters':
      for (const i of frame.indices) setParameters(ctx, i, cmd.parameters, cmd.code === C.overrideParameters, frame);
      return;
    case 'try-each':
      for (const i of frame.indices) {
        let done = false;
        for (const alt of cmd.sequences) {
          // §8.4.10.2: soft-failure defaults to true inside each alternative.
          if (await runSequence(ctx, alt, { section: frame.section, softFailure: true, nested: true, indices: [i] }, pd)) {
            done = true;
            break;
          }
        }
        if (!done && !cmd.allowNone) throw record(ctx, cmd, i, frame, new SuitTryEachFailed('no try-each alternative succeeded'));
      }
      return;
    case 'run-sequence':
      // §8.4.10.8: soft-failure defaults to false and is scoped to the sequence.
      for (const i of frame.indices) await runSequence(ctx, cmd.sequence, { section: frame.section, softFailure: false, nested: true, indices: [i] }, pd);
      return;
    case 'policy':
      for (const i of frame.indices) {
        try {
          await runComponentCommand(ctx, cmd.code, i, frame, pd);
        } catch (e) {
          throw record(ctx, cmd, i, frame, e);
        }
        if (cmd.policy & SUIT_REP_POLICY.recordOnSuccess) ctx.state.records.push(makeRecord(ctx, cmd, i, frame));
        if (cmd.policy & SUIT_REP_POLICY.sysinfoOnSuccess) pushSysinfo(ctx, i);
      }
      return;
    case 'other':
      throw record(ctx, cmd, frame.indices[0] ?? 0, frame, new SuitCommandUnsupported(`command ${cmd.code} is not supported`));
  }
}

/** override-parameters replaces; set-parameters (trust-domains-12 §5.6.1) only fills unset values. */
function setParameters(ctx: ManifestContext, index: number, params: ReadonlyMap<number, CborValue>, override: boolean, frame: Frame): void {
  const store = paramsOf(ctx, index);
  for (const [k, v] of params) {
    if (k === P.softFailure) {
      // §8.4.8.15: soft-failure is scoped to try-each / run-sequence; setting it elsewhere aborts.
      if (!frame.nested) throw new SuitInvalidState('soft-failure may only be set inside try-each or run-sequence');
      if (override || !frame.softFailure) frame.softFailure = v === true;
      continue;
    }
    if (override || !store.has(k)) store.set(k, v);
  }
}

function makeRecord(ctx: ManifestContext, cmd: SuitCommand, index: number, frame: Frame): SuitRecord {
  const props = new Map<number, CborValue>();
  let params: Map<number, CborValue> | undefined;
  try {
    params = paramsOf(ctx, index);
  } catch {
    params = undefined;
  }
  for (const label of RECORD_PARAMS[cmd.code] ?? []) {
    const v = params?.get(label);
    if (v !== undefined) props.set(label, v);
  }
  return { manifestId: [...ctx.path], section: frame.section, offset: cmd.offset, componentIndex: index, properties: props };
}

function pushSysinfo(ctx: ManifestContext, index: number): void {
  try {
    const id = componentIdAt(ctx, index);
    const s = systemOf(ctx, id);
    const props = new Map<number, CborValue>();
    if (s.vendorId) props.set(P.vendorIdentifier, s.vendorId);
    if (s.classId) props.set(P.classIdentifier, s.classId);
    if (s.deviceId) props.set(P.deviceIdentifier, s.deviceId);
    if (props.size > 0) ctx.state.records.push({ componentId: id, properties: props });
  } catch {
    // no such component: nothing to report
  }
}

/** Remembers the SUIT_Record of the command an error came from (first one wins) and applies the failure policy bits. */
function record(ctx: ManifestContext, cmd: SuitCommand, index: number, frame: Frame, e: unknown): unknown {
  if (typeof e === 'object' && e !== null && !ctx.state.errorRecords.has(e)) {
    const r = makeRecord(ctx, cmd, index, frame);
    ctx.state.errorRecords.set(e, r);
    const policy = cmd.kind === 'policy' ? cmd.policy : 0;
    const soft = e instanceof SuitConditionFailed && frame.softFailure;
    if (soft && policy & SUIT_REP_POLICY.recordOnFailure) ctx.state.records.push(r);
    if (policy & SUIT_REP_POLICY.sysinfoOnFailure) pushSysinfo(ctx, index);
  }
  return e;
}

