/**
 * SUIT_Command_Sequence and SUIT_Shared_Sequence (draft-ietf-suit-manifest-37 §8.4.6, §8.4.9-8.4.10;
 * trust-domains-12 §5.6 (labels §9.4) adds dependency-integrity 7, is-dependency 8, process-dependency 11,
 * set-parameters 19, unlink 33).
 *
 * ```cddl
 * SUIT_Command_Sequence = [ + (
 *     SUIT_Condition // SUIT_Directive // SUIT_Command_Custom
 * ) ]
 * SUIT_Command_Custom = (suit-command-custom, bstr/tstr/int/nil)
 * SUIT_Condition //= (suit-condition-vendor-identifier, SUIT_Rep_Policy)   ; and the other conditions
 * SUIT_Directive //= (suit-directive-set-component-index,  IndexArg)
 * SUIT_Directive //= (suit-directive-run-sequence, bstr .cbor SUIT_Command_Sequence)
 * SUIT_Directive //= (suit-directive-try-each, SUIT_Directive_Try_Each_Argument)
 * SUIT_Directive //= (suit-directive-override-parameters, {+ $$SUIT_Parameters})
 * SUIT_Directive //= (suit-directive-write, SUIT_Rep_Policy)               ; and fetch, copy, swap, invoke, ...
 * IndexArg /= uint / true / [+uint]
 * SUIT_Directive_Try_Each_Argument = [ 2* bstr .cbor SUIT_Command_Sequence, ?nil ]
 * SUIT_Rep_Policy = uint .bits suit-reporting-bits
 * ```
 */
import { encodeCbor } from '../wire/cbor.js';
import type { CborValue } from '../wire/cbor-value.js';
import { asIndex, decodeSuitCbor, expectArray, expectBytes, expectMap, isUint } from './cbor-util.js';
import { SuitMalformed } from './errors.js';
import { SUIT_COMMAND as C } from './labels.js';
import { decodeParameters, type SuitParameters } from './parameters.js';

interface Base {
  readonly code: number;
  /** Byte offset of the command within its (bstr content) sequence, for SUIT_Record. */
  readonly offset: number;
}
export type SuitCommand = Base &
  (
    | { readonly kind: 'policy'; readonly policy: number }
    | { readonly kind: 'index'; readonly index: number | true | readonly number[] }
    | { readonly kind: 'try-each'; readonly sequences: readonly (readonly SuitCommand[])[]; readonly allowNone: boolean }
    | { readonly kind: 'run-sequence'; readonly sequence: readonly SuitCommand[] }
    | { readonly kind: 'parameters'; readonly parameters: SuitParameters }
    | { readonly kind: 'other'; readonly arg: CborValue }
  );

const POLICY_COMMANDS: ReadonlySet<number> = new Set([
  C.vendorIdentifier, C.classIdentifier, C.imageMatch, C.componentSlot, C.checkContent, C.dependencyIntegrity,
  C.isDependency, C.processDependency, C.abort, C.write, C.fetch, C.copy, C.invoke, C.deviceIdentifier, C.swap, C.unlink,
]);

/** Decodes `bstr .cbor SUIT_Command_Sequence` content (limits nesting through run-sequence/try-each). */
export function decodeCommandSequence(bytes: Uint8Array, what: string, depth = 0): SuitCommand[] {
  if (depth > 8) throw new SuitMalformed(`${what}: command sequences nested too deeply`);
  const items = expectArray(decodeSuitCbor(bytes, what), what);
  if (items.length === 0 || items.length % 2 !== 0) throw new SuitMalformed(`${what}: expected a non-empty list of (command, argument) pairs`);
  // Offsets: the array header, then each item's length (preferred serialization makes re-encoding exact).
  let offset = headerLength(items.length);
  const out: SuitCommand[] = [];
  for (let i = 0; i < items.length; i += 2) {
    const code = items[i]!;
    const arg = items[i + 1]!;
    if (typeof code !== 'number' || !Number.isInteger(code)) throw new SuitMalformed(`${what}: command codes must be integers`);
    out.push(decodeCommand(code, arg, offset, `${what}[${i / 2}]`, depth));
    offset += encodeCbor(code).length + encodeCbor(arg).length;
  }
  return out;
}

function decodeCommand(code: number, arg: CborValue, offset: number, what: string, depth: number): SuitCommand {
  if (POLICY_COMMANDS.has(code)) {
    if (!isUint(arg) || typeof arg !== 'number') throw new SuitMalformed(`${what}: expected a reporting policy`);
    return { code, offset, kind: 'policy', policy: arg };
  }
  switch (code) {
    case C.setComponentIndex:
      if (arg === true) return { code, offset, kind: 'index', index: true };
      if (Array.isArray(arg)) {
        if (arg.length === 0) throw new SuitMalformed(`${what}: empty component index list`);
        return { code, offset, kind: 'index', index: arg.map((x) => asIndex(x, what)) };
      }
      return { code, offset, kind: 'index', index: asIndex(arg, what) };
    case C.tryEach: {
      const alts = expectArray(arg, what);
      const allowNone = alts.length > 0 && alts[alts.length - 1] === null;
      const seqs = allowNone ? alts.slice(0, -1) : alts;
      if (seqs.length < 1) throw new SuitMalformed(`${what}: try-each needs at least one sequence`);
      return {
        code, offset, kind: 'try-each', allowNone,
        sequences: seqs.map((s, j) => decodeCommandSequence(expectBytes(s, what), `${what}.try[${j}]`, depth + 1)),
      };
    }
    case C.runSequence:
      return { code, offset, kind: 'run-sequence', sequence: decodeCommandSequence(expectBytes(arg, what), `${what}.run`, depth + 1) };
    case C.overrideParameters:
    case C.setParameters:
      return { code, offset, kind: 'parameters', parameters: decodeParameters(expectMap(arg, what), what) };
    default:
      // Custom (nint) and unknown commands decode; executing them fails (§8.4.9, §6.1: unknown = failure).
      return { code, offset, kind: 'other', arg };
  }
}

function headerLength(n: number): number {
  return n < 24 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : 5;
}
