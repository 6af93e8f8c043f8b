/**
 * The lexical layer of the EDN parser (edn.ts): a cursor over the text with whitespace and
 * comments (`/ block /`, `# line`; RFC 8610 App. G.6 and the EDN draft), string literals
 * ("text" with JSON escapes, 'bytes', h'hex' with comments inside, b64'..'), and errors that
 * carry the 1-based line:column of the offending character.
 */
import { concatBytes } from './bytes.js';
import { EdnSyntaxError } from './errors.js';

export class EdnCursor {
  protected i = 0;

  constructor(protected readonly s: string) {}

  protected quoted(q: string): string {
    const start = this.i;
    let out = '';
    for (this.i++; ; ) {
      const ch = this.s[this.i];
      if (ch === undefined) this.fail('unterminated string', start);
      this.i++;
      if (ch === q) return out;
      if (ch !== '\\') {
        out += ch;
        continue;
      }
      const e = this.s[this.i++];
      const simple: Record<string, string> = { '"': '"', "'": "'", '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (e !== undefined && simple[e] !== undefined) out += simple[e];
      else if (e === 'u') {
        const hex = this.s.slice(this.i, this.i + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('\\u needs four hex digits', this.i - 2);
        out += String.fromCharCode(parseInt(hex, 16));
        this.i += 4;
      } else this.fail('unknown escape', this.i - 2);
    }
  }

  protected hex(): Uint8Array {
    const start = this.i;
    this.i += 2;
    const digits: number[] = [];
    for (;;) {
      this.skip();
      const ch = this.s[this.i];
      if (ch === undefined) this.fail("unterminated h''", start);
      if (ch === "'") break;
      const d = parseInt(ch, 16);
      if (Number.isNaN(d)) this.fail(ch === '.' ? "ellipses are not valid inside h''" : `invalid hex digit ${JSON.stringify(ch)}`);
      digits.push(d);
      this.i++;
    }
    this.i++;
    if (digits.length % 2) this.fail("odd number of hex digits in h''", start);
    const out = new Uint8Array(digits.length / 2);
    for (let k = 0; k < out.length; k++) out[k] = (digits[2 * k]! << 4) | digits[2 * k + 1]!;
    return out;
  }

  protected base64(): Uint8Array {
    const start = this.i;
    const end = this.s.indexOf("'", this.i + 4);
    if (end < 0) this.fail("unterminated b64''", start);
    const body = this.s.slice(this.i + 4, end).replace(/\s+/g, '').replace(/=+$/, '');
    this.i = end + 1;
    if (!/^[A-Za-z0-9+/_-]*$/.test(body) || body.length % 4 === 1) this.fail("invalid base64 in b64''", start);
    const std = body.replace(/-/g, '+').replace(/_/g, '/');
    const bin = atob(std + '='.repeat((4 - (std.length % 4)) % 4));
    return Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
  }

  /** Whitespace, `/ block /` and `# line` comments. */
  protected skip(): void {
    const s = this.s;
    for (;;) {
      const c = s[this.i];
      if (c === ' ' || c === '\n' || c === '\r' || c === '\t') this.i++;
      else if (c === '/') {
        const end = s.indexOf('/', this.i + 1);
        if (end < 0) this.fail('unterminated / comment /');
        this.i = end + 1;
      } else if (c === '#') {
        const end = s.indexOf('\n', this.i);
        this.i = end < 0 ? s.length : end + 1;
      } else return;
    }
  }

  protected eat(c: string): boolean {
    if (this.s[this.i] !== c) return false;
    this.i++;
    return true;
  }

  protected expect(c: string): void {
    if (!this.eat(c)) this.fail(this.s[this.i] === undefined ? `missing ${JSON.stringify(c)}` : `expected ${JSON.stringify(c)}`);
  }

  protected fail(message: string, at = this.i): never {
    const before = this.s.slice(0, at);
    const line = before.split('\n').length;
    const column = at - before.lastIndexOf('\n');
    throw new EdnSyntaxError(message, line, column);
  }
}

/** Joins byte strings (concatenated string pieces, RFC 8610 App. G.4). */
export function concat(parts: Uint8Array[]): Uint8Array {
  return concatBytes(...parts);
}
