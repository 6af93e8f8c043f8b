/**
 * The single mapping from an error to an HTTP response, for every route of the TAM server.
 *
 * TEEP direction rule (draft-ietf-teep-protocol-26 §7, DESIGN.md "Invariants"): the TAM never sends a
 * TEEP Error message; it DROPS an Agent message that fails any check. Over HTTP a dropped message
 * means the TAM "passes back an empty message", so the server answers "a successful (2xx) response
 * with no body ... SHOULD be status 204" (otrp-over-http-15 §6.2) and the client ends its session.
 * Only when the server "cannot get a message (empty or not) back from the TAM" does it answer 5xx
 * (-15 §6.4). Refusals before any TEEP processing are plain HTTP statuses (-15 §6.1: 415, 406).
 *
 * Resolution order: an integer `httpStatus` hint on the error (204 or 400..599) wins; then the row of
 * {@link ERROR_STATUS_TABLE} for the exact code; then the longest matching code prefix; otherwise 500
 * with code ERR_INTERNAL and nothing of the error revealed. 5xx answers carry fixed messages; the
 * details go to the log only.
 *
 * The `/otrp` column (draft-ietf-teep-otrp-over-http-02) equals the `/tam` column unless shown: OTrP
 * has no TAM -> TEE error message either, so a response the TAM refuses ends the exchange with 204
 * (-02 §6.2, "an empty buffer"); the TEE's own errors travel inside its signed responses.
 *
 * | code (or prefix*)                 | /tam, /tam/pre26 | /admin/v1 | /otrp      | meaning                                   |
 * |-----------------------------------|------------------|-----------|------------|-------------------------------------------|
 * | ERR_HTTP_UNSUPPORTED_MEDIA_TYPE   | 415              | 415       | 415        | non-empty body that is not teep+cbor      |
 * | ERR_HTTP_NOT_ACCEPTABLE           | 406              | 406       | 406        | Accept excludes application/teep+cbor     |
 * | ERR_HTTP_PAYLOAD_TOO_LARGE        | 413              | 413       | 413        | body above the configured limit           |
 * | ERR_HTTP_METHOD_NOT_ALLOWED       | 405              | 405       | 405        | not POST (Allow: POST)                    |
 * | ERR_HTTP_UNAUTHORIZED             | 401              | 401       | 401        | missing or wrong bearer token             |
 * | ERR_HTTP_BAD_REQUEST              | 400              | 400       | 400        | malformed HTTP request / JSON body        |
 * | ERR_HTTP_NOT_FOUND                | 404              | 404       | 404        | no such route                             |
 * | ERR_CBOR_*                        | 204 (drop)       | 400       | 204 (drop) | body is not well-formed CBOR              |
 * | ERR_ENCODING                      | 204 (drop)       | 400       | 204 (drop) | bad hex/base64url inside a message        |
 * | ERR_TEEP_TEMPORARY_ERROR          | 503              | 503       | 503        | TAM temporarily unable to answer          |
 * | ERR_TEEP_*                        | 204 (drop)       | 400       | 204 (drop) | TEEP message fails CDDL / unexpected type |
 * | ERR_COSE_MALFORMED                | 204 (drop)       | 400       | 204 (drop) | not a COSE structure                      |
 * | ERR_COSE_*                        | 204 (drop)       | 422       | 204 (drop) | bad signature, unknown key, bad alg       |
 * | ERR_EAT_*                         | 204 (drop)       | 422       | 204 (drop) | attestation evidence refused              |
 * | ERR_SUIT_MALFORMED                | 204 (drop)       | 400       | 204 (drop) | not a SUIT envelope                       |
 * | ERR_SUIT_*                        | 204 (drop)       | 422       | 204 (drop) | SUIT report/manifest check failed         |
 * | ERR_CERTIFICATE_MALFORMED         | 204 (drop)       | 400       | 204 (drop) | certificate not parseable                 |
 * | ERR_CERTIFICATE_*                 | 204 (drop)       | 422       | 204 (drop) | expired, revoked, wrong role/key usage    |
 * | ERR_CHAIN_UNTRUSTED               | 204 (drop)       | 422       | 204 (drop) | chain does not reach a trust anchor       |
 * | ERR_REVOCATION_UNKNOWN            | 204 (drop)       | 422       | 204 (drop) | no usable CRL                             |
 * | ERR_CRL_INVALID                   | 204 (drop)       | 422       | 204 (drop) | CRL refused                               |
 * | ERR_CSR_INVALID                   | 204 (drop)       | 400       | 204 (drop) | CSR refused                               |
 * | ERR_PKI_CA_STATE                  | 500              | 500       | 500        | the server's own CA files are unusable    |
 * | ERR_PKI_*                         | 204 (drop)       | 422       | 204 (drop) | weak/unsupported/malformed peer key       |
 * | ERR_STORE_TOKEN_USED              | 204 (drop)       | 409       | 204 (drop) | replay: token already answered            |
 * | ERR_STORE_TOKEN_EXPIRED           | 204 (drop)       | 409       | 204 (drop) | token past its expiry (-26 §4.2: ignore)  |
 * | ERR_STORE_NOT_FOUND               | 204 (drop)       | 404       | 204 (drop) | unknown session/device/record             |
 * | ERR_STORE_CONFLICT                | 500              | 409       | 500        | state conflict                            |
 * | ERR_STORE_INVALID_ARGUMENT        | 500              | 400       | 500        | value the store cannot take               |
 * | ERR_STORE_UNAVAILABLE             | 503              | 503       | 503        | database unreachable (Retry-After)        |
 * | ERR_STORE_*                       | 500              | 500       | 500        | migration, config, internal store error   |
 * | ERR_INVALID_ARGUMENT              | 500              | 400       | 500        | API misuse (a bug on /tam)                |
 * | ERR_OTRP_*                        | 204 (drop)       | 400       | 204 (drop) | OTrP response refused                     |
 * | ERR_JOSE_*                        | 204 (drop)       | 422       | 204 (drop) | bad JWS/JWE, refused algorithm            |
 * | ERR_JWS_*                         | 204 (drop)       | 422       | 204 (drop) | bad JWS/JWE, refused algorithm            |
 * | ERR_JWE_*                         | 204 (drop)       | 422       | 204 (drop) | bad JWS/JWE, refused algorithm            |
 * | ERR_TAM_OTRP_CONFIG               | 500              | 500       | 500        | the TAM's OTrP keys/config                |
 * | ERR_TAM_OTRP_*                    | 204 (drop)       | 409       | 204 (drop) | no such pending rid/tid, peer refused     |
 * | anything else                     | 500              | 500       | 500        | ERR_INTERNAL, nothing revealed            |
 */
import { isOtrpError } from '@otrp/core';
import { HttpBadRequest, HttpMethodNotAllowed, HttpPayloadTooLarge, HttpUnauthorized, HttpUnsupportedMediaType } from './errors.js';

/** Which family of routes answered: the TEEP binding or the JSON admin API. */
export type ErrorScope = 'teep' | 'admin' | 'otrp';

/** One catalogue row: a code (or a prefix ending in `_`) and its status per scope. */
export interface ErrorStatusRow {
  readonly code: string;
  readonly prefix: boolean;
  readonly teep: number;
  readonly admin: number;
  readonly otrp: number;
}

/** `otrp` defaults to the TEEP status: both bindings end the exchange with a bodiless 2xx on a refused message. */
const row = (code: string, teep: number, admin: number, otrp = teep): ErrorStatusRow => ({
  code: code.endsWith('*') ? code.slice(0, -1) : code,
  prefix: code.endsWith('*'),
  teep,
  admin,
  otrp,
});

/** The catalogue, in the order of the table above (which README-http.md repeats). */
export const ERROR_STATUS_TABLE: readonly ErrorStatusRow[] = Object.freeze([
  row('ERR_HTTP_UNSUPPORTED_MEDIA_TYPE', 415, 415),
  row('ERR_HTTP_NOT_ACCEPTABLE', 406, 406),
  row('ERR_HTTP_PAYLOAD_TOO_LARGE', 413, 413),
  row('ERR_HTTP_METHOD_NOT_ALLOWED', 405, 405),
  row('ERR_HTTP_UNAUTHORIZED', 401, 401),
  row('ERR_HTTP_BAD_REQUEST', 400, 400),
  row('ERR_HTTP_NOT_FOUND', 404, 404),
  row('ERR_CBOR_*', 204, 400),
  row('ERR_ENCODING', 204, 400),
  row('ERR_TEEP_TEMPORARY_ERROR', 503, 503),
  row('ERR_TEEP_*', 204, 400),
  row('ERR_COSE_MALFORMED', 204, 400),
  row('ERR_COSE_*', 204, 422),
  row('ERR_EAT_*', 204, 422),
  row('ERR_SUIT_MALFORMED', 204, 400),
  row('ERR_SUIT_*', 204, 422),
  row('ERR_CERTIFICATE_MALFORMED', 204, 400),
  row('ERR_CERTIFICATE_*', 204, 422),
  row('ERR_CHAIN_UNTRUSTED', 204, 422),
  row('ERR_REVOCATION_UNKNOWN', 204, 422),
  row('ERR_CRL_INVALID', 204, 422),
  row('ERR_CSR_INVALID', 204, 400),
  row('ERR_PKI_CA_STATE', 500, 500),
  row('ERR_PKI_*', 204, 422),
  row('ERR_STORE_TOKEN_USED', 204, 409),
  row('ERR_STORE_TOKEN_EXPIRED', 204, 409),
  row('ERR_STORE_NOT_FOUND', 204, 404),
  row('ERR_STORE_CONFLICT', 500, 409),
  row('ERR_STORE_INVALID_ARGUMENT', 500, 400),
  row('ERR_STORE_UNAVAILABLE', 503, 503),
  row('ERR_STORE_*', 500, 500),
  row('ERR_INVALID_ARGUMENT', 500, 400),
  row('ERR_OTRP_*', 204, 400, 204),
  row('ERR_JOSE_*', 204, 422, 204),
  row('ERR_JWS_*', 204, 422, 204),
  row('ERR_JWE_*', 204, 422, 204),
  row('ERR_TAM_OTRP_CONFIG', 500, 500, 500),
  row('ERR_TAM_OTRP_*', 204, 409, 204),
]);

/** What the server sends for an error. */
export interface ErrorResponse {
  /** HTTP status; 204 when a TEEP message is dropped. */
  readonly status: number;
  /** True when the TAM dropped the message (204, no body). */
  readonly drop: boolean;
  /** Stable code for the body, the log and the errors metric (ERR_INTERNAL when unknown). */
  readonly code: string;
  /** Safe to send: the error's own message for 4xx, a fixed text for 5xx. */
  readonly message: string;
  /** Extra header fields (Allow, WWW-Authenticate, Retry-After). */
  readonly headers: Readonly<Record<string, string>>;
  /** How loudly to log it: drops and refusals are expected traffic, 5xx are not. */
  readonly logLevel: 'info' | 'warn' | 'error';
}

const FIXED_5XX: Readonly<Record<number, string>> = { 500: 'internal error', 503: 'service unavailable' };

/** Map any thrown value to the response for a route of `scope`. Never throws. */
export function errorResponse(err: unknown, scope: ErrorScope): ErrorResponse {
  const e = normalizeError(err);
  const known = isOtrpError(e);
  const code = known ? e.code : 'ERR_INTERNAL';
  let status = httpStatusHint(e) ?? (known ? lookupStatus(code, scope) : undefined) ?? 500;
  if (status === 204 && scope === 'admin') status = 400;
  const headers: Record<string, string> = {};
  if (e instanceof HttpMethodNotAllowed) headers['allow'] = e.allow.join(', ');
  if (e instanceof HttpUnauthorized) {
    headers['www-authenticate'] =
      e.bearerError === undefined ? 'Bearer realm="otrp-tam"' : `Bearer realm="otrp-tam", error="${e.bearerError}"`;
  }
  if (status === 503) headers['retry-after'] = '5';
  const drop = status === 204;
  const message = status >= 500 ? (FIXED_5XX[status] ?? 'server error') : drop ? '' : messageOf(e);
  const logLevel = status >= 500 ? 'error' : drop ? 'warn' : 'info';
  return { status, drop, code: status >= 500 && !known ? 'ERR_INTERNAL' : code, message, headers, logLevel };
}

/** The catalogue status for a code: an exact row first, then the longest prefix row. */
export function lookupStatus(code: string, scope: ErrorScope): number | undefined {
  let best: ErrorStatusRow | undefined;
  for (const r of ERROR_STATUS_TABLE) {
    if (!r.prefix && r.code === code) return r[scope];
    if (r.prefix && code.startsWith(r.code) && (best === undefined || r.code.length > best.code.length)) best = r;
  }
  return best?.[scope];
}

/**
 * Fastify's own errors (FST_ERR_*) become HTTP-layer OtrpErrors, so they go through the same table:
 * an oversized body, an unparseable media type, a bad Content-Length, a JSON body failing its schema.
 */
export function normalizeError(err: unknown): unknown {
  if (isOtrpError(err) || !(err instanceof Error)) return err;
  const fst = err as Error & { code?: unknown; statusCode?: unknown; validation?: unknown };
  if (fst.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new HttpPayloadTooLarge({ cause: err });
  if (fst.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return new HttpUnsupportedMediaType({ cause: err });
  const sc = fst.statusCode;
  if (fst.validation !== undefined || (typeof sc === 'number' && sc >= 400 && sc < 500)) {
    return new HttpBadRequest(err.message, { cause: err });
  }
  return err;
}

function httpStatusHint(e: unknown): number | undefined {
  if (!isOtrpError(e)) return undefined;
  const s = (e as { httpStatus?: unknown }).httpStatus;
  if (typeof s !== 'number' || !Number.isInteger(s)) return undefined;
  return s === 204 || (s >= 400 && s <= 599) ? s : undefined;
}

function messageOf(e: unknown): string {
  return e instanceof Error && typeof e.message === 'string' && e.message !== '' ? e.message : 'request refused';
}
