/**
 * Counting the TAM's public-key operations for the fleet benchmark (`otrp bench`), off by default.
 *
 * With OTRP_COUNT_CRYPTO=1 in the environment of `otrp tam serve` (or `countCrypto: true` given to
 * startTamServer), the TAM's COSE provider is wrapped by core's countingCryptoProvider, and the global
 * WebCrypto `subtle` of the process is wrapped too: certificate path validation (pkijs, @peculiar/x509)
 * and CRL checks call it directly, not through a COSE provider, and the ceiling must include them.
 * The counts are served at `GET /admin/v1/crypto-operations` (bearer token, like every admin route):
 *
 *   { "counts": { "verify ESP256": 1200, "subtle verify ECDSA P-256 SHA-256": 2400, ... },
 *     "micros": { "verify ESP256": 228000.5, ... } }
 *
 * Keys are `"<kind> <alg or curve>"` (countingCryptoProvider) and `"subtle <kind> <algorithm>"` for
 * WebCrypto; counts only grow (a client takes differences). Symmetric operations are not counted.
 * `micros` is the time the provider's operations took inside this process (countingCryptoProvider
 * `micros`); WebCrypto operations are asynchronous and only counted.
 */
import type { FastifyInstance } from 'fastify';
import { countingCryptoProvider } from '@otrp/core';
import type { CryptoProvider } from '@otrp/core';

/** The environment variable that turns counting on in `otrp tam serve`. */
export const COUNT_CRYPTO_ENV = 'OTRP_COUNT_CRYPTO';

/** The admin route (under /admin/v1) serving the counts while counting is on. */
export const CRYPTO_OPERATIONS_ROUTE = '/crypto-operations';

export interface CryptoCounter {
  readonly provider: CryptoProvider;
  counts(): Record<string, number>;
  /** Microseconds spent in the provider's public-key operations, by the same keys (no `subtle` ones). */
  micros(): Record<string, number>;
}

type AlgorithmLike = string | { name?: string; hash?: string | { name?: string }; namedCurve?: string };
type KeyLike = { algorithm?: { name?: string; namedCurve?: string } };

/** WebCrypto's public-key algorithms; HMAC, HKDF, PBKDF2 and AES go through the same methods and are not counted. */
const PUBLIC_KEY_ALGORITHMS = new Set(['ECDSA', 'ECDH', 'Ed25519', 'X25519', 'Ed448', 'X448', 'RSASSA-PKCS1-v1_5', 'RSA-PSS', 'RSA-OAEP']);

/** `"<name> [curve] [hash]"`, or undefined for a symmetric algorithm. */
function algorithmLabel(alg: AlgorithmLike, key: KeyLike | undefined): string | undefined {
  const a = typeof alg === 'string' ? { name: alg } : alg;
  if (!PUBLIC_KEY_ALGORITHMS.has(a.name ?? '')) return undefined;
  const hash = typeof a.hash === 'string' ? a.hash : a.hash?.name;
  const curve = a.namedCurve ?? key?.algorithm?.namedCurve;
  return [a.name ?? key?.algorithm?.name ?? '?', curve, hash].filter((p) => p !== undefined).join(' ');
}

/**
 * Wraps the public-key methods of `subtle` (sign, verify, deriveBits, deriveKey, generateKey) in
 * place so every caller of this object is counted; `bump` receives `"subtle <kind> <algorithm>"`.
 */
export function countSubtleOperations(subtle: typeof globalThis.crypto.subtle, bump: (label: string) => void): void {
  const wrap = (method: 'sign' | 'verify' | 'deriveBits' | 'deriveKey' | 'generateKey', kind: string, keyArg: number | undefined) => {
    const original = subtle[method] as (...args: unknown[]) => Promise<unknown>;
    Object.defineProperty(subtle, method, {
      configurable: true,
      writable: true,
      value: (...args: unknown[]) => {
        const alg = args[0] as AlgorithmLike;
        const key = keyArg === undefined ? undefined : (args[keyArg] as KeyLike | undefined);
        // ECDH's algorithm object names the peer key (`public`); the curve is the private key's.
        const label = algorithmLabel(alg, key);
        if (label !== undefined) bump(`subtle ${kind} ${label}`);
        return original.apply(subtle, args);
      },
    });
  };
  wrap('sign', 'sign', 1);
  wrap('verify', 'verify', 1);
  wrap('deriveBits', 'ecdh', 1);
  wrap('deriveKey', 'ecdh', 1);
  wrap('generateKey', 'keygen', undefined);
}

/** Counts `inner`'s public-key operations and those of the process-wide WebCrypto. */
export function createCryptoCounter(inner: CryptoProvider): CryptoCounter {
  const counting = countingCryptoProvider(inner);
  const subtleCounts = new Map<string, number>();
  countSubtleOperations(globalThis.crypto.subtle, (label) => subtleCounts.set(label, (subtleCounts.get(label) ?? 0) + 1));
  return {
    provider: counting,
    counts: () => ({ ...counting.counts(), ...Object.fromEntries(subtleCounts) }),
    micros: () => counting.micros(),
  };
}

/** Registers GET /crypto-operations in the admin scope. */
export function registerCryptoOperationsRoute(scope: FastifyInstance, counter: CryptoCounter): void {
  scope.get(CRYPTO_OPERATIONS_ROUTE, {
    schema: {
      tags: ['meta'],
      summary: 'Public-key operations performed since start (only with OTRP_COUNT_CRYPTO=1)',
      response: {
        200: {
          type: 'object',
          required: ['counts', 'micros'],
          properties: {
            counts: { type: 'object', additionalProperties: { type: 'integer' } },
            micros: { type: 'object', additionalProperties: { type: 'number' } },
          },
        },
      },
    },
    handler: async () => ({ counts: counter.counts(), micros: counter.micros() }),
  });
}
