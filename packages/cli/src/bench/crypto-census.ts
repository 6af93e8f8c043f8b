/**
 * Counting the simulated devices' public-key operations in the bench process: their COSE provider is
 * core's countingCryptoProvider over node:crypto, and the process-wide WebCrypto `subtle` is wrapped
 * as well, because certificate path validation (pkijs, @peculiar/x509) and the SUIT processor's
 * default provider call it directly. Labels match the TAM's (@otrp/tam service/crypto-counts.ts):
 * `"<kind> <alg or curve>"` from the provider, `"subtle <kind> <algorithm>"` from WebCrypto.
 */
import * as nodeCrypto from 'node:crypto';
import { countingCryptoProvider, createNodeCryptoProvider } from '@otrp/core';
import type { CryptoProvider } from '@otrp/core';

export type OperationCounts = Record<string, number>;

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

/** Wraps subtle's public-key methods in place; `bump` receives `"subtle <kind> <algorithm>"`. */
function countSubtle(subtle: typeof globalThis.crypto.subtle, bump: (label: string) => void): void {
  const wrap = (method: 'sign' | 'verify' | 'deriveBits' | 'deriveKey' | 'generateKey', kind: string, keyArg: number | undefined) => {
    const original = subtle[method] as (...args: unknown[]) => Promise<unknown>;
    Object.defineProperty(subtle, method, {
      configurable: true,
      writable: true,
      value: (...args: unknown[]) => {
        const label = algorithmLabel(args[0] as AlgorithmLike, keyArg === undefined ? undefined : (args[keyArg] as KeyLike | undefined));
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

export interface CryptoCensus {
  /** node:crypto provider that counts; give it to every simulated Agent. */
  readonly provider: CryptoProvider;
  /** Everything counted so far in this process (only grows). */
  counts(): OperationCounts;
}

let census: CryptoCensus | undefined;

/** The process's census (WebCrypto is wrapped once, on first use). */
export function cryptoCensus(): CryptoCensus {
  if (census) return census;
  const counting = countingCryptoProvider(createNodeCryptoProvider(nodeCrypto));
  const subtleCounts = new Map<string, number>();
  countSubtle(globalThis.crypto.subtle, (label) => subtleCounts.set(label, (subtleCounts.get(label) ?? 0) + 1));
  census = { provider: counting, counts: () => ({ ...counting.counts(), ...Object.fromEntries(subtleCounts) }) };
  return census;
}

/** after - before, per label, zero entries left out. */
export function countsDelta(after: OperationCounts, before: OperationCounts): OperationCounts {
  const out: OperationCounts = {};
  for (const [k, v] of Object.entries(after)) {
    const d = v - (before[k] ?? 0);
    if (d > 0) out[k] = d;
  }
  return out;
}

/** Sums counts label by label. */
export function addCounts(a: OperationCounts, b: OperationCounts): OperationCounts {
  const out: OperationCounts = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return out;
}
