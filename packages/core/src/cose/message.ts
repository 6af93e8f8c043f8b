/**
 * The outer shape shared by all COSE messages (RFC 9052 §2): an optional COSE tag, then an array of
 * exactly the right length. A different COSE tag, any other tag, or a wrong length is malformed.
 */
import { decodeCbor, encodeCbor } from '../wire/cbor.js';
import { CborTag, type CborValue } from '../wire/cbor-value.js';
import { CoseMalformed } from './errors.js';

/** CBOR tags of the COSE messages (RFC 9052 §2, IANA "CBOR Tags"). */
export const COSE_TAG = {
  COSE_Encrypt0: 16,
  COSE_Mac0: 17,
  COSE_Sign1: 18,
  COSE_Encrypt: 96,
  COSE_Mac: 97,
  COSE_Sign: 98,
} as const;

export type CoseMessageType = keyof typeof COSE_TAG;

/** How a decoder treats the COSE tag: accept both forms (default), require it, or refuse it. */
export type TagPolicy = 'optional' | 'required' | 'forbidden';

export interface MessageDecodeOptions {
  tag?: TagPolicy;
}

/** Decodes `bytes` as message `type`, returning its array elements. */
export function decodeMessage(bytes: Uint8Array, type: CoseMessageType, length: number, options: MessageDecodeOptions = {}): CborValue[] {
  if (!(bytes instanceof Uint8Array)) throw new CoseMalformed(`${type}: input is not bytes`);
  let item: CborValue;
  try {
    item = decodeCbor(bytes);
  } catch (e) {
    throw new CoseMalformed(`${type} is not well-formed CBOR`, { cause: e });
  }
  return messageItems(item, type, length, options);
}

/**
 * The array elements of an already decoded message `item` (the checks of decodeMessage after the
 * CBOR decode), for a caller that decoded the bytes itself to see which message they hold.
 */
export function messageItems(decoded: CborValue, type: CoseMessageType, length: number, options: MessageDecodeOptions = {}): CborValue[] {
  let item = decoded;
  const policy = options.tag ?? 'optional';
  if (item instanceof CborTag) {
    if (item.tag !== COSE_TAG[type]) throw new CoseMalformed(`${type}: unexpected tag ${item.tag}`);
    if (policy === 'forbidden') throw new CoseMalformed(`${type}: tag not allowed here`);
    item = item.value;
  } else if (policy === 'required') throw new CoseMalformed(`${type}: tag ${COSE_TAG[type]} required`);
  if (!Array.isArray(item) || item.length !== length) throw new CoseMalformed(`${type} must be an array of ${length} elements`);
  return item;
}

/** Encodes a message array, tagged unless `tagged` is false. */
export function encodeMessage(type: CoseMessageType, items: CborValue[], tagged = true): Uint8Array {
  return encodeCbor(tagged ? new CborTag(COSE_TAG[type], items) : items);
}

/** The payload/ciphertext slot: a bstr, or nil when detached (then `detached` must be supplied). */
export function attachedOrDetached(slot: CborValue, detached: Uint8Array | undefined, type: string, what: string): { bytes: Uint8Array; detached: boolean } {
  if (slot === null) {
    if (!(detached instanceof Uint8Array)) throw new CoseMalformed(`${type}: ${what} is detached and none was supplied`);
    return { bytes: detached, detached: true };
  }
  if (!(slot instanceof Uint8Array)) throw new CoseMalformed(`${type}: ${what} must be a bstr or nil`);
  if (detached !== undefined) throw new CoseMalformed(`${type}: ${what} supplied but the message carries one`);
  return { bytes: slot, detached: false };
}
