/**
 * The framework every TEEP message shares (-26 §4):
 *
 * ```cddl
 * teep-message = $teep-message-type .within teep-message-framework
 * teep-message-framework = [
 *   type: $teep-type / $teep-type-extension,
 *   options: { * teep-option },
 *   * any; further elements, e.g., for data-item-requested
 * ]
 * ```
 *
 * This file turns bytes into `[kind, elements]` under a profile and back; the per-message files
 * check the elements.
 */
import { decodeCbor, encodeCbor } from '../../wire/cbor.js';
import { CborTag, type CborMap, type CborValue } from '../../wire/cbor-value.js';
import { isOtrpError } from '../../errors.js';
import { TeepError, TeepInvalidField, TeepMalformedMessage, TeepMissingField, TeepUnexpectedMessage, TeepUnknownMessageType } from '../errors.js';
import { messageKindOf, resolveTeepProfile, type TeepMessageKind, type TeepProfile, type TeepProfileName } from '../profiles.js';

export interface TeepCodecOptions {
  /** Wire numbering (default `draft-26`). */
  readonly profile?: TeepProfile | TeepProfileName;
}

export interface TeepFramework {
  readonly kind: TeepMessageKind;
  readonly items: readonly CborValue[];
  readonly options: CborMap;
}

/** Decodes CBOR, failing only with TeepErrors (a CBOR failure becomes TeepMalformedMessage with its cause). */
export function decodeTeepCbor(bytes: Uint8Array): CborValue {
  if (!(bytes instanceof Uint8Array)) throw new TeepMalformedMessage('a TEEP message must be given as bytes');
  try {
    return decodeCbor(bytes);
  } catch (e) {
    if (e instanceof TeepError) throw e;
    const detail = isOtrpError(e) ? `${e.code}: ${e.message}` : 'not well-formed CBOR';
    throw new TeepMalformedMessage(`not a well-formed CBOR item (${detail})`, { cause: e });
  }
}

/** Splits a decoded value into its message kind and elements under `profile`. */
export function parseFramework(value: CborValue, profile: TeepProfile): TeepFramework {
  if (value instanceof CborTag) {
    throw new TeepMalformedMessage(`expected a TEEP message array, got CBOR tag ${String(value.tag)} (a COSE object? unwrap it first)`);
  }
  if (!Array.isArray(value)) throw new TeepMalformedMessage('a TEEP message is a CBOR array [type, options, ...]');
  if (value.length < 2) throw new TeepMissingField('a TEEP message needs at least type and options');
  const type = value[0];
  if (typeof type !== 'number' || !Number.isInteger(type) || type < 0) {
    if (typeof type === 'bigint' && type >= 0n) throw new TeepUnknownMessageType(`unknown TEEP message type ${type} (${profile.name})`);
    throw new TeepInvalidField('type: expected a uint');
  }
  const kind = messageKindOf(profile, type);
  if (kind === undefined) throw new TeepUnknownMessageType(`unknown TEEP message type ${type} (${profile.name})`);
  const options = value[1];
  if (!(options instanceof Map)) throw new TeepInvalidField('options: expected a map');
  return { kind, items: value, options };
}

/** Checks that `items` has exactly `count` elements (the per-message CDDL fixes the length). */
export function expectLength(fw: TeepFramework, names: readonly string[]): void {
  if (fw.items.length < names.length) throw new TeepMissingField(`${fw.kind}: ${names[fw.items.length]} is missing`);
  if (fw.items.length > names.length) throw new TeepInvalidField(`${fw.kind}: ${fw.items.length - names.length} unexpected trailing element(s)`);
}

/** Decodes bytes that must hold a message of `kind`. */
export function decodeFrameworkOf(bytes: Uint8Array, kind: TeepMessageKind, options: TeepCodecOptions | undefined): { fw: TeepFramework; profile: TeepProfile } {
  const profile = resolveTeepProfile(options?.profile);
  const fw = parseFramework(decodeTeepCbor(bytes), profile);
  if (fw.kind !== kind) throw new TeepUnexpectedMessage(`expected a ${kind} message, got ${fw.kind}`);
  return { fw, profile };
}

/** Encodes a message array; the maps keep their insertion order (the wire order). */
export function encodeFramework(items: CborValue[]): Uint8Array {
  return encodeCbor(items);
}
