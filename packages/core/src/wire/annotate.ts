/**
 * The annotated hex dump, in the style of cbor.me and the drafts' `.pretty.txt` files: one line per
 * head, indented by nesting, with a `# comment` naming what the head encodes. String contents follow
 * on their own lines; a byte string that holds one well-formed array, map or tag (embedded CBOR,
 * RFC 8949 §3.4.5.1) is dumped nested instead of as raw hex.
 */
import { CborTrailingBytes } from './errors.js';
import { AI, MT, readHead, type Head } from './head.js';
import { readFloat, type FloatWidth } from './float.js';
import { scanItem } from './scan.js';
import { embeddedItem, quote } from './diag.js';
import { DEFAULT_MAX_DEPTH } from './cbor.js';
import { toHex } from './hex.js';

export interface AnnotateOptions {
  /** Maximum nesting (default 128, as for decodeCbor). */
  maxDepth?: number;
  /** Bytes of string content per line (default 32). */
  bytesPerLine?: number;
}

const STEP = '   ';
const MAX_COLUMN = 40;

/** Dumps one CBOR item (indefinite lengths allowed) as annotated hex; malformed input is a CborError. */
export function annotateHex(bytes: Uint8Array, options: AnnotateOptions = {}): string {
  const { end } = scanItem(bytes, 0, { maxDepth: options.maxDepth ?? DEFAULT_MAX_DEPTH, allowIndefinite: true, requirePreferred: false });
  if (end !== bytes.length) throw new CborTrailingBytes(`${bytes.length - end} byte(s) after the item`, { offset: end });
  const lines: [string, string | undefined][] = [];
  new Dumper(bytes, options.bytesPerLine ?? 32, lines).item(0, 0);
  const column = Math.min(MAX_COLUMN, Math.max(...lines.filter(([, c]) => c !== undefined).map(([t]) => t.length)) + 2);
  return lines.map(([t, c]) => (c === undefined ? t : `${t.padEnd(column)}# ${c}`)).join('\n') + '\n';
}

class Dumper {
  constructor(
    private readonly data: Uint8Array,
    private readonly perLine: number,
    private readonly lines: [string, string | undefined][],
  ) {}

  /** Dumps the item at `pos`; returns the offset after it. */
  item(pos: number, level: number): number {
    const h = readHead(this.data, pos);
    const pad = STEP.repeat(level);
    const headHex = toHex(this.data.subarray(pos, pos + h.length));
    this.lines.push([pad + headHex, describe(h, this.data, pos)]);
    let p = pos + h.length;
    const indefinite = h.ai === AI.INDEFINITE;
    switch (h.major) {
      case MT.BYTES:
      case MT.TEXT:
        if (indefinite) return this.untilBreak(level, () => (p = this.item(p, level + 1)), () => p);
        return this.content(p, Number(h.arg), h.major, level + 1);
      case MT.ARRAY:
      case MT.MAP: {
        if (indefinite) return this.untilBreak(level, () => (p = this.item(p, level + 1)), () => p);
        const n = Number(h.arg) * (h.major === MT.MAP ? 2 : 1);
        for (let i = 0; i < n; i++) p = this.item(p, level + 1);
        return p;
      }
      case MT.TAG:
        return this.item(p, level + 1);
      default:
        return p;
    }
  }

  private untilBreak(level: number, one: () => void, pos: () => number): number {
    while (this.data[pos()] !== 0xff) one();
    this.lines.push([STEP.repeat(level + 1) + 'ff', 'break']);
    return pos() + 1;
  }

  private content(pos: number, len: number, major: number, level: number): number {
    const body = this.data.subarray(pos, pos + len);
    const pad = STEP.repeat(level);
    if (major === MT.BYTES && embeddedItem(body) !== undefined) {
      const head = this.lines[this.lines.length - 1]!;
      head[1] += ', embedded CBOR:';
      this.item(pos, level);
      return pos + len;
    }
    if (len === 0) return pos;
    const note = major === MT.TEXT ? quote(new TextDecoder().decode(body)) : undefined;
    for (let i = 0; i < len; i += this.perLine) {
      const chunk = toHex(body.subarray(i, i + this.perLine));
      this.lines.push([pad + chunk, i === 0 && note !== undefined && note.length <= 48 ? note : undefined]);
    }
    return pos + len;
  }
}

function describe(h: Head, data: Uint8Array, pos: number): string {
  const n = h.ai === AI.INDEFINITE ? '*' : String(h.arg);
  switch (h.major) {
    case MT.UINT:
      return `unsigned(${n})`;
    case MT.NEGINT:
      return `negative(${typeof h.arg === 'bigint' ? -1n - h.arg : -1 - h.arg})`;
    case MT.BYTES:
      return `bytes(${n})`;
    case MT.TEXT:
      return `text(${n})`;
    case MT.ARRAY:
      return `array(${n})`;
    case MT.MAP:
      return `map(${n})`;
    case MT.TAG:
      return `tag(${n})`;
    default:
      if (h.ai === AI.FALSE) return 'false';
      if (h.ai === AI.TRUE) return 'true';
      if (h.ai === AI.NULL) return 'null';
      if (h.ai === AI.UNDEFINED) return 'undefined';
      if (h.ai === AI.INDEFINITE) return 'break';
      if (h.ai >= AI.TWO_BYTES) {
        const width = (1 << (h.ai - AI.ONE_BYTE)) as FloatWidth;
        return `float${width * 8}(${readFloat(data, pos + 1, width)})`;
      }
      return `simple(${h.arg})`;
  }
}
