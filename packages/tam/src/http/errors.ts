/**
 * Errors of the TAM's HTTP layer: refusals decided before any TEEP processing (otrp-over-http-15
 * §"Receiving an HTTP POST request") and admin authentication failures. Each carries the HTTP status
 * it stands for in `httpStatus`; `error-response.ts` is still the one place that turns an error into a
 * response.
 */
import { OtrpError } from '@otrp/core';

/** Base class of every HTTP-layer error. */
export abstract class HttpError extends OtrpError {
  abstract override readonly code: HttpErrorCode;
  /** The status this refusal is answered with (RFC 9110 §15). */
  abstract readonly httpStatus: number;
}

/** A non-empty body whose Content-Type is not `application/teep+cbor` (-15 §6.1: SHOULD 415). */
export class HttpUnsupportedMediaType extends HttpError {
  readonly code = 'ERR_HTTP_UNSUPPORTED_MEDIA_TYPE';
  readonly httpStatus = 415;
  constructor(options?: { cause?: unknown }) {
    super('the request body must be application/teep+cbor', options);
  }
}

/** An Accept header that excludes `application/teep+cbor` (-15 §6.1: SHOULD fail the request). */
export class HttpNotAcceptable extends HttpError {
  readonly code = 'ERR_HTTP_NOT_ACCEPTABLE';
  readonly httpStatus = 406;
  constructor(options?: { cause?: unknown }) {
    super('the client must accept application/teep+cbor', options);
  }
}

/** The body is larger than the configured limit (RFC 9110 §15.5.14). */
export class HttpPayloadTooLarge extends HttpError {
  readonly code = 'ERR_HTTP_PAYLOAD_TOO_LARGE';
  readonly httpStatus = 413;
  constructor(options?: { cause?: unknown }) {
    super('request body too large', options);
  }
}

/** A method other than POST on a TAM resource (-15 §4: "Only the POST method is specified"). */
export class HttpMethodNotAllowed extends HttpError {
  readonly code = 'ERR_HTTP_METHOD_NOT_ALLOWED';
  readonly httpStatus = 405;
  /** The methods the resource does support, for the `Allow` header (RFC 9110 §15.5.6). */
  readonly allow: readonly string[];
  constructor(allow: readonly string[], options?: { cause?: unknown }) {
    super('method not allowed', options);
    this.allow = allow;
  }
}

/** A missing or wrong admin bearer token (RFC 6750 §3). Fixed message: says nothing about which. */
export class HttpUnauthorized extends HttpError {
  readonly code = 'ERR_HTTP_UNAUTHORIZED';
  readonly httpStatus = 401;
  /** The RFC 6750 `error` attribute for WWW-Authenticate, absent when no credentials were sent. */
  readonly bearerError: 'invalid_token' | 'invalid_request' | undefined;
  constructor(bearerError?: 'invalid_token' | 'invalid_request', options?: { cause?: unknown }) {
    super('authentication required', options);
    this.bearerError = bearerError;
  }
}

/** The request is malformed at the HTTP level (bad Content-Length, a JSON body failing its schema). */
export class HttpBadRequest extends HttpError {
  readonly code = 'ERR_HTTP_BAD_REQUEST';
  readonly httpStatus = 400;
}

/** No route for this path. */
export class HttpNotFound extends HttpError {
  readonly code = 'ERR_HTTP_NOT_FOUND';
  readonly httpStatus = 404;
  constructor(options?: { cause?: unknown }) {
    super('not found', options);
  }
}

/** `createTamHttpServer` got options it cannot use (e.g. an admin API without a token). */
export class HttpConfigInvalid extends HttpError {
  readonly code = 'ERR_HTTP_CONFIG';
  readonly httpStatus = 500;
}

/** The server could not bind its address (in use, not permitted, unknown host); the cause says which. */
export class HttpListenFailed extends HttpError {
  readonly code = 'ERR_HTTP_LISTEN';
  readonly httpStatus = 500;
}

/** Every HTTP-layer error class, for `switch (err.code)`. */
export type AnyHttpError =
  | HttpUnsupportedMediaType
  | HttpNotAcceptable
  | HttpPayloadTooLarge
  | HttpMethodNotAllowed
  | HttpUnauthorized
  | HttpBadRequest
  | HttpNotFound
  | HttpConfigInvalid
  | HttpListenFailed;

/** The union of HTTP-layer error codes. */
export type HttpErrorCode =
  | 'ERR_HTTP_UNSUPPORTED_MEDIA_TYPE'
  | 'ERR_HTTP_NOT_ACCEPTABLE'
  | 'ERR_HTTP_PAYLOAD_TOO_LARGE'
  | 'ERR_HTTP_METHOD_NOT_ALLOWED'
  | 'ERR_HTTP_UNAUTHORIZED'
  | 'ERR_HTTP_BAD_REQUEST'
  | 'ERR_HTTP_NOT_FOUND'
  | 'ERR_HTTP_CONFIG'
  | 'ERR_HTTP_LISTEN';
