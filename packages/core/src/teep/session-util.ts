/** Small helpers shared by the TAM and Agent session machines. */
import { fromHex, toHex } from '../wire/hex.js';
import type { SuitComponentIdentifier } from './messages/fields.js';

export { fromHex, toHex };

/** Random bytes from the configured source (default WebCrypto). */
export function randomBytes(random: ((n: number) => Uint8Array) | undefined, length: number): Uint8Array {
  return random ? random(length) : crypto.getRandomValues(new Uint8Array(length));
}

/** A component identifier as a serialisable value (hex of each element). */
export function componentIdToHex(id: SuitComponentIdentifier): string[] {
  return id.map((b) => toHex(b));
}
export function componentIdFromHex(id: readonly string[]): Uint8Array[] {
  return id.map((h) => fromHex(h));
}
export function componentKey(id: SuitComponentIdentifier): string {
  return componentIdToHex(id).join('/');
}

/** err-msg / msg are `text .size (1..128)` bytes (-26 §4.6): cut at a character boundary. */
export function shortText(text: string, maxBytes = 128): string {
  const enc = new TextEncoder();
  let out = text.length ? text : '-';
  while (enc.encode(out).length > maxBytes) out = out.slice(0, -1);
  return out;
}
