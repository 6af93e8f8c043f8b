/**
 * The parsed form of diagnostic notation (edn.ts) and its encoding to CBOR bytes. It keeps what
 * the data model (cbor-value.ts) cannot: encoding indicators (`_i`, `_0`..`_3`, RFC 8610 App. G.2)
 * and indefinite lengths, so `otrp encode` writes exactly the bytes the notation describes.
 */
import { CborUnencodable } from './errors.js';
import { AI, MT } from './head.js';
import type { FloatWidth } from './float.js';
import { ByteWriter } from './writer.js';

/** `ai` forces the head's additional information (0..27); undefined = shortest. */
export type EdnNode =
  | { kind: 'int'; at: number; negative: boolean; arg: bigint; ai?: number }
  | { kind: 'float'; at: number; value: number; width?: FloatWidth }
  | { kind: 'string'; at: number; major: 2 | 3; data: Uint8Array; ai?: number }
  | { kind: 'chunked'; at: number; major: 2 | 3; chunks: EdnNode[] }
  | { kind: 'array'; at: number; items: EdnNode[]; indefinite: boolean; ai?: number }
  | { kind: 'map'; at: number; entries: [EdnNode, EdnNode][]; indefinite: boolean; ai?: number }
  | { kind: 'tag'; at: number; tag: bigint; ai?: number; item: EdnNode }
  | { kind: 'simple'; at: number; value: number };

/** Thrown with the offset of the node whose encoding failed, so the parser can report line:column. */
export class EdnEncodeFailure extends Error {
  constructor(
    readonly at: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

export function writeEdnNode(w: ByteWriter, n: EdnNode): void {
  try {
    writeNode(w, n);
  } catch (e) {
    if (e instanceof CborUnencodable) throw new EdnEncodeFailure(n.at, e.message);
    throw e;
  }
}

function writeNode(w: ByteWriter, n: EdnNode): void {
  switch (n.kind) {
    case 'int':
      w.head(n.negative ? MT.NEGINT : MT.UINT, n.arg, n.ai);
      return;
    case 'float':
      w.float(n.value, n.width);
      return;
    case 'string':
      w.head(n.major, n.data.length, n.ai);
      w.bytes(n.data);
      return;
    case 'chunked':
      w.indefinite(n.major);
      for (const c of n.chunks) writeEdnNode(w, c);
      w.break();
      return;
    case 'array':
      if (n.indefinite) w.indefinite(MT.ARRAY);
      else w.head(MT.ARRAY, n.items.length, n.ai);
      for (const item of n.items) writeEdnNode(w, item);
      if (n.indefinite) w.break();
      return;
    case 'map':
      if (n.indefinite) w.indefinite(MT.MAP);
      else w.head(MT.MAP, n.entries.length, n.ai);
      for (const [k, v] of n.entries) {
        writeEdnNode(w, k);
        writeEdnNode(w, v);
      }
      if (n.indefinite) w.break();
      return;
    case 'tag':
      w.head(MT.TAG, n.tag, n.ai);
      writeEdnNode(w, n.item);
      return;
    case 'simple':
      w.simple(n.value);
      return;
  }
}

/** Encoding indicator text -> additional information for heads (`_i` = in the initial byte). */
export function indicatorAi(ind: string, arg: bigint): number {
  if (ind === 'i') {
    if (arg >= 24n) throw new CborUnencodable(`_i needs an argument below 24, not ${arg}`);
    return Number(arg);
  }
  return AI.ONE_BYTE + Number(ind);
}
