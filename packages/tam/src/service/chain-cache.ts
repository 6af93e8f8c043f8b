/**
 * Remembered device-chain validations. A device presents the same x5chain in every message (its
 * QueryResponse and its Success, session after session), and RFC 5280 path validation with pkijs
 * (parsing the chain, the anchors and every CRL, then verifying each signature) costs far more than
 * the TEEP message around it. A successful validation is reused only while it would still succeed:
 *
 *   same chain bytes, same anchors, same role, and the SAME CRL list object (trust.ts hands out a new one when a
 *   CRL file changes, so a revocation is seen as soon as the TAM re-reads its CRLs)
 *   validation time inside every path certificate's validity and before every CRL's nextUpdate
 *   (past it, validateChain would refuse with ERR_REVOCATION_UNKNOWN)
 *   at most `ttlMs` after the validation, and at most `max` entries (oldest dropped first)
 *
 * Failures are never remembered.
 */
import { createHash } from 'node:crypto';
import { readCrl, validateChain } from '@otrp/core';
import type { ValidateChainOptions, ValidatedChain } from '@otrp/core';

interface Entry {
  readonly result: ValidatedChain;
  readonly crls: readonly Uint8Array[] | undefined;
  readonly from: number;
  readonly until: number;
}

export type ChainValidatorFn = (options: ValidateChainOptions & { crls?: readonly Uint8Array[]; at: Date }) => Promise<ValidatedChain>;

export interface ChainCacheOptions {
  readonly max?: number;
  readonly ttlMs?: number;
}

/**
 * When a successful validation stops being reusable, as [from, until) in ms: inside every path
 * certificate's validity and before the earliest nextUpdate of the CRLs it was checked against
 * (past it, validateChain would refuse with ERR_REVOCATION_UNKNOWN). The CRL deadline is computed
 * once per CRL list object.
 */
export type ValidityWindowFn = (result: ValidatedChain, crls: readonly Uint8Array[] | undefined) => { from: number; until: number };

export function validityWindows(): ValidityWindowFn {
  const crlDeadline = new WeakMap<readonly Uint8Array[], number>();
  const deadlineOf = (crls: readonly Uint8Array[] | undefined): number => {
    if (crls === undefined) return Infinity;
    let d = crlDeadline.get(crls);
    if (d === undefined) {
      d = Math.min(Infinity, ...crls.map((c) => readCrl(c).nextUpdate?.getTime() ?? Infinity));
      crlDeadline.set(crls, d);
    }
    return d;
  };
  return (result, crls) => ({ from: result.validFrom.getTime(), until: Math.min(deadlineOf(crls), result.validUntil.getTime()) });
}

/** A validateChain that remembers its successes (see above). */
export function cachedChainValidator(options: ChainCacheOptions = {}): ChainValidatorFn {
  const max = options.max ?? 10_000;
  const ttl = options.ttlMs ?? 5 * 60_000;
  const entries = new Map<string, Entry>();
  const windowOf = validityWindows();
  return async (o) => {
    const anchors = o.anchors.map((a) => ('certificate' in a ? a.certificate : a.publicKey));
    // A CryptoKey or JWK anchor has no bytes to compare by: validate every time.
    if (anchors.some((a) => typeof a !== 'string' && !(a instanceof Uint8Array))) return validateChain(o);
    const h = createHash('sha256').update(`${o.role}|${o.usage ?? ''}`);
    for (const c of [...o.chain, '|', ...(anchors as (string | Uint8Array)[])]) {
      const bytes = typeof c === 'string' ? Buffer.from(c) : c;
      h.update(String(bytes.length)).update(bytes);
    }
    const key = h.digest('hex');
    const at = o.at.getTime();
    const hit = entries.get(key);
    if (hit && hit.crls === o.crls && at >= hit.from && at < hit.until) return hit.result;
    const result = await validateChain(o);
    const { from, until } = windowOf(result, o.crls);
    entries.delete(key);
    entries.set(key, { result, crls: o.crls, from, until: Math.min(until, at + ttl) });
    if (entries.size > max) entries.delete(entries.keys().next().value!);
    return result;
  };
}
