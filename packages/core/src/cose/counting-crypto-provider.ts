/**
 * Wraps a provider and counts its public-key operations by kind and algorithm (sign and verify by
 * alg name, ecdh and keygen by curve), for the fleet benchmark. Symmetric operations pass through
 * uncounted: they are cheap next to the public-key ones.
 *
 * It also adds up the time each operation spends in the wrapped call until that call returns its
 * promise (`micros`). For a provider that computes synchronously (node:crypto's) that is the
 * operation itself, as it costs inside a busy process; for WebCrypto it is only the dispatch.
 */
import type { CryptoProvider } from './crypto-provider.js';

export type CountedOperation = 'sign' | 'verify' | 'ecdh' | 'keygen';

export interface CountingCryptoProvider extends CryptoProvider {
  /** Counts keyed `"<kind> <alg or curve>"`, e.g. `"sign ES256"`, `"ecdh P-256"`. */
  counts(): Record<string, number>;
  /** Microseconds spent in the wrapped calls, keyed as `counts` (see the module comment). */
  micros(): Record<string, number>;
  /** Total of one kind over all algorithms. */
  total(kind: CountedOperation): number;
  reset(): void;
}

export function countingCryptoProvider(inner: CryptoProvider): CountingCryptoProvider {
  // By kind, then label: no key string is built per operation (several per TEEP message).
  const byKind = new Map<CountedOperation, Map<string, { n: number; ms: number }>>();
  const timed = <T>(kind: CountedOperation, label: string, call: () => T): T => {
    let labels = byKind.get(kind);
    if (labels === undefined) byKind.set(kind, (labels = new Map()));
    let tally = labels.get(label);
    if (tally === undefined) labels.set(label, (tally = { n: 0, ms: 0 }));
    tally.n++;
    const t0 = performance.now();
    try {
      return call();
    } finally {
      tally.ms += performance.now() - t0;
    }
  };
  const entries = <V>(pick: (t: { n: number; ms: number }) => V) =>
    Object.fromEntries([...byKind].flatMap(([kind, labels]) => [...labels].map(([label, t]) => [`${kind} ${label}`, pick(t)] as const)));
  return {
    name: `counting(${inner.name})`,
    sign: (alg, key, data) => timed('sign', alg.name, () => inner.sign(alg, key, data)),
    verify: (alg, key, data, sig) => timed('verify', alg.name, () => inner.verify(alg, key, data, sig)),
    ecdh: (priv, pub) => timed('ecdh', String(priv.crv), () => inner.ecdh(priv, pub)),
    generateKeyPair: (crv) => timed('keygen', crv, () => inner.generateKeyPair(crv)),
    digest: (h, d) => inner.digest(h, d),
    hmac: (h, k, d) => inner.hmac(h, k, d),
    hkdf: (h, ikm, salt, info, len) => inner.hkdf(h, ikm, salt, info, len),
    wrapKey: (kek, cek) => inner.wrapKey(kek, cek),
    unwrapKey: (kek, w) => inner.unwrapKey(kek, w),
    encrypt: (alg, k, iv, pt, aad) => inner.encrypt(alg, k, iv, pt, aad),
    decrypt: (alg, k, iv, ct, aad) => inner.decrypt(alg, k, iv, ct, aad),
    randomBytes: (n) => inner.randomBytes(n),
    counts: () => entries((t) => t.n),
    micros: () => entries((t) => t.ms * 1000),
    total: (kind) => [...(byKind.get(kind)?.values() ?? [])].reduce((n, t) => n + t.n, 0),
    reset: () => byKind.clear(),
  };
}
