/**
 * The diagnostic-notation printer (EDN: RFC 8949 §8, RFC 8610 Appendix G) for any item of the otrp
 * data model. Its output parses back (edn.ts) to the same bytes that encodeCbor gives:
 * floats carry an `_1`/`_2`/`_3` encoding indicator when their width is not the preferred one,
 * and a byte string is shown as embedded CBOR `<< .. >>` only when it holds exactly one array, map
 * or tag that re-encodes to exactly the same bytes (otherwise `h'..'`).
 *
 * Higher layers name structures through an `annotate` hook that sees each item with its place in
 * the tree (cose/diag-hints.ts names COSE messages and header labels this way).
 */
import { CborFloat, CborSimple, CborTag, type CborValue } from './cbor-value.js';
import { decodeCbor, encodeCbor } from './cbor.js';
import { compareBytes } from './cbor-encode.js';
import { CborError, CborUnencodable } from './errors.js';
import { MT } from './head.js';
import { toHex } from './hex.js';

/** One item being printed, with how it sits in its parent. */
export interface DiagNode {
  readonly value: CborValue;
  /**
   * `root`; `item` of an array (index = position); `key` or `value` of a map entry (index = entry
   * number, `key` = the entry's key); `content` of a tag; `embedded`: the item a byte string holds.
   */
  readonly role: 'root' | 'item' | 'key' | 'value' | 'content' | 'embedded';
  readonly index: number;
  readonly key?: CborValue;
  readonly parent: DiagNode | undefined;
}

/** A comment placed before and/or after an item: `/ before / item / after /`. */
export interface DiagComment {
  before?: string;
  after?: string;
}

export type DiagAnnotator = (node: DiagNode) => DiagComment | string | undefined;

export interface DiagOptions {
  /** Spaces per nesting level; 0 or absent prints everything on one line. */
  indent?: number;
  /** Show byte strings that hold one well-formed array, map or tag as `<< .. >>` (default true). */
  embedded?: boolean;
  /** Supplies comments per item. */
  annotate?: DiagAnnotator;
}

const INLINE_WIDTH = 72;

/** Prints `value` in diagnostic notation. Values outside the data model give ERR_CBOR_UNENCODABLE. */
export function printDiagnostic(value: CborValue, options: DiagOptions = {}): string {
  const p = new Printer(options.indent ?? 0, options.embedded !== false, options.annotate);
  try {
    return p.item({ value, role: 'root', index: 0, parent: undefined }, 0);
  } catch (e) {
    if (e instanceof CborError) throw e;
    throw new CborUnencodable('value is cyclic or nested too deeply to print', { cause: e });
  }
}

/** Decodes `bytes` (strict defaults, `options` as for decodeCbor) and prints the item. */
export function diagnose(bytes: Uint8Array, options: DiagOptions = {}): string {
  return printDiagnostic(decodeCbor(bytes), options);
}

class Printer {
  constructor(
    private readonly indent: number,
    private readonly embedded: boolean,
    private readonly annotate: DiagAnnotator | undefined,
  ) {}

  item(node: DiagNode, level: number): string {
    const note = this.annotate?.(node);
    const c = typeof note === 'string' ? { before: note } : (note ?? {});
    const body = this.body(node, level);
    return (c.before ? `${comment(c.before)} ` : '') + body + (c.after ? ` ${comment(c.after)}` : '');
  }

  private body(node: DiagNode, level: number): string {
    const v = node.value;
    switch (typeof v) {
      case 'number':
        if (Number.isInteger(v) && Math.abs(v) < 2 ** 64) return Number.isSafeInteger(v) ? String(v === 0 ? 0 : v) : BigInt(v).toString();
        return float(v, undefined);
      case 'bigint':
        return v.toString();
      case 'string':
        return quote(v);
      case 'boolean':
        return String(v);
      case 'undefined':
        return 'undefined';
      case 'object':
        if (v === null) return 'null';
        if (v instanceof Uint8Array) return this.bytes(node, v, level);
        if (Array.isArray(v)) {
          const parts = v.map((x, i) => this.item({ value: x, role: 'item', index: i, parent: node }, level + 1));
          return this.container('[', ']', parts, level);
        }
        if (v instanceof Map) {
          let i = 0;
          const parts: string[] = [];
          for (const [k, x] of v) {
            const key = this.item({ value: k, role: 'key', index: i, key: k, parent: node }, level + 1);
            parts.push(`${key}: ${this.item({ value: x, role: 'value', index: i, key: k, parent: node }, level + 1)}`);
            i++;
          }
          return this.container('{', '}', parts, level);
        }
        if (v instanceof CborTag) return `${v.tag}(${this.item({ value: v.value, role: 'content', index: 0, parent: node }, level)})`;
        if (v instanceof CborFloat) return float(v.value, v.width);
        if (v instanceof CborSimple) return `simple(${v.value})`;
        throw new CborUnencodable(`${(v as object).constructor?.name ?? 'object'} is not in the CBOR data model`);
      default:
        throw new CborUnencodable(`a ${typeof v} is not in the CBOR data model`);
    }
  }

  private bytes(node: DiagNode, v: Uint8Array, level: number): string {
    const inner = this.embedded ? embeddedItem(v) : undefined;
    if (inner === undefined) return `h'${toHex(v)}'`;
    return `<< ${this.item({ value: inner, role: 'embedded', index: 0, parent: node }, level)} >>`;
  }

  private container(open: string, close: string, parts: string[], level: number): string {
    if (parts.length === 0) return open + close;
    const flat = `${open}${parts.join(', ')}${close}`;
    if (this.indent === 0 || (flat.length + level * this.indent <= INLINE_WIDTH && !flat.includes('\n'))) return flat;
    const pad = ' '.repeat((level + 1) * this.indent);
    return `${open}\n${parts.map((s) => pad + s).join(',\n')}\n${' '.repeat(level * this.indent)}${close}`;
  }
}

/** The one array, map or tag that `bytes` holds, if it re-encodes to exactly `bytes`. */
export function embeddedItem(bytes: Uint8Array): CborValue | undefined {
  if (bytes.length === 0) return undefined;
  const major = bytes[0]! >> 5;
  if (major !== MT.ARRAY && major !== MT.MAP && major !== MT.TAG) return undefined;
  try {
    const value = decodeCbor(bytes);
    return compareBytes(encodeCbor(value), bytes) === 0 ? value : undefined;
  } catch {
    return undefined;
  }
}

/** A float literal that parses back to the same value, with the width indicator when needed. */
function float(v: number, width: 2 | 4 | 8 | undefined): string {
  let s: string;
  if (Number.isNaN(v)) s = 'NaN';
  else if (v === Infinity) s = 'Infinity';
  else if (v === -Infinity) s = '-Infinity';
  else if (Object.is(v, -0)) s = '-0.0';
  else {
    s = String(v);
    if (!/[.e]/.test(s)) s += '.0';
    else if (!s.includes('.')) s = s.replace('e', '.0e');
  }
  return width === undefined ? s : `${s}_${width === 2 ? 1 : width === 4 ? 2 : 3}`;
}

/** A JSON-style quoted text string (RFC 8610 App. G.1); controls and DEL as \u escapes. */
export function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** An EDN comment; a `/` inside would end it early, so it becomes U+2215 (division slash). */
function comment(text: string): string {
  return `/ ${text.replace(/\//g, '\u2215')} /`;
}
