/**
 * One safe, injective mapping between SUIT_Component_Identifiers ([* bstr], manifest-37 §8.4.5.1)
 * and file names, and from fetch URIs to relative paths (used by the CLI's component directory and
 * --fetch-root; pure, so it is testable here).
 *
 * File name = the elements joined by ".", each element either
 *   - itself, when it is 1-64 bytes of [a-z0-9_-] (lower case only: case-insensitive file systems
 *     must not merge two identifiers), or
 *   - "~" followed by its lowercase hex (any other element, including the empty one).
 * Neither form contains "." or "/", a text element never starts with "~", and each identifier has
 * exactly one encoding, so the mapping is injective and no name is ".", ".." or a path.
 */
import { toHex } from './cbor-util.js';
import { SuitInvalidFileName } from './errors.js';
import type { SuitComponentId } from './manifest.js';

const PLAIN = /^[a-z0-9_-]{1,64}$/;
const HEX = /^~(?:[0-9a-f]{2})*$/;
const MAX_NAME = 255;

function isPlain(b: Uint8Array): boolean {
  if (b.length < 1 || b.length > 64) return false;
  for (const c of b) if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x2d)) return false;
  return true;
}

/** The file name of a component identifier (SuitInvalidFileName for an empty identifier or a name over 255 bytes). */
export function componentIdToFileName(id: SuitComponentId): string {
  if (id.length === 0) throw new SuitInvalidFileName('an empty component identifier has no file name');
  const name = id.map((b) => (isPlain(b) ? new TextDecoder().decode(b) : `~${toHex(b)}`)).join('.');
  if (name.length > MAX_NAME) throw new SuitInvalidFileName('component identifier too long for a file name');
  return name;
}

/** The component identifier of a file name produced by componentIdToFileName; anything else is refused. */
export function fileNameToComponentId(name: string): Uint8Array[] {
  if (name.length === 0 || name.length > MAX_NAME) throw new SuitInvalidFileName('not a component file name');
  return name.split('.').map((part) => {
    if (PLAIN.test(part)) return new TextEncoder().encode(part);
    if (HEX.test(part)) {
      const bytes = new Uint8Array((part.length - 1) / 2);
      for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(part.slice(1 + 2 * i, 3 + 2 * i), 16);
      if (isPlain(bytes)) throw new SuitInvalidFileName('not the canonical file name of its component'); // keeps the mapping one-to-one
      return bytes;
    }
    throw new SuitInvalidFileName('not a component file name');
  });
}

const SEGMENT = /^[A-Za-z0-9._~-]+$/;

/**
 * Relative path segments under a fetch root for a URI: `scheme://host/a/b` -> [host, a, b]; a relative
 * URI `a/b` -> [a, b]. Refuses ".", "..", empty segments, percent-escapes, queries, fragments and any
 * character outside RFC 3986 unreserved, so the result always stays inside the root.
 */
export function uriToRelativePath(uri: string): string[] {
  const m = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/([^/?#]*)(\/[^?#]*)?$/.exec(uri);
  const segments = m ? [m[1]!.toLowerCase(), ...(m[2] ?? '').split('/').slice(1)] : uri.split('/');
  if (!m && /[:?#]/.test(uri)) throw new SuitInvalidFileName('URI cannot be mapped to a file');
  if (segments.length === 0 || segments.some((s) => !SEGMENT.test(s) || s === '.' || s === '..')) {
    throw new SuitInvalidFileName('URI cannot be mapped to a file inside the fetch root');
  }
  return segments;
}
