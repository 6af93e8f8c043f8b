/**
 * The root of every error otrp throws on purpose.
 *
 * Each kind of failure is its own subclass with a stable `code` (`ERR_...`) that callers can
 * `switch` on; messages are for people and may change, codes may not. Areas group their errors
 * under one base class (`CborError`, `CoseError`, ...), each in its layer's `errors.ts`.
 * Wrapped failures keep the original in `cause` (ES2022 error cause).
 *
 * Where the protocol has a wire code for a failure (a TEEP err-code, an OTrP error name, an HTTP
 * status), the subclass says so; the edges (HTTP error response, CLI) map codes, inner layers never
 * format responses.
 */
export abstract class OtrpError extends Error {
  /** Stable machine-readable code, e.g. `ERR_CBOR_MALFORMED`. */
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** True when `e` is an OtrpError (works across duplicated module instances by duck-typing). */
export function isOtrpError(e: unknown): e is OtrpError {
  if (e instanceof OtrpError) return true;
  const code: unknown = e instanceof Error ? (e as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^ERR_[A-Z0-9_]+$/.test(code);
}

/** A caller passed something the API cannot take (wrong option, out-of-range argument). */
export class InvalidArgument extends OtrpError {
  readonly code = 'ERR_INVALID_ARGUMENT';
}

/** Bytes that are neither valid hex nor valid base64url where one was required. */
export class EncodingError extends OtrpError {
  readonly code = 'ERR_ENCODING';
}
