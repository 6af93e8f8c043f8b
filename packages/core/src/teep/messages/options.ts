/**
 * The `options` map every TEEP message carries (-26 §4: `options: { * teep-option }`,
 * `teep-option = (uint => any)`).
 *
 * Each message lists its known options (name, label name, check) in CDDL order. Decoding maps the
 * profile's label numbers to those names and checks each value. An unknown label, or a label the
 * profile defines for another message, is an unknown optional parameter: -26 §6 says implementations
 * "SHOULD ... handle gracefully any unrecognized labels, treating them as unknown optional
 * parameters", so it is kept (in `extensions`) and re-encoded, never rejected. The order of the
 * received keys is kept in `optionOrder`, so a decoded message re-encodes to identical bytes.
 */
import type { CborMap, CborValue } from '../../wire/cbor-value.js';
import { TeepInvalidField } from '../errors.js';
import type { TeepLabelName, TeepProfile } from '../profiles.js';

/** An option whose label the codec does not know, kept as received. */
export type TeepExtension = readonly [label: number | bigint, value: CborValue];

/** A key of `optionOrder`: a known option by field name, an extension by its label. */
export type TeepOptionKey = string | number | bigint;

/** Fields every decoded message may carry besides its own. */
export interface TeepMessageExtras {
  /** Options with labels this codec does not know, in wire order. */
  readonly extensions?: readonly TeepExtension[];
  /** Order of the options map as received; encoding follows it, then adds the rest in CDDL order. */
  readonly optionOrder?: readonly TeepOptionKey[];
}

export interface OptionSpec {
  readonly label: TeepLabelName;
  /** Checks a received value and returns it typed (byte strings as received). */
  readonly decode: (v: CborValue, field: string) => unknown;
  /** Turns the typed value back into CBOR (default: the value itself). */
  readonly encode?: (v: never) => CborValue;
}

/** Known options of one message, keyed by field name, in CDDL order. */
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

export interface DecodedOptions {
  readonly fields: Record<string, unknown>;
  readonly extensions: TeepExtension[];
  readonly optionOrder: TeepOptionKey[];
}

/** Label tables by specs and profile: both are fixed tables, so each pair is built once. */
const labelTables = new WeakMap<OptionSpecs, WeakMap<TeepProfile, ReadonlyMap<number, string>>>();

function labelTable(specs: OptionSpecs, profile: TeepProfile): ReadonlyMap<number, string> {
  let byProfile = labelTables.get(specs);
  if (byProfile === undefined) labelTables.set(specs, (byProfile = new WeakMap()));
  let byLabel = byProfile.get(profile);
  if (byLabel === undefined) {
    const table = new Map<number, string>();
    for (const [field, spec] of Object.entries(specs)) {
      const n = profile.labels[spec.label];
      if (n !== undefined) table.set(n, field);
    }
    byProfile.set(profile, (byLabel = table));
  }
  return byLabel;
}

export function decodeOptions(map: CborMap, specs: OptionSpecs, profile: TeepProfile): DecodedOptions {
  const byLabel = labelTable(specs, profile);
  const fields: Record<string, unknown> = {};
  const extensions: TeepExtension[] = [];
  const optionOrder: TeepOptionKey[] = [];
  for (const [k, v] of map) {
    if (!((typeof k === 'number' && Number.isInteger(k) && k >= 0) || (typeof k === 'bigint' && k >= 0n))) {
      throw new TeepInvalidField(`options: every label must be a uint (teep-option = uint => any)`);
    }
    const field = typeof k === 'number' ? byLabel.get(k) : undefined;
    if (field === undefined) {
      extensions.push([k, v]);
      optionOrder.push(k);
      continue;
    }
    const spec = specs[field] as OptionSpec;
    fields[field] = spec.decode(v, spec.label);
    optionOrder.push(field);
  }
  return { fields, extensions, optionOrder };
}

/** Builds the options map of `msg` (a message object) in `msg.optionOrder`, then CDDL order. */
export function encodeOptions(msg: Record<string, unknown> & TeepMessageExtras, specs: OptionSpecs, profile: TeepProfile): CborMap {
  const out: CborMap = new Map();
  const extensions = new Map<TeepOptionKey, CborValue>((msg.extensions ?? []).map(([k, v]) => [k, v]));
  const put = (key: TeepOptionKey): void => {
    if (typeof key === 'string') {
      const spec = specs[key];
      if (spec === undefined || msg[key] === undefined) return;
      const label = profile.labels[spec.label];
      if (label === undefined) throw new TeepInvalidField(`${spec.label}: not defined in the ${profile.name} profile`);
      if (out.has(label)) return;
      const value = msg[key] as never;
      out.set(label, spec.encode ? spec.encode(value) : (value as CborValue));
    } else if (extensions.has(key)) {
      if (out.has(key)) throw new TeepInvalidField(`extension label ${key} collides with a known option`);
      out.set(key, extensions.get(key) as CborValue);
      extensions.delete(key);
    }
  };
  for (const key of msg.optionOrder ?? []) put(key);
  for (const key of Object.keys(specs)) put(key);
  for (const key of [...extensions.keys()]) put(key);
  return out;
}
