/**
 * The diagnostic-notation parser (EDN: RFC 8949 §8, RFC 8610 Appendix G, and what the TEEP/SUIT
 * drafts write): EDN text -> CBOR bytes, or -> a CborValue through decodeCbor.
 *
 * Accepted: `/ block /` and `# line` comments anywhere whitespace may go (also inside h''),
 * integers (decimal, 0x, 0o, 0b) and floats (JSON syntax, NaN, Infinity, -Infinity) with encoding
 * indicators `_i`, `_0`..`_3`; "text", 'bytes', h'hex', b64'base64(url)' and `<< item, ... >>`
 * (an embedded CBOR sequence), juxtaposed pieces concatenated (G.4); `[..]`, `{..}` with optional
 * trailing comma; `[_ ..]`, `{_ ..}`, `(_ chunk, ..)` indefinite lengths; tags `n(item)`;
 * `simple(n)`, true, false, null, undefined. Not accepted: `...` ellipses (the drafts use them to
 * elide, they are not data), other application prefixes. Errors: EdnSyntaxError with line:column.
 */
import type { CborValue } from './cbor-value.js';
import { decodeCbor } from './cbor.js';
import { CborUnencodable } from './errors.js';
import { EdnCursor, concat } from './edn-lexer.js';
import { EdnEncodeFailure, indicatorAi, writeEdnNode, type EdnNode } from './edn-ast.js';
import type { FloatWidth } from './float.js';
import { ByteWriter } from './writer.js';

export interface EdnOptions {
  /** Parse a comma-separated CBOR sequence (RFC 8742) instead of exactly one item. */
  sequence?: boolean;
  /** Maximum nesting of the notation (default 512). */
  maxDepth?: number;
}

const utf8 = new TextEncoder();
const NUMBER = /-?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/y;
const INDICATOR = /_(i|[0-3])/y;
const IDENT = /[A-Za-z][A-Za-z0-9]*/y;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Encodes EDN text to the CBOR bytes it describes (encoding indicators and indefinite lengths kept). */
export function ednToCbor(text: string, options: EdnOptions = {}): Uint8Array<ArrayBuffer> {
  const p = new Parser(text, options.maxDepth ?? 512);
  const nodes = p.document(options.sequence === true);
  const w = new ByteWriter();
  for (const n of nodes) p.write(w, n);
  return w.finish();
}

/** Parses EDN text into one CborValue (via its bytes and decodeCbor, indefinite lengths allowed). */
export function parseDiagnostic(text: string, options: Omit<EdnOptions, 'sequence'> = {}): CborValue {
  return decodeCbor(ednToCbor(text, options), { allowIndefinite: true });
}

class Parser extends EdnCursor {
  private depth = 0;

  constructor(
    s: string,
    private readonly maxDepth: number,
  ) {
    super(s);
  }

  document(sequence: boolean): EdnNode[] {
    const out: EdnNode[] = [];
    this.skip();
    if (!sequence) out.push(this.item());
    else
      while (this.i < this.s.length) {
        out.push(this.item());
        this.skip();
        if (!this.eat(',')) break;
        this.skip();
      }
    this.skip();
    if (this.i < this.s.length) this.fail(`unexpected ${JSON.stringify(this.s[this.i])} after the item`);
    return out;
  }

  write(w: ByteWriter, n: EdnNode): void {
    try {
      writeEdnNode(w, n);
    } catch (e) {
      if (e instanceof EdnEncodeFailure) this.fail(e.reason, e.at);
      throw e;
    }
  }

  private item(): EdnNode {
    const at = this.i;
    const c = this.s[this.i];
    if (c === undefined) this.fail('unexpected end of input, an item was expected');
    if (c === '[' || c === '{') return this.nested(() => (c === '[' ? this.array() : this.map()));
    if (c === '(' && this.s[this.i + 1] === '_') return this.nested(() => this.chunked());
    if (c === '"' || c === "'" || c === '<' || this.s.startsWith("h'", this.i) || this.s.startsWith("b64'", this.i)) return this.strings();
    if (c === '-' || (c >= '0' && c <= '9')) {
      if (this.s.startsWith('-Infinity', this.i)) {
        this.i += 9;
        return { kind: 'float', at, value: -Infinity, width: this.floatWidth() };
      }
      return this.number();
    }
    IDENT.lastIndex = this.i;
    const id = IDENT.exec(this.s)?.[0];
    if (id === undefined) this.fail(c === '.' ? 'ellipses are not valid notation' : `unexpected ${JSON.stringify(c)}`);
    this.i += id.length;
    switch (id) {
      case 'false':
      case 'true':
      case 'null':
      case 'undefined':
        return { kind: 'simple', at, value: { false: 20, true: 21, null: 22, undefined: 23 }[id] };
      case 'NaN':
      case 'Infinity':
        return { kind: 'float', at, value: id === 'NaN' ? NaN : Infinity, width: this.floatWidth() };
      case 'simple': {
        this.skip();
        this.expect('(');
        this.skip();
        const n = this.number();
        this.skip();
        this.expect(')');
        if (n.kind !== 'int' || n.negative || n.ai !== undefined || n.arg > 255n) this.fail('simple() takes an integer 0..255', at);
        return { kind: 'simple', at, value: Number(n.arg) };
      }
      default:
        return this.fail(`unknown word ${JSON.stringify(id)}`, at);
    }
  }

  private nested(f: () => EdnNode): EdnNode {
    if (++this.depth > this.maxDepth) this.fail(`nesting deeper than ${this.maxDepth}`);
    const n = f();
    this.depth--;
    return n;
  }

  private number(): EdnNode {
    const at = this.i;
    NUMBER.lastIndex = at;
    const m = NUMBER.exec(this.s);
    if (!m) this.fail('malformed number');
    const t = m[0];
    this.i += t.length;
    if (/^-?\d/.test(t) && /[.eE]/.test(t) && !/^-?0[xXoObB]/.test(t)) return { kind: 'float', at, value: Number(t), width: this.floatWidth() };
    const negative = t.startsWith('-');
    const magnitude = BigInt(negative ? t.slice(1) : t);
    if (negative && magnitude === 0n) return this.fail('-0 is not an integer (write -0.0)', at);
    const arg = negative ? magnitude - 1n : magnitude;
    const ind = this.indicator();
    const save = this.i;
    this.skip();
    if (this.s[this.i] !== '(') this.i = save;
    else {
      if (negative) this.fail('a tag number cannot be negative', at);
      this.i++;
      const item = this.nested(() => (this.skip(), this.item()));
      this.skip();
      this.expect(')');
      return { kind: 'tag', at, tag: arg, ai: this.ai(ind, arg, at), item };
    }
    return { kind: 'int', at, negative, arg, ai: this.ai(ind, arg, at) };
  }

  private floatWidth(): FloatWidth | undefined {
    const ind = this.indicator();
    if (ind === undefined) return undefined;
    if (ind === 'i' || ind === '0') this.fail(`_${ind} is not a float width (use _1, _2 or _3)`);
    return ind === '1' ? 2 : ind === '2' ? 4 : 8;
  }

  private indicator(): string | undefined {
    INDICATOR.lastIndex = this.i;
    const m = INDICATOR.exec(this.s);
    if (!m) return undefined;
    this.i += m[0].length;
    return m[1];
  }

  private ai(ind: string | undefined, arg: bigint, at: number): number | undefined {
    if (ind === undefined) return undefined;
    try {
      return indicatorAi(ind, arg);
    } catch (e) {
      if (e instanceof CborUnencodable) this.fail(e.message, at);
      throw e;
    }
  }

  private array(): EdnNode {
    const at = this.i++;
    const { indefinite, ind } = this.openMarker();
    const items: EdnNode[] = [];
    this.list(']', () => items.push(this.item()));
    return { kind: 'array', at, items, indefinite, ai: this.ai(ind, BigInt(items.length), at) };
  }

  private map(): EdnNode {
    const at = this.i++;
    const { indefinite, ind } = this.openMarker();
    const entries: [EdnNode, EdnNode][] = [];
    this.list('}', () => {
      const k = this.item();
      this.skip();
      this.expect(':');
      this.skip();
      entries.push([k, this.item()]);
    });
    return { kind: 'map', at, entries, indefinite, ai: this.ai(ind, BigInt(entries.length), at) };
  }

  /** After `[` or `{`: `_` (indefinite) or an encoding indicator for the count. */
  private openMarker(): { indefinite: boolean; ind?: string } {
    if (this.s[this.i] !== '_') return { indefinite: false };
    const ind = this.indicator();
    if (ind !== undefined) return { indefinite: false, ind };
    this.i++;
    return { indefinite: true };
  }

  /** Comma-separated items up to `close` (a trailing comma is allowed). */
  private list(close: string, one: () => void): void {
    this.skip();
    while (!this.eat(close)) {
      one();
      this.skip();
      if (this.eat(',')) this.skip();
      else if (this.s[this.i] !== close) this.fail(this.s[this.i] === undefined ? `missing ${close}` : `expected , or ${close}`);
    }
  }

  private chunked(): EdnNode {
    const at = this.i;
    this.i += 2;
    const chunks: EdnNode[] = [];
    this.list(')', () => {
      const c = this.item();
      if (c.kind !== 'string') this.fail('an indefinite-length string holds only definite strings', c.at);
      chunks.push(c);
    });
    const major = chunks[0]?.kind === 'string' ? chunks[0].major : 2;
    if (chunks.some((c) => c.kind !== 'string' || c.major !== major)) this.fail('chunks of an indefinite-length string must all be text or all bytes', at);
    return { kind: 'chunked', at, major, chunks };
  }

  /** One or more juxtaposed string pieces, concatenated (RFC 8610 App. G.4). */
  private strings(): EdnNode {
    const at = this.i;
    const first = this.piece();
    const parts = [first.data];
    for (;;) {
      const save = this.i;
      this.skip();
      const c = this.s[this.i];
      if (!(c === '"' || c === "'" || c === '<' || this.s.startsWith("h'", this.i) || this.s.startsWith("b64'", this.i))) {
        this.i = save;
        break;
      }
      const next = this.piece();
      if (first.major === 3 && next.major !== 3) this.fail('a text string can only be continued by text', next.at);
      parts.push(next.data);
    }
    const data = parts.length === 1 ? parts[0]! : concat(parts);
    const ind = this.indicator();
    return { kind: 'string', at, major: first.major, data, ai: this.ai(ind, BigInt(data.length), at) };
  }

  private piece(): { major: 2 | 3; data: Uint8Array; at: number } {
    const at = this.i;
    const c = this.s[this.i]!;
    if (c === '"') {
      const text = this.quoted('"');
      if (LONE_SURROGATE.test(text)) this.fail('a text string cannot hold a lone surrogate (\\u escape)', at);
      return { major: 3, data: utf8.encode(text), at };
    }
    if (c === "'") return { major: 2, data: utf8.encode(this.quoted("'")), at };
    if (c === '<') {
      if (this.s[this.i + 1] !== '<') this.fail('unexpected "<" (embedded CBOR is << .. >>)');
      this.i += 2;
      const w = new ByteWriter();
      this.nested(() => {
        this.list('>', () => this.write(w, this.item()));
        return { kind: 'simple', at, value: 0 };
      });
      this.expect('>');
      return { major: 2, data: w.finish(), at };
    }
    if (c === 'h') return { major: 2, data: this.hex(), at };
    return { major: 2, data: this.base64(), at };
  }
}
