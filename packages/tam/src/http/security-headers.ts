/**
 * Response header fields every TAM response carries.
 *
 * otrp-over-http-15 §4 (after RFC 9205 §4.13): "HTTP responses with content MUST have the following
 * header fields" — Content-Type (the TEEP media type, set by the route), and the three below, so that
 * no browser treats a TEEP body as active content. We send them on every response, with content or
 * not, because they cost nothing and an error body is content too.
 *
 * The same section says "the Cache-Control header MUST NOT be used": POST responses without explicit
 * freshness are already uncacheable (RFC 9110 §9.3.3). So there is deliberately no Cache-Control here.
 */
export const TEEP_SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'",
  'referrer-policy': 'no-referrer',
} as const;
