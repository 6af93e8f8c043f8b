/**
 * Wraps a provider and counts its public-key operations by kind and algorithm (sign and verify by
 * alg name, ecdh and keygen by curve), for the fleet benchmark. Symmetric operations pass through
 * uncounted: they are cheap next to the public-key ones.
 */
import type { CryptoProvider } from './crypto-provider.js';

export type CountedOperation = 'sign' | 'verify' | 'ecdh' | 'keygen';

export interface CountingCryptoProvider extends CryptoProvider {
  /** Counts keyed `"<kind> <alg or curve>"`, e.g. `"sign ES256"`, `"ecdh P-256"`. */
  counts(): Record<string, number>;
  /** Total of one kind over all algorithms. */
  total(kind: CountedOperation): number;
  reset(): void;
}

export function countingCryptoProvider(inner: CryptoProvider): CountingCryptoProvider {
  // By kind, then label: no key string is built per operation (several per TEEP message).
  const byKind = new Map<CountedOperation, Map<string, number>>();
  const bump = (kind: CountedOperation, label: string) => {
    let labels = byKind.get(kind);
    if (labels === undefined) byKind.set(kind, (labels = new Map()));
    labels.set(label, (labels.get(label) ?? 0) + 1);
  };
  const entries = () => [...byKind].flatMap(([kind, labels]) => [...labels].map(([label, n]) => [`${kind} ${label}`, n] as const));
  return {
    name: `counting(${inner.name})`,
    sign: (alg, key, data) => (bump('sign', alg.name), inner.sign(alg, key, data)),
    verify: (alg, key, data, sig) => (bump('verify', alg.name), inner.verify(alg, key, data, sig)),
    ecdh: (priv, pub) => (bump('ecdh', String(priv.crv)), inner.ecdh(priv, pub)),
    generateKeyPair: (crv) => (bump('keygen', crv), inner.generateKeyPair(crv)),
    digest: (h, d) => inner.digest(h, d),
    hmac: (h, k, d) => inner.hmac(h, k, d),
    hkdf: (h, ikm, salt, info, len) => inner.hkdf(h, ikm, salt, info, len),
    wrapKey: (kek, cek) => inner.wrapKey(kek, cek),
    unwrapKey: (kek, w) => inner.unwrapKey(kek, w),
    encrypt: (alg, k, iv, pt, aad) => inner.encrypt(alg, k, iv, pt, aad),
    decrypt: (alg, k, iv, ct, aad) => inner.decrypt(alg, k, iv, ct, aad),
    randomBytes: (n) => inner.randomBytes(n),
    counts: () => Object.fromEntries(entries()),
    total: (kind) => [...(byKind.get(kind)?.values() ?? [])].reduce((n, v) => n + v, 0),
    reset: () => byKind.clear(),
  };
}
