/**
 * TC_ID, as `otrp device run --request TC_ID` takes it: the Trusted Component's
 * SUIT_Component_Identifier (`[* bstr]`, draft-ietf-suit-manifest-37 §8.4.5.1), written either
 *
 * - as a UUID (8-4-4-4-12 hex): the TEEP convention of draft-ietf-teep-protocol-26 Appendix
 *   examples, `['TEEP-Device', 'SecureFS', h'<16 UUID bytes>', 'ta']`; or
 * - as the hex of the CBOR encoding of the identifier itself (e.g. `824174426161` for
 *   `[h'74', h'6161']`), for any other identifier.
 */
import { decodeCbor, encodeCbor, fromHex, InvalidArgument } from '@otrp/core';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const te = (s: string) => new TextEncoder().encode(s);

/** The component identifier a UUID names under the TEEP convention. */
export function componentIdFromUuid(uuid: string): Uint8Array[] {
  if (!UUID.test(uuid)) throw new InvalidArgument(`not a UUID: ${uuid}`);
  return [te('TEEP-Device'), te('SecureFS'), fromHex(uuid.replace(/-/g, '')), te('ta')];
}

/** Parses a TC_ID (see the module comment). */
export function parseTcId(text: string): Uint8Array[] {
  if (UUID.test(text)) return componentIdFromUuid(text);
  let v: unknown;
  try {
    v = decodeCbor(fromHex(text));
  } catch (e) {
    throw new InvalidArgument(`TC_ID is neither a UUID nor the hex of a CBOR component identifier: ${text}`, { cause: e });
  }
  if (!Array.isArray(v) || v.length === 0 || !v.every((p) => p instanceof Uint8Array)) {
    throw new InvalidArgument('TC_ID hex does not encode a SUIT_Component_Identifier ([+ bstr])');
  }
  return v as Uint8Array[];
}

/** The hex form of a component identifier (what `parseTcId` reads back). */
export function formatTcId(id: readonly Uint8Array[]): string {
  return Buffer.from(encodeCbor([...id])).toString('hex');
}
