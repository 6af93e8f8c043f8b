/**
 * CBOR encode/decode on cborg (RFC 8949).
 *
 * PRELIMINARY: the API below is fixed; the wire-layer work hardens the implementation (pre-scan with
 * limits, UTF-8, preferred-serialization check, floats, typed errors).
 */
import * as cborg from 'cborg';
import { CborTag, type CborValue } from './cbor-value.js';

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

const tagDecoders = new Proxy({} as Record<string, (inner: cborg.TagDecodeControl) => unknown>, {
  get: (_t, key) => (inner: cborg.TagDecodeControl) => new CborTag(Number(key), inner() as CborValue),
});

/** Decodes exactly one CBOR item; trailing bytes are an error. */
export function decodeCbor(bytes: Uint8Array, _options: CborDecodeOptions = {}): CborValue {
  return cborg.decode(bytes, {
    useMaps: true,
    strict: true,
    rejectDuplicateMapKeys: true,
    allowIndefinite: false,
    tags: tagDecoders as never,
  }) as CborValue;
}

/** Encodes one CBOR item in preferred serialization, maps in insertion order unless `deterministic`. */
export function encodeCbor(value: CborValue, options: CborEncodeOptions = {}): Uint8Array {
  return cborg.encode(value, {
    ...(options.deterministic ? cborg.rfc8949EncodeOptions : { mapSorter: undefined }),
    typeEncoders: {
      Object: (obj: unknown) =>
        obj instanceof CborTag ? [new cborg.Token(cborg.Type.tag, obj.tag), ...(cborg.objectToTokens(obj.value) as never[])] : null,
    },
  } as cborg.EncodeOptions);
}
