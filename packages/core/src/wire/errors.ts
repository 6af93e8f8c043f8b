/**
 * Errors of the wire layer: CBOR decoding/encoding (RFC 8949) and diagnostic notation (RFC 8949 §8,
 * RFC 8610 Appendix G). Hex and base64url failures use the shared EncodingError (ERR_ENCODING).
 *
 * Every malformed or hostile input ends in one of these; nothing from cborg or the JS runtime
 * (TypeError, RangeError) escapes the decoder.
 */
import { OtrpError } from '../errors.js';

/** Base class of every CBOR/EDN error. */
export abstract class CborError extends OtrpError {
  /** Byte offset in the input where the problem was found, when known. */
  readonly offset: number | undefined;

  constructor(message: string, options?: { cause?: unknown; offset?: number }) {
    super(options?.offset === undefined ? message : `${message} (at byte ${options.offset})`, options);
    this.offset = options?.offset;
  }
}

/** Not well-formed CBOR (RFC 8949 §3, App. F): reserved additional info, stray break, bad chunk. */
export class CborMalformed extends CborError {
  readonly code = 'ERR_CBOR_MALFORMED';
}

/** The input ends before the item does, or a declared length exceeds the remaining input. */
export class CborTruncated extends CborError {
  readonly code = 'ERR_CBOR_TRUNCATED';
}

/** Nesting of arrays, maps and tags deeper than `maxDepth`. */
export class CborDepthExceeded extends CborError {
  readonly code = 'ERR_CBOR_DEPTH';
}

/** Input larger than `maxSize`. */
export class CborTooLarge extends CborError {
  readonly code = 'ERR_CBOR_TOO_LARGE';
}

/** A map holds the same key twice (RFC 8949 §5.6: not valid). */
export class CborDuplicateKey extends CborError {
  readonly code = 'ERR_CBOR_DUPLICATE_KEY';
}

/** An indefinite-length item where the caller did not allow them. */
export class CborIndefinite extends CborError {
  readonly code = 'ERR_CBOR_INDEFINITE';
}

/** An argument or float not in preferred serialization (RFC 8949 §4.1), with `requirePreferred`. */
export class CborNotPreferred extends CborError {
  readonly code = 'ERR_CBOR_NOT_PREFERRED';
}

/** A text string that is not valid UTF-8 (RFC 8949 §3.1, §5.3.1). */
export class CborInvalidUtf8 extends CborError {
  readonly code = 'ERR_CBOR_INVALID_UTF8';
}

/** Bytes left after the one item that was expected. */
export class CborTrailingBytes extends CborError {
  readonly code = 'ERR_CBOR_TRAILING_BYTES';
}

/** A JS value outside the CBOR data model (cbor-value.ts) was given to the encoder. */
export class CborUnencodable extends CborError {
  readonly code = 'ERR_CBOR_UNENCODABLE';
}

/** Diagnostic notation that does not parse; `line` and `column` are 1-based. */
export class EdnSyntaxError extends CborError {
  readonly code = 'ERR_EDN_SYNTAX';

  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${message} at ${line}:${column}`);
  }
}

export type CborErrorCode =
  | CborMalformed['code']
  | CborTruncated['code']
  | CborDepthExceeded['code']
  | CborTooLarge['code']
  | CborDuplicateKey['code']
  | CborIndefinite['code']
  | CborNotPreferred['code']
  | CborInvalidUtf8['code']
  | CborTrailingBytes['code']
  | CborUnencodable['code']
  | EdnSyntaxError['code'];
