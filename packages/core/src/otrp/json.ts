/**
 * Strict parsing of incoming OTrP JSON (RFC 8259) with limits on by default: total size, nesting
 * depth, string length, members per object, array length. Everything wrong is an OtrpJsonLimit or
 * OtrpRequestInvalid (both ERR_REQUEST_INVALID on the wire, §13.1.1); JSON.parse's SyntaxError and
 * the stack overflow a deep document could cause never escape (the depth is checked before parsing).
 */
import { OtrpJsonLimit, OtrpRequestInvalid } from './errors.js';

export interface OtrpJsonLimits {
  /** Bytes of UTF-8 (default 4 MiB: InstallTA carries the encrypted TA binary). */
  maxBytes?: number;
  /** Nesting depth of objects/arrays (default 16; the deepest OTrP message, a DSI in a JWE, is < 10). */
  maxDepth?: number;
  /** Characters per string (default 4 Mi). */
  maxStringLength?: number;
  /** Members per object / items per array (default 1024). */
  maxMembers?: number;
}

const DEFAULTS: Required<OtrpJsonLimits> = { maxBytes: 4 * 1024 * 1024, maxDepth: 16, maxStringLength: 4 * 1024 * 1024, maxMembers: 1024 };

/** Parses `input` (UTF-8 bytes or text) as one JSON value under `limits`. */
export function parseOtrpJson(input: Uint8Array | string, limits: OtrpJsonLimits = {}): unknown {
  const l = { ...DEFAULTS, ...limits };
  let text: string;
  if (typeof input === 'string') {
    if (input.length > l.maxBytes) throw new OtrpJsonLimit(`message larger than ${l.maxBytes} bytes`);
    text = input;
  } else {
    if (input.length > l.maxBytes) throw new OtrpJsonLimit(`message larger than ${l.maxBytes} bytes`);
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch (e) {
      throw new OtrpRequestInvalid('message is not UTF-8', { cause: e });
    }
  }
  checkDepth(text, l.maxDepth);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new OtrpRequestInvalid('message is not JSON', { cause: e });
  }
  checkSizes(value, l);
  return value;
}

/** Bracket depth outside strings, scanned before JSON.parse so a deep document cannot overflow the stack. */
function checkDepth(text: string, maxDepth: number): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) throw new OtrpJsonLimit(`JSON nested deeper than ${maxDepth}`);
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
}

function checkSizes(v: unknown, l: Required<OtrpJsonLimits>): void {
  if (typeof v === 'string') {
    if (v.length > l.maxStringLength) throw new OtrpJsonLimit(`string longer than ${l.maxStringLength}`);
  } else if (Array.isArray(v)) {
    if (v.length > l.maxMembers) throw new OtrpJsonLimit(`array longer than ${l.maxMembers}`);
    for (const x of v) checkSizes(x, l);
  } else if (typeof v === 'object' && v !== null) {
    const keys = Object.keys(v);
    if (keys.length > l.maxMembers) throw new OtrpJsonLimit(`object with more than ${l.maxMembers} members`);
    for (const k of keys) {
      if (k.length > l.maxStringLength) throw new OtrpJsonLimit('member name too long');
      checkSizes((v as Record<string, unknown>)[k], l);
    }
  }
}
