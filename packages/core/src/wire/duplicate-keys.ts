/**
 * Duplicate map keys that are objects in JS (byte strings, arrays, maps, tags, floats, simple
 * values): cborg's Map lookup compares those by identity, so they are compared here by their core
 * deterministic encoding (RFC 8949 §4.2.1), which makes equal data items equal bytes (§5.6.1).
 */
import { CborTag, type CborValue } from './cbor-value.js';
import { ByteWriter } from './writer.js';
import { encodeItem } from './cbor-encode.js';
import { toHex } from './hex.js';

/** Walks `root` (iteratively) and returns the hex of the first duplicated object key, if any. */
export function findDuplicateObjectKey(root: CborValue): string | undefined {
  const todo: CborValue[] = [root];
  while (todo.length > 0) {
    const v = todo.pop();
    if (Array.isArray(v)) todo.push(...v);
    else if (v instanceof CborTag) todo.push(v.value);
    else if (v instanceof Map) {
      const seen = new Set<string>();
      for (const [k, val] of v) {
        todo.push(k, val);
        if (k === null || typeof k !== 'object') continue;
        const w = new ByteWriter();
        encodeItem(w, k, true);
        const id = toHex(w.finish());
        if (seen.has(id)) return id;
        seen.add(id);
      }
    }
  }
  return undefined;
}
