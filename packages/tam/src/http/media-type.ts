/**
 * The TEEP media type and the two header checks of otrp-over-http-15 §6.1: the Content-Type of a
 * non-empty body, and the Accept header of every request.
 */

/** The TEEP media type (draft-ietf-teep-protocol-26 §14.1; the same for the pre-26 numbering). */
export const TEEP_MEDIA_TYPE = 'application/teep+cbor';

/**
 * The essence of a Content-Type value (RFC 9110 §8.3.1): `type/subtype` lower-cased, without
 * parameters or whitespace. Undefined when the header is absent or empty.
 */
export function mediaTypeEssence(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const essence = header.split(';', 1)[0]!.trim().toLowerCase();
  return essence === '' ? undefined : essence;
}

/** True when a Content-Type header names `application/teep+cbor` (parameters are ignored). */
export function isTeepContentType(header: string | undefined): boolean {
  return mediaTypeEssence(header) === TEEP_MEDIA_TYPE;
}

/**
 * Whether an Accept header (RFC 9110 §12.5.1) admits `application/teep+cbor`: the most specific
 * matching range (`application/teep+cbor` over `application/*` over `* /*`) decides, and `q=0`
 * refuses. Returns undefined when the header is absent, so the caller chooses the policy for that case.
 */
export function acceptsTeep(header: string | string[] | undefined): boolean | undefined {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header.join(',') : header;
  let best = 0;
  let bestQ = 0;
  for (const part of value.split(',')) {
    const [rangeRaw, ...params] = part.split(';');
    const range = rangeRaw!.trim().toLowerCase();
    const specificity =
      range === TEEP_MEDIA_TYPE ? 3 : range === 'application/*' ? 2 : range === '*/*' ? 1 : 0;
    if (specificity === 0) continue;
    const q = qualityOf(params);
    if (specificity > best) {
      best = specificity;
      bestQ = q;
    } else if (specificity === best && q > bestQ) {
      bestQ = q;
    }
  }
  return best > 0 && bestQ > 0;
}

/** The `q` weight among Accept parameters (RFC 9110 §12.4.2); 1 when absent, 0 when unreadable. */
function qualityOf(params: string[]): number {
  for (const p of params) {
    const [name, raw] = p.split('=', 2);
    if (name!.trim().toLowerCase() !== 'q') continue;
    const q = Number((raw ?? '').trim());
    return Number.isFinite(q) && q >= 0 && q <= 1 ? q : 0;
  }
  return 1;
}
