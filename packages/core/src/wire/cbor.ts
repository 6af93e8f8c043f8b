/**
 * CBOR decode/encode (RFC 8949) for the whole project.
 *
 * Decoding is strict by default and runs in two steps: an iterative pre-scan (scan.ts) checks
 * well-formedness and every limit before anything is allocated, then cborg builds the value from a
 * tokenizer over the scanned bytes (tokenizer.ts) that maps leaves onto the otrp data model.
 * Any failure is a CborError (errors.ts); no cborg or runtime exception escapes.
 *
 * Non-minimal heads and floats (RFC 8949 §4.1) are accepted unless `requirePreferred` is set: they
 * are well-formed, and the TEEP/SUIT drafts only ask receivers for well-formed CBOR. (cborg's own
 * `strict` mode would reject them always, so it is not used.) Floats received in a longer width keep
 * it (CborFloat.width), so decode -> encode gives back the received bytes for everything except
 * non-minimal integer/length heads, indefinite lengths and NaN payloads (float.ts `writeFloat`).
 * Indefinite lengths are governed by `allowIndefinite` alone (RFC 8949 §4.1 only prefers definite
 * lengths; it does not forbid them).
 */
import * as cborg from 'cborg';
import { CborTag, type CborValue } from './cbor-value.js';
import { CborDepthExceeded, CborDuplicateKey, CborError, CborMalformed, CborTooLarge, CborTrailingBytes } from './errors.js';
import { scanItem, type ScanOptions } from './scan.js';
import { ScannedTokenizer } from './tokenizer.js';
import { InvalidArgument } from '../errors.js';
import { ByteWriter } from './writer.js';
import { encodeItem } from './cbor-encode.js';
import { findDuplicateObjectKey } from './duplicate-keys.js';

export interface CborDecodeOptions {
  /** Maximum nesting depth of arrays, maps and tags (default 128). */
  maxDepth?: number;
  /** Maximum input size in bytes (default 16 MiB). */
  maxSize?: number;
  /** Accept indefinite-length items (default false). */
  allowIndefinite?: boolean;
  /** Reject any item not in preferred serialization (RFC 8949 §4.1) (default false). */
  requirePreferred?: boolean;
}

export interface CborEncodeOptions {
  /** Core deterministic encoding (RFC 8949 §4.2.1): map keys sorted bytewise. Default false: maps keep their order. */
  deterministic?: boolean;
}

/** The result of decodeCborPrefix: the first item and how many bytes it took. */
export interface CborPrefixResult {
  value: CborValue;
  length: number;
}

export const DEFAULT_MAX_DEPTH = 128;
export const DEFAULT_MAX_SIZE = 16 * 1024 * 1024;

/** Tag decoders for every tag number: unknown tags are kept as CborTag (RFC 8949 §3.4). */
const keepTags = new Proxy({} as Record<string, (inner: cborg.TagDecodeControl) => unknown>, {
  get: (_t, key) => {
    if (typeof key !== 'string') return undefined;
    const n = Number(key);
    const tag = Number.isSafeInteger(n) ? n : BigInt(key);
    return (inner: cborg.TagDecodeControl) => new CborTag(tag, inner() as CborValue);
  },
});

/** Decodes exactly one CBOR item; trailing bytes are an error (ERR_CBOR_TRAILING_BYTES). */
export function decodeCbor(bytes: Uint8Array, options: CborDecodeOptions = {}): CborValue {
  const { value, length } = decodeCborPrefix(bytes, options);
  if (length !== bytes.length) throw new CborTrailingBytes(`${bytes.length - length} byte(s) after the item`, { offset: length });
  return value;
}

/** Decodes the first CBOR item of `bytes` and says how many bytes it took; the rest is left alone. */
export function decodeCborPrefix(bytes: Uint8Array, options: CborDecodeOptions = {}): CborPrefixResult {
  const opts = scanOptions(bytes, options);
  return decodeAt(bytes, 0, opts);
}

/** Decodes a CBOR sequence (RFC 8742): zero or more items back to back. */
export function decodeCborSequence(bytes: Uint8Array, options: CborDecodeOptions = {}): CborValue[] {
  const opts = scanOptions(bytes, options);
  const out: CborValue[] = [];
  for (let pos = 0; pos < bytes.length; ) {
    const { value, length } = decodeAt(bytes, pos, opts);
    out.push(value);
    pos += length;
  }
  return out;
}

/** Encodes one CBOR item in preferred serialization, maps in insertion order unless `deterministic`. */
export function encodeCbor(value: CborValue, options: CborEncodeOptions = {}): Uint8Array<ArrayBuffer> {
  // One scratch writer for every call (encoding never re-enters encodeCbor, and finish() copies):
  // no 256-byte buffer per call. A buffer grown past SCRATCH_MAX is not kept.
  let w = scratch;
  if (w === undefined) w = new ByteWriter();
  else scratch = undefined;
  try {
    w.reset();
    encodeItem(w, value, options.deterministic === true);
    return w.finish();
  } finally {
    if (w.capacity <= SCRATCH_MAX) scratch = w;
  }
}

const SCRATCH_MAX = 64 * 1024;
let scratch: ByteWriter | undefined;

function scanOptions(bytes: Uint8Array, o: CborDecodeOptions): ScanOptions {
  if (!(bytes instanceof Uint8Array)) throw new CborMalformed('input is not a Uint8Array');
  const maxSize = o.maxSize ?? DEFAULT_MAX_SIZE;
  const maxDepth = o.maxDepth ?? DEFAULT_MAX_DEPTH;
  if (!Number.isSafeInteger(maxSize) || maxSize < 0 || !Number.isSafeInteger(maxDepth) || maxDepth < 0) {
    throw new InvalidArgument('maxSize and maxDepth must be non-negative integers');
  }
  if (bytes.length > maxSize) throw new CborTooLarge(`input of ${bytes.length} bytes exceeds the limit of ${maxSize}`);
  return { maxDepth, allowIndefinite: o.allowIndefinite === true, requirePreferred: o.requirePreferred === true };
}

function decodeAt(bytes: Uint8Array, start: number, opts: ScanOptions): CborPrefixResult {
  const { end, objectKeys } = scanItem(bytes, start, opts);
  let value: CborValue;
  try {
    [value] = cborg.decodeFirst(bytes, {
      tokenizer: new ScannedTokenizer(bytes, start, end),
      useMaps: true,
      rejectDuplicateMapKeys: true,
      tags: keepTags as never,
    }) as [CborValue, Uint8Array];
  } catch (e) {
    throw wrap(e, start);
  }
  if (objectKeys) {
    const dup = findDuplicateObjectKey(value);
    if (dup) throw new CborDuplicateKey(`duplicate map key ${dup}`, { offset: start });
  }
  return { value, length: end - start };
}

/** Everything cborg or the runtime throws becomes a CborError. */
function wrap(e: unknown, offset: number): CborError {
  if (e instanceof CborError) return e;
  const message = e instanceof Error ? e.message : String(e);
  if (/repeat map key/.test(message)) return new CborDuplicateKey('duplicate map key', { offset, cause: e });
  if (e instanceof RangeError && /call stack/i.test(message)) return new CborDepthExceeded('nesting too deep for the decoder', { offset, cause: e });
  return new CborMalformed(`cannot decode: ${message}`, { offset, cause: e });
}
