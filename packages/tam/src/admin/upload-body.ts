/**
 * The body of `POST /admin/v1/tcs`: a SUIT envelope as raw bytes (`application/suit-envelope+cose`,
 * the SUIT media type of RFC 9124 §8 / suit-manifest-37 §11.9; or `application/octet-stream`), an
 * OTrP TA package as raw bytes (`application/vnd.otrp-ta+json`, otrp/ta-package.ts), or JSON
 * `{ "envelope": "<base64>", "name"?: "...", "format"?: "suit" | "otrp-ta" }` for clients that only
 * speak JSON (`envelope` then holds the TA package's bytes).
 *
 * The TA package is JSON, but it is read as raw bytes like an envelope (never through Fastify's JSON
 * parser): its own decoder applies the package's strict rules and limits to exactly what was sent.
 *
 * Raw bodies are parsed as a Buffer and handed on as a "binary" (latin1) string: the route's body
 * schema is then `{ type: string, format: binary }`, which ajv accepts and OpenAPI tools read as a
 * file upload. latin1 maps each byte to one code unit, so `Buffer.from(s, 'latin1')` restores it.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpPayloadTooLarge } from '../http/errors.js';
import type { TcFormat } from '../store/records.js';
import { OTRP_TA_MEDIA_TYPE } from '../otrp/ta-package.js';
import { AdminInvalidUpload, AdminUnsupportedMediaType } from './errors.js';

/** SUIT envelope media types accepted as raw bodies. */
export const SUIT_ENVELOPE_MEDIA_TYPES = ['application/suit-envelope+cose', 'application/octet-stream'] as const;

/** Every media type an upload takes as raw bytes: the SUIT ones and the OTrP TA package. */
export const RAW_UPLOAD_MEDIA_TYPES = [...SUIT_ENVELOPE_MEDIA_TYPES, OTRP_TA_MEDIA_TYPE] as const;

/** Default largest envelope accepted: 16 MiB (integrated payloads travel inside it). */
export const DEFAULT_MAX_UPLOAD_BYTES = 16 * 1024 * 1024;

/** The Fastify body limit that lets a JSON body carry `maxBytes` of base64 (4/3) plus its fields. */
export function uploadBodyLimit(maxBytes: number): number {
  return Math.ceil(maxBytes / 3) * 4 + 4096;
}

/**
 * Registers the raw-bytes parser for the SUIT media types in the admin scope, and refuses every
 * other unknown media type with the admin API's own 415 (Fastify's would name the TEEP media type).
 */
export function registerEnvelopeParser(scope: FastifyInstance): void {
  scope.addContentTypeParser([...RAW_UPLOAD_MEDIA_TYPES], { parseAs: 'buffer' }, (_request, body, done) => {
    done(null, (body as Buffer).toString('latin1'));
  });
  scope.addContentTypeParser('*', (_request, _payload, done) => done(new AdminUnsupportedMediaType(), undefined));
}

export interface UploadJsonBody {
  envelope: string;
  name?: string;
  format?: TcFormat;
}

/** What an upload request carries: the bytes, their format (from the media type or `format`), a name. */
export interface UploadRequest {
  readonly bytes: Uint8Array;
  readonly format: TcFormat;
  readonly name: string | null;
}

/** The bytes, format and optional name of an upload request; typed errors for anything else. */
export function readUpload(request: FastifyRequest<{ Querystring: { name?: string } }>, maxBytes: number): UploadRequest {
  const mediaType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  let bytes: Uint8Array;
  let format: TcFormat = 'suit';
  let name = request.query.name ?? null;
  if ((RAW_UPLOAD_MEDIA_TYPES as readonly string[]).includes(mediaType) && typeof request.body === 'string') {
    bytes = new Uint8Array(Buffer.from(request.body, 'latin1'));
    if (mediaType === OTRP_TA_MEDIA_TYPE) format = 'otrp-ta';
  } else if (mediaType === 'application/json' && typeof request.body === 'object' && request.body !== null) {
    const body = request.body as UploadJsonBody;
    bytes = decodeBase64(body.envelope);
    name = body.name ?? name;
    format = body.format ?? 'suit';
  } else if (mediaType === '' && request.body === undefined) {
    throw new AdminInvalidUpload('the request has no body: send the SUIT envelope or the OTrP TA package');
  } else {
    throw new AdminUnsupportedMediaType();
  }
  if (bytes.length === 0) throw new AdminInvalidUpload(format === 'suit' ? 'the envelope is empty' : 'the TA package is empty');
  if (bytes.length > maxBytes) throw new HttpPayloadTooLarge();
  return { bytes, format, name };
}

/** Base64 (RFC 4648 §4) or base64url (§5), padded or not; nothing else. */
function decodeBase64(text: string): Uint8Array {
  const s = text.replace(/=+$/, '');
  if (!/^[A-Za-z0-9+/_-]*$/.test(s) || s.length % 4 === 1 || text.length - s.length > 2) {
    throw new AdminInvalidUpload('envelope must be base64 (RFC 4648 §4 or §5)');
  }
  return new Uint8Array(Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
}
