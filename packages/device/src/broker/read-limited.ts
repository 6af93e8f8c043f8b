/**
 * Reading the TAM's answer, the same for both Brokers (TEEP -15 and OTrP -02): a 2xx status, a
 * bounded body, and content only of the protocol's media type. `readLimited`: a declared
 * Content-Length over the limit is refused before reading, and a body that grows past it while
 * streaming is cancelled at that point, so a TAM cannot make the REE buffer more than `limit` bytes.
 * Each client handles 3xx itself first (TEEP refuses redirects, OTrP follows some).
 */
import { BrokerContentType, BrokerHttpStatus, BrokerResponseTooLarge, BrokerTimeout, BrokerTransportFailed } from '../errors.js';

/** Whether a Content-Type value names `mediaType` (parameters ignored, case-insensitive). */
export function isMediaType(value: string | null, mediaType: string): boolean {
  return value !== null && value.split(';')[0]!.trim().toLowerCase() === mediaType;
}

/** The message in a (non-3xx) answer: undefined for an empty body, else bytes of `mediaType`. */
export async function readAnswer(response: Response, mediaType: string, limit: number): Promise<Uint8Array | undefined> {
  if (response.status < 200 || response.status >= 300) throw new BrokerHttpStatus(response.status);
  const data = await readLimited(response, limit);
  if (data.length === 0) return undefined;
  const type = response.headers.get('content-type');
  if (!isMediaType(type, mediaType)) throw new BrokerContentType(`response content type is ${JSON.stringify(type)}, not ${mediaType}`);
  return data;
}

const isTimeout = (e: unknown) => e instanceof Error && (e.name === 'TimeoutError' || (e.name === 'AbortError' && String((e as { cause?: unknown }).cause ?? '').includes('Timeout')));

/**
 * What a failure while talking to the TAM is reported as: the Broker's own errors as they are, else
 * a timeout (the exchange's signal fired) or a transport failure. `stage` says how far it got.
 */
export function brokerFailure(e: unknown, signal: AbortSignal, timeoutMs: number, stage: 'connect' | 'answer'): Error {
  if (e instanceof Error && 'code' in e && typeof e.code === 'string' && e.code.startsWith('ERR_BROKER_')) return e;
  if (isTimeout(e) || signal.aborted) {
    return new BrokerTimeout(`no ${stage === 'answer' ? 'complete answer' : 'answer'} from the TAM within ${timeoutMs} ms`, { cause: e });
  }
  return new BrokerTransportFailed(stage === 'answer' ? 'the connection to the TAM failed' : 'cannot reach the TAM', { cause: e });
}

export async function readLimited(response: Response, limit: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel().catch(() => undefined);
    throw new BrokerResponseTooLarge(`response of ${declared} bytes is over the ${limit}-byte limit`);
  }
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw new BrokerResponseTooLarge(`response is over the ${limit}-byte limit`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
