/**
 * SUIT_Manifest and SUIT_Common (draft-ietf-suit-manifest-37 §8.4, trust-domains-12 §5).
 *
 * ```cddl
 * SUIT_Manifest = {
 *     suit-manifest-version         => 1,
 *     suit-manifest-sequence-number => uint,
 *     suit-common                   => bstr .cbor SUIT_Common,
 *     ? suit-reference-uri          => tstr,
 *     SUIT_Unseverable_Members,       ; 7 validate, 8 load, 9 invoke, 24 uninstall
 *     SUIT_Severable_Members_Choice,  ; 15, 16, 18, 20, 23: SUIT_Digest / bstr .cbor ...
 *     * $$SUIT_Manifest_Extensions,   ; 5 manifest-component-id
 * }
 * SUIT_Common = {
 *     ? suit-dependencies           => SUIT_Dependencies,       ; trust-domains-12
 *     ? suit-components             => SUIT_Components,
 *     ? suit-shared-sequence        => bstr .cbor SUIT_Shared_Sequence,
 *     * $$SUIT_Common-extensions,
 * }
 * SUIT_Dependencies = { + uint => SUIT_Dependency_Metadata }
 * SUIT_Dependency_Metadata = { ? suit-dependency-prefix => SUIT_Component_Identifier }
 * ```
 */
import type { CborValue } from '../wire/cbor-value.js';
import {
  asIndex, decodeComponentId, decodeSuitCbor, expectArray, expectBytes, expectMap, isBytes, isUint, untag,
} from './cbor-util.js';
import { decodeCommandSequence, type SuitCommand } from './command-sequence.js';
import { decodeDigest, type SuitDigest } from './digest.js';
import { SuitMalformed, SuitUnsupportedVersion } from './errors.js';
import { SUIT_COMMON, SUIT_DEPENDENCY_METADATA, SUIT_MANIFEST, SUIT_SEQUENCES, SUIT_SEVERABLE, SUIT_TAG } from './labels.js';

export type SuitComponentId = readonly Uint8Array[];

/** A manifest member: present in place (bstr content) or severed (its digest). */
export type SuitMember =
  | { readonly kind: 'present'; readonly bytes: Uint8Array }
  | { readonly kind: 'severed'; readonly digest: SuitDigest };

export interface SuitDependency {
  readonly prefix?: SuitComponentId;
}

export interface SuitCommon {
  readonly components: readonly SuitComponentId[];
  /** Component index -> metadata (trust-domains-12 §5.2.2); indices need not be in `components`. */
  readonly dependencies: ReadonlyMap<number, SuitDependency>;
  readonly sharedSequence?: readonly SuitCommand[];
}

export interface SuitManifest {
  readonly version: 1;
  readonly sequenceNumber: bigint;
  readonly common: SuitCommon;
  readonly referenceUri?: string;
  readonly manifestComponentId?: SuitComponentId;
  /** Command sequences and text by manifest key (7, 8, 9, 15, 16, 18, 20, 23, 24). */
  readonly members: ReadonlyMap<number, SuitMember>;
}

/** Decodes SUIT_Common. */
export function decodeCommon(bytes: Uint8Array): SuitCommon {
  const map = expectMap(decodeSuitCbor(bytes, 'SUIT_Common'), 'SUIT_Common');
  let components: SuitComponentId[] = [];
  const dependencies = new Map<number, SuitDependency>();
  let sharedSequence: SuitCommand[] | undefined;
  for (const [k, v] of map) {
    if (k === SUIT_COMMON.components) {
      components = expectArray(v, 'suit-components').map((c) => decodeComponentId(c, 'SUIT_Component_Identifier'));
      if (components.length === 0) throw new SuitMalformed('suit-components: must not be empty');
    } else if (k === SUIT_COMMON.dependencies) {
      for (const [i, meta] of expectMap(v, 'suit-dependencies')) {
        const m = expectMap(meta, 'SUIT_Dependency_Metadata');
        const p = m.get(SUIT_DEPENDENCY_METADATA.prefix);
        dependencies.set(asIndex(i, 'suit-dependencies index'), p === undefined ? {} : { prefix: decodeComponentId(p, 'suit-dependency-prefix') });
      }
    } else if (k === SUIT_COMMON.sharedSequence) {
      sharedSequence = decodeCommandSequence(expectBytes(v, 'suit-shared-sequence'), 'suit-shared-sequence');
    } else if (!(typeof k === 'number' && Number.isInteger(k))) {
      throw new SuitMalformed('SUIT_Common: keys must be integers');
    }
  }
  return { components, dependencies, ...(sharedSequence ? { sharedSequence } : {}) };
}

/** Decodes a SUIT_Manifest (tag 1070 accepted for a bare manifest). */
export function decodeManifest(bytes: Uint8Array): SuitManifest {
  const { value } = untag(decodeSuitCbor(bytes, 'SUIT_Manifest'), SUIT_TAG.manifest, 'SUIT_Manifest');
  const map = expectMap(value, 'SUIT_Manifest');
  const version = map.get(SUIT_MANIFEST.version);
  if (version === undefined) throw new SuitMalformed('SUIT_Manifest: missing suit-manifest-version');
  if (version !== 1) throw new SuitUnsupportedVersion(`unsupported suit-manifest-version ${String(version)}`);
  const seq = map.get(SUIT_MANIFEST.sequenceNumber);
  if (seq === undefined || !isUint(seq)) throw new SuitMalformed('SUIT_Manifest: suit-manifest-sequence-number must be a uint');
  const commonBytes = map.get(SUIT_MANIFEST.common);
  if (commonBytes === undefined) throw new SuitMalformed('SUIT_Manifest: missing suit-common');
  const common = decodeCommon(expectBytes(commonBytes, 'suit-common'));
  const uri = map.get(SUIT_MANIFEST.referenceUri);
  if (uri !== undefined && typeof uri !== 'string') throw new SuitMalformed('suit-reference-uri: expected text');
  const mcid = map.get(SUIT_MANIFEST.manifestComponentId);
  const members = new Map<number, SuitMember>();
  for (const [k, v] of map) {
    if (typeof k !== 'number' || !Number.isInteger(k)) throw new SuitMalformed('SUIT_Manifest: keys must be integers');
    if (!SUIT_SEQUENCES.includes(k) && k !== SUIT_MANIFEST.text) continue;
    members.set(k, decodeMember(k, v));
  }
  return {
    version: 1,
    sequenceNumber: BigInt(seq),
    common,
    ...(uri !== undefined ? { referenceUri: uri } : {}),
    ...(mcid !== undefined ? { manifestComponentId: decodeComponentId(mcid, 'suit-manifest-component-id') } : {}),
    members,
  };
}

function decodeMember(key: number, v: CborValue): SuitMember {
  if (isBytes(v)) {
    // Parse eagerly so that a malformed sequence fails at decode time, not half-way through processing.
    if (key !== SUIT_MANIFEST.text) decodeCommandSequence(v, `manifest member ${key}`);
    return { kind: 'present', bytes: v };
  }
  if (Array.isArray(v) && SUIT_SEVERABLE.includes(key)) return { kind: 'severed', digest: decodeDigest(v, `severed member ${key}`) };
  throw new SuitMalformed(`manifest member ${key}: expected a byte string${SUIT_SEVERABLE.includes(key) ? ' or a SUIT_Digest' : ''}`);
}
