/**
 * One OTrP/HTTP exchange from the client side (draft-ietf-teep-otrp-over-http-02 §4, §5): a POST to
 * the TAM URI with `Accept: application/otrp+json` and, with a body, `Content-Type` of the same type.
 * The answer is the response body, or nothing for an empty (204) response. OTrP follows -02, not
 * TEEP's -15 (teep-http-client.ts), where they differ:
 *
 * - `Cache-Control: no-store` is sent on every request (-02 §4, after BCP 56bis §4.12; -15 forbids it).
 * - Redirects MAY be followed (-02 §4): 301, 302, 307 and 308 are followed with the same method, body
 *   and headers (-02: "no additional request headers ... need be modified or removed"), at most
 *   `maxRedirects` hops (default 5), only to http(s) URIs and never from https to http. A 303 ("see
 *   other", a GET) cannot carry an OTrP message and is refused (ERR_BROKER_REDIRECT). Each POST of a
 *   session starts again at the configured TAM URI.
 * - No cookies: none is sent and none is kept (`credentials: 'omit'`, no jar).
 * - A response with content must be `application/otrp+json`; its size is bounded (default 4 MiB +
 *   4 KiB, core's OTrP JSON limit) and so is the time (default 30 s per exchange).
 * Every failure is a typed DeviceError (errors.ts).
 */
import { BrokerRedirect } from '../errors.js';
import { brokerFailure, readAnswer } from './read-limited.js';
import { checkTamUri } from './teep-http-client.js';

/** The OTrP media type (-02 §4, "the relevant OTrP content type"). */
export const OTRP_MEDIA_TYPE = 'application/otrp+json';
/** Core's OTrP JSON limit (4 MiB per message, otrp/json.ts) and a little room. */
export const DEFAULT_OTRP_MAX_RESPONSE_BYTES = 4 * 1024 * 1024 + 4096;

export interface OtrpHttpClientOptions {
  /** Milliseconds for one exchange, redirects and response body included (default 30 s). */
  readonly timeoutMs?: number;
  /** Largest response body accepted (default DEFAULT_OTRP_MAX_RESPONSE_BYTES). */
  readonly maxResponseBytes?: number;
  /** Redirect hops followed per POST (default 5; 0 refuses every redirect). */
  readonly maxRedirects?: number;
  /** The fetch implementation (default the global one). */
  readonly fetch?: typeof fetch;
}

const FOLLOWED = new Set([301, 302, 307, 308]);

/** Where a redirect leads, checked (-02 §4 and the rules in the module comment). */
function redirectTarget(from: URL, location: string | null, status: number): URL {
  if (!FOLLOWED.has(status)) throw new BrokerRedirect(`TAM answered ${status}: an OTrP POST cannot follow it`);
  if (!location) throw new BrokerRedirect(`TAM answered ${status} without a Location`);
  let to: URL;
  try {
    to = checkTamUri(new URL(location, from).href);
  } catch (e) {
    throw new BrokerRedirect(`TAM redirected to an unusable URI`, { cause: e });
  }
  if (from.protocol === 'https:' && to.protocol !== 'https:') throw new BrokerRedirect('TAM redirected from https to http');
  return to;
}

/** Posts one OTrP message (or none, to open a session) and returns the TAM's message, if any. */
export async function postOtrp(tamUri: string, body: Uint8Array | undefined, options: OtrpHttpClientOptions = {}): Promise<Uint8Array | undefined> {
  let url = checkTamUri(tamUri);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxRedirects = options.maxRedirects ?? 5;
  const signal = AbortSignal.timeout(timeoutMs);
  const doFetch = options.fetch ?? fetch;
  const headers: Record<string, string> = { accept: OTRP_MEDIA_TYPE, 'cache-control': 'no-store' };
  if (body && body.length > 0) headers['content-type'] = OTRP_MEDIA_TYPE;
  for (let hops = 0; ; hops++) {
    let response: Response;
    try {
      response = await doFetch(url, {
        method: 'POST',
        headers,
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
        const next = redirectTarget(url, response.headers.get('location'), response.status);
        if (hops >= maxRedirects) throw new BrokerRedirect(`more than ${maxRedirects} redirects`);
        await response.body?.cancel().catch(() => undefined);
        url = next;
        continue;
      }
      return await readAnswer(response, OTRP_MEDIA_TYPE, options.maxResponseBytes ?? DEFAULT_OTRP_MAX_RESPONSE_BYTES);
    } catch (e) {
      await response.body?.cancel().catch(() => undefined);
      throw brokerFailure(e, signal, timeoutMs, 'answer');
    }
  }
}
