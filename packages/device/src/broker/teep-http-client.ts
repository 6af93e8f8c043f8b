/**
 * One TEEP/HTTP exchange from the client side (draft-ietf-teep-otrp-over-http-15 §3, §5): a POST
 * to the TAM URI with `Accept: application/teep+cbor` and, with a body, `Content-Type` of the same
 * type. The answer is the response body, or nothing for an empty (204) response.
 *
 * - Redirects are not followed (§3 "MUST NOT be automatically followed"): a 3xx is an error.
 * - No cookies: none is sent and none is kept (`credentials: 'omit'`, no jar), whatever the TAM sets.
 * - No Cache-Control header is sent (§3).
 * - A response with content must be `application/teep+cbor` (§3); anything else is refused.
 * - A timeout and a size limit guard the transport. -15 §5.6 leaves TEEP timeouts to the Agent;
 *   these only stop a hung or hostile server from holding the Broker forever.
 * Every failure is a typed DeviceError (errors.ts); the Broker reports it to the Agent's
 * ProcessError and to its caller.
 */
import { BrokerBadUri, BrokerContentType, BrokerHttpStatus, BrokerRedirect, BrokerTimeout, BrokerTransportFailed } from '../errors.js';
import { readLimited } from './read-limited.js';

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

/** Checks that a TAM URI is an absolute http(s) URI (-15 §3: "any HTTP(S) URI"). */
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

function isTeepMediaType(value: string | null): boolean {
  if (value === null) return false;
  return value.split(';')[0]!.trim().toLowerCase() === TEEP_MEDIA_TYPE;
}

const isTimeout = (e: unknown) => e instanceof Error && (e.name === 'TimeoutError' || (e.name === 'AbortError' && String((e as { cause?: unknown }).cause ?? '').includes('Timeout')));

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
      headers: { accept: TEEP_MEDIA_TYPE, 'content-type': TEEP_MEDIA_TYPE },
      body: (body ?? new Uint8Array(0)) as Uint8Array<ArrayBuffer>,
      redirect: 'manual',
      credentials: 'omit',
      signal,
    });
  } catch (e) {
    if (isTimeout(e) || signal.aborted) throw new BrokerTimeout(`no answer from the TAM within ${timeoutMs} ms`, { cause: e });
    throw new BrokerTransportFailed('cannot reach the TAM', { cause: e });
  }
  try {
    if (response.status >= 300 && response.status < 400) {
      throw new BrokerRedirect(`TAM answered ${response.status} (redirects are not followed)`);
    }
    if (response.status < 200 || response.status >= 300) throw new BrokerHttpStatus(response.status);
    const data = await readLimited(response, options.maxResponseBytes ?? 16 * 1024 * 1024);
    if (data.length === 0) return undefined;
    if (!isTeepMediaType(response.headers.get('content-type'))) {
      throw new BrokerContentType(`response content type is ${JSON.stringify(response.headers.get('content-type'))}, not ${TEEP_MEDIA_TYPE}`);
    }
    return data;
  } catch (e) {
    await response.body?.cancel().catch(() => undefined);
    if (e instanceof Error && 'code' in e && typeof e.code === 'string' && e.code.startsWith('ERR_BROKER_')) throw e;
    if (isTimeout(e) || signal.aborted) throw new BrokerTimeout(`no complete answer from the TAM within ${timeoutMs} ms`, { cause: e });
    throw new BrokerTransportFailed('the connection to the TAM failed', { cause: e });
  }
}
