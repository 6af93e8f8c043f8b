/**
 * The narrow interface between the HTTP binding and the TAM's protocol logic.
 *
 * The names are the conceptual APIs of RFC 9397 §6.2.1 and otrp-over-http-15 §6.1: the TEEP/HTTP
 * server calls "ProcessConnect" for an empty POST body (a new session) and "ProcessTeepMessage" for a
 * non-empty one, and sends back whatever message the TAM passes back. `null` means the TAM passes
 * back no message: the server answers 204 (-15 §6.2) and the client ends its session.
 *
 * The HTTP layer knows nothing else about the TAM (no store, no policy, no TEEP codec): a handler
 * that cannot accept a message throws an OtrpError with a stable `code`, optionally with an
 * `httpStatus` hint, and `error-response.ts` decides the status.
 */
import type { TeepProfileName } from '@otrp/core';

/** What the HTTP layer knows about one exchange, handed to the TAM with each call. */
export interface TeepExchangeContext {
  /** The TEEP label numbering of the peer, fixed by the route (`/tam` draft-26, `/tam/pre26` pre-26). */
  readonly profile: TeepProfileName;
  /** The client's address as Fastify sees it (`request.ip`), for logs and the audit trail. */
  readonly remote?: string;
  /** Fastify's request id, to correlate protocol logs with the access log. */
  readonly requestId?: string;
}

/** The TAM as the TEEP/HTTP server sees it. */
export interface TamProtocolHandler {
  /**
   * "ProcessConnect": an Agent opens a session (empty POST body). Returns the TAM's first message
   * (usually a QueryRequest), or null when it has nothing to say.
   */
  processConnect(ctx: TeepExchangeContext): Promise<Uint8Array | null>;
  /**
   * "ProcessTeepMessage": a message on an existing session (the raw POST body, exactly as received:
   * signatures are checked over these bytes). Returns the TAM's next message, or null when the
   * session is done or the message was dropped.
   */
  processTeepMessage(body: Uint8Array, ctx: TeepExchangeContext): Promise<Uint8Array | null>;
}
