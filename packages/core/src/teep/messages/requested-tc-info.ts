/**
 * requested-tc-info, an entry of QueryResponse's requested-tc-list (draft-ietf-teep-protocol-26 §4.3).
 *
 * ```cddl
 * requested-tc-info = {
 *   component-id => SUIT_Component_Identifier,
 *   ? tc-manifest-sequence-number => uint,
 *   ? have-binary => bool
 * }
 * ```
 *
 * The map is closed (no extension socket), so an unknown key is an error. "If have-binary is true,
 * the tc-manifest-sequence-number field MUST be present" (-26 §4.3) is enforced.
 */
import type { CborMap, CborValue } from '../../wire/cbor-value.js';
import { TeepInconsistentFields, TeepInvalidField, TeepMissingField } from '../errors.js';
import type { TeepProfile } from '../profiles.js';
import { expectBigUint, expectBool, expectComponentId, expectMap, type SuitComponentIdentifier } from './fields.js';

export interface RequestedTcInfo {
  readonly componentId: SuitComponentIdentifier;
  /** The minimum acceptable suit-manifest-sequence-number. */
  readonly tcManifestSequenceNumber?: number | bigint;
  readonly haveBinary?: boolean;
  /** Key order as received, for byte-identical re-encoding. */
  readonly order?: readonly RequestedTcInfoKey[];
}
export type RequestedTcInfoKey = 'componentId' | 'tcManifestSequenceNumber' | 'haveBinary';

const KEYS = [
  ['componentId', 'component-id'],
  ['tcManifestSequenceNumber', 'tc-manifest-sequence-number'],
  ['haveBinary', 'have-binary'],
] as const;

export function parseRequestedTcInfo(v: CborValue, field: string, profile: TeepProfile): RequestedTcInfo {
  const m = expectMap(v, field);
  const out: { -readonly [K in keyof RequestedTcInfo]: RequestedTcInfo[K] } = { componentId: [] };
  const order: RequestedTcInfoKey[] = [];
  let hasId = false;
  for (const [k, val] of m) {
    const entry = KEYS.find(([, label]) => profile.labels[label] === k);
    if (entry === undefined) throw new TeepInvalidField(`${field}: unknown key ${String(k)} in requested-tc-info`);
    const [name, label] = entry;
    if (name === 'componentId') {
      out.componentId = expectComponentId(val, `${field}.${label}`);
      hasId = true;
    } else if (name === 'tcManifestSequenceNumber') out.tcManifestSequenceNumber = expectBigUint(val, `${field}.${label}`);
    else out.haveBinary = expectBool(val, `${field}.${label}`);
    order.push(name);
  }
  if (!hasId) throw new TeepMissingField(`${field}: component-id is missing`);
  if (out.haveBinary === true && out.tcManifestSequenceNumber === undefined) {
    throw new TeepInconsistentFields(`${field}: have-binary is true, so tc-manifest-sequence-number MUST be present`);
  }
  out.order = order;
  return out;
}

export function encodeRequestedTcInfo(info: RequestedTcInfo, profile: TeepProfile): CborMap {
  if (typeof info !== 'object' || info === null) throw new TeepInvalidField('requested-tc-info: expected an object');
  const m: CborMap = new Map();
  const keys = [...(info.order ?? []), ...KEYS.map(([n]) => n)];
  for (const name of keys) {
    const [, label] = KEYS.find(([n]) => n === name) as (typeof KEYS)[number];
    const n = profile.labels[label] as number;
    const value = info[name];
    if (value === undefined || m.has(n)) continue;
    m.set(n, value as unknown as CborValue);
  }
  return m;
}
