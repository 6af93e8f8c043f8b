/**
 * Bearer-token authentication for the management API under `/admin/v1/` (RFC 6750).
 *
 * The token is compared in constant time over SHA-256 digests of both sides, so neither the content
 * nor the length of the configured token leaks through timing. A missing token and a wrong token
 * both get 401 with `WWW-Authenticate: Bearer` (RFC 6750 §3); a wrong one adds
 * `error="invalid_token"`, a missing one carries no error attribute (RFC 6750 §3.1).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { HttpConfigInvalid, HttpUnauthorized } from './errors.js';

/** Shortest admin token accepted from configuration (a generated one has 43 characters). */
export const MIN_ADMIN_TOKEN_LENGTH = 16;

/** A fresh random admin token: 32 random bytes, base64url (43 characters). */
export function generateAdminToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * A Fastify `preHandler` that lets a request through only with `Authorization: Bearer <token>`.
 * Throws HttpConfigInvalid at creation for a token shorter than {@link MIN_ADMIN_TOKEN_LENGTH}.
 */
export function bearerAuth(token: string): (request: FastifyRequest) => Promise<void> {
  if (typeof token !== 'string' || token.length < MIN_ADMIN_TOKEN_LENGTH || token !== token.trim()) {
    throw new HttpConfigInvalid(`the admin token must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters without surrounding spaces`);
  }
  const expected = digest(token);
  return async (request) => {
    const presented = bearerToken(request.headers.authorization);
    if (presented === undefined) throw new HttpUnauthorized();
    if (!timingSafeEqual(digest(presented), expected)) throw new HttpUnauthorized('invalid_token');
  };
}

/** The credentials of an `Authorization: Bearer <b64token>` header (RFC 6750 §2.1), if any. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const m = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header);
  return m?.[1];
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}
