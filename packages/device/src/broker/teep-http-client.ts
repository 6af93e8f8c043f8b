/**
 * One TEEP/HTTP exchange from the client side (draft-ietf-teep-otrp-over-http-15 §4, §5): a POST
 * to the TAM URI with `Accept: application/teep+cbor` and, with a body, `Content-Type` of the same
 * type. The answer is the response body, or nothing for an empty (204) response.
 *
 * - Redirects are not followed (§4 "MUST NOT be automatically followed"): a 3xx is an error.
 * - No cookies: none is sent and none is kept (`credentials: 'omit'`, no jar), whatever the TAM sets.
 * - No Cache-Control header is sent (§4).
 * - A response with content must be `application/teep+cbor` (§4); anything else is refused.
 * - A timeout and a size limit guard the transport. -15 §5.6 leaves TEEP timeouts to the Agent;
 *   these only stop a hung or hostile server from holding the Broker forever.
 * Every failure is a typed DeviceError (errors.ts); the Broker reports it to the Agent's
 * ProcessError and to its caller.
 */
import { BrokerBadUri, BrokerRedirect } from '../errors.js';
import { brokerFailure, readAnswer } from './read-limited.js';

/** The TEEP media type (draft-ietf-teep-protocol-26 §"Media Type Registration"). */
export const TEEP_MEDIA_TYPE = 'application/teep+cbor';

export interface TeepHttpClientOptions {
  /** Milliseconds for one exchange, response body included (default 30 s). */
  readonly timeoutMs?: number;
  /** Largest response body accepted (default 16 MiB: TA images travel inside Updates). */
  readonly maxResponseBytes?: number;
  /** The fetch implementation (default the global one, undici in Node 20). */
  readonly fetch?: typeof fetch;
}

/** Checks that a TAM URI is an absolute http(s) URI (-15 §4: "any HTTP(S) URI"). */
export function checkTamUri(uri: string): URL {
  let url: URL;
  try {
    url = new URL(uri);
  } catch (e) {
    throw new BrokerBadUri(`not a URI: ${uri}`, { cause: e });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new BrokerBadUri(`not an http(s) URI: ${uri}`);
  if (url.username || url.password) throw new BrokerBadUri('a TAM URI carries no credentials');
  return url;
}

/** Posts one TEEP message (or none, to open a session) and returns the TAM's message, if any. */
export async function postTeep(tamUri: string, body: Uint8Array | undefined, options: TeepHttpClientOptions = {}): Promise<Uint8Array | undefined> {
  const url = checkTamUri(tamUri);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const signal = AbortSignal.timeout(timeoutMs);
  const doFetch = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await doFetch(url, {
      method: 'POST',
      // -15 §5.1.1: the empty POST that opens a session carries Accept only; a message adds its Content-Type.
      headers: { accept: TEEP_MEDIA_TYPE, ...(body && body.length > 0 && { 'content-type': TEEP_MEDIA_TYPE }) },
      body: (body ?? new Uint8Array(0)) as Uint8Array<ArrayBuffer>,
      redirect: 'manual',
      credentials: 'omit',
      signal,
    });
  } catch (e) {
    throw brokerFailure(e, signal, timeoutMs, 'connect');
  }
  try {
    if (response.status >= 300 && response.status < 400) {
      throw new BrokerRedirect(`TAM answered ${response.status} (redirects are not followed)`);
    }
    return await readAnswer(response, TEEP_MEDIA_TYPE, options.maxResponseBytes ?? 16 * 1024 * 1024);
  } catch (e) {
    await response.body?.cancel().catch(() => undefined);
    throw brokerFailure(e, signal, timeoutMs, 'answer');
  }
}
