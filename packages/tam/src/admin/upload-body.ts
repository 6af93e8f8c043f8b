/**
 * The body of `POST /admin/v1/tcs`: a SUIT envelope as raw bytes (`application/suit-envelope+cose`,
 * the SUIT media type of RFC 9124 §8 / suit-manifest-37 §11.2; or `application/octet-stream`), or JSON
 * `{ "envelope": "<base64>", "name"?: "..." }` for clients that only speak JSON.
 *
 * Raw bodies are parsed as a Buffer and handed on as a "binary" (latin1) string: the route's body
 * schema is then `{ type: string, format: binary }`, which ajv accepts and OpenAPI tools read as a
 * file upload. latin1 maps each byte to one code unit, so `Buffer.from(s, 'latin1')` restores it.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpPayloadTooLarge } from '../http/errors.js';
import { AdminInvalidUpload, AdminUnsupportedMediaType } from './errors.js';

/** SUIT envelope media types accepted as raw bodies. */
export const SUIT_ENVELOPE_MEDIA_TYPES = ['application/suit-envelope+cose', 'application/octet-stream'] as const;

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
  scope.addContentTypeParser([...SUIT_ENVELOPE_MEDIA_TYPES], { parseAs: 'buffer' }, (_request, body, done) => {
    done(null, (body as Buffer).toString('latin1'));
  });
  scope.addContentTypeParser('*', (_request, _payload, done) => done(new AdminUnsupportedMediaType(), undefined));
}

export interface UploadJsonBody {
  envelope: string;
  name?: string;
}

/** The envelope bytes and the optional name of an upload request; typed errors for anything else. */
export function readUpload(request: FastifyRequest<{ Querystring: { name?: string } }>, maxBytes: number): { bytes: Uint8Array; name: string | null } {
  const mediaType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  let bytes: Uint8Array;
  let name = request.query.name ?? null;
  if ((SUIT_ENVELOPE_MEDIA_TYPES as readonly string[]).includes(mediaType) && typeof request.body === 'string') {
    bytes = new Uint8Array(Buffer.from(request.body, 'latin1'));
  } else if (mediaType === 'application/json' && typeof request.body === 'object' && request.body !== null) {
    const body = request.body as UploadJsonBody;
    bytes = decodeBase64(body.envelope);
    name = body.name ?? name;
  } else if (mediaType === '' && request.body === undefined) {
    throw new AdminInvalidUpload('the request has no body: send the SUIT envelope');
  } else {
    throw new AdminUnsupportedMediaType();
  }
  if (bytes.length === 0) throw new AdminInvalidUpload('the envelope is empty');
  if (bytes.length > maxBytes) throw new HttpPayloadTooLarge();
  return { bytes, name };
}

/** Base64 (RFC 4648 §4) or base64url (§5), padded or not; nothing else. */
function decodeBase64(text: string): Uint8Array {
  const s = text.replace(/=+$/, '');
  if (!/^[A-Za-z0-9+/_-]*$/.test(s) || s.length % 4 === 1 || text.length - s.length > 2) {
    throw new AdminInvalidUpload('envelope must be base64 (RFC 4648 §4 or §5)');
  }
  return new Uint8Array(Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
}
