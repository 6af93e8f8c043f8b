/**
 * Reading an HTTP response body with a size limit, for both Brokers (TEEP and OTrP): a declared
 * Content-Length over the limit is refused before reading, and a body that grows past it while
 * streaming is cancelled at that point, so a TAM cannot make the REE buffer more than `limit` bytes.
 */
import { BrokerResponseTooLarge } from '../errors.js';

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
