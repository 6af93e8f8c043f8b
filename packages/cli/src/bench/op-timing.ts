/**
 * The single-core cost of each counted public-key operation, measured with node:crypto's one-shot
 * functions in this process (the same calls core's node:crypto provider makes): a synchronous loop
 * runs on one core, so ops/second of the loop is that core's rate.
 *
 * A counted label (crypto-census.ts) names a kind and an algorithm; `operationSpec` maps it to what
 * is timed: ESP256/ES256 and WebCrypto "ECDSA P-256 SHA-256" are ECDSA P-256 with SHA-256, "X25519"
 * ECDH is X25519, "ECDH P-256" is P-256, and so on. A label it cannot price is an error rather than a
 * silently wrong ceiling.
 */
import * as nodeCrypto from 'node:crypto';
import { CliError } from '../cli-error.js';

export type OperationKind = 'sign' | 'verify' | 'ecdh' | 'keygen';
export type Curve = 'P-256' | 'P-384' | 'P-521' | 'Ed25519' | 'X25519';

export interface OperationSpec {
  readonly kind: OperationKind;
  readonly curve: Curve;
  /** node hash name for ECDSA; null for EdDSA and the non-signature kinds. */
  readonly hash: 'sha256' | 'sha384' | 'sha512' | null;
}

/** COSE algorithm names (cose/algorithms.ts) to curve and hash. */
const COSE_SIGN_ALGS: Record<string, { curve: Curve; hash: OperationSpec['hash'] }> = {
  ESP256: { curve: 'P-256', hash: 'sha256' },
  ES256: { curve: 'P-256', hash: 'sha256' },
  ESP384: { curve: 'P-384', hash: 'sha384' },
  ES384: { curve: 'P-384', hash: 'sha384' },
  ESP512: { curve: 'P-521', hash: 'sha512' },
  ES512: { curve: 'P-521', hash: 'sha512' },
  EdDSA: { curve: 'Ed25519', hash: null },
  Ed25519: { curve: 'Ed25519', hash: null },
};
const CURVES: readonly Curve[] = ['P-256', 'P-384', 'P-521', 'Ed25519', 'X25519'];
const HASHES: Record<string, OperationSpec['hash']> = { 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

/** What a counted label costs, as a node:crypto operation. */
export function operationSpec(label: string): OperationSpec {
  const parts = label.split(' ');
  const subtle = parts[0] === 'subtle';
  const [kind, ...rest] = subtle ? parts.slice(1) : parts;
  if (kind !== 'sign' && kind !== 'verify' && kind !== 'ecdh' && kind !== 'keygen') throw unpriced(label);
  if ((kind === 'sign' || kind === 'verify') && !subtle) {
    const a = COSE_SIGN_ALGS[rest.join(' ')];
    if (!a) throw unpriced(label);
    return { kind, curve: a.curve, hash: a.hash };
  }
  const curve = CURVES.find((c) => rest.includes(c));
  if (curve === undefined) throw unpriced(label);
  if (kind === 'sign' || kind === 'verify') {
    if (curve === 'Ed25519') return { kind, curve, hash: null };
    const hash = HASHES[rest.find((p) => p in HASHES) ?? ''];
    if (!hash || !rest.includes('ECDSA') || curve === 'X25519') throw unpriced(label);
    return { kind, curve, hash };
  }
  return { kind, curve, hash: null };
}

function unpriced(label: string): CliError {
  return new CliError('ERR_BENCH_UNPRICED_OPERATION', `cannot price the counted operation "${label}" with node:crypto`);
}

export function specKey(s: OperationSpec): string {
  return `${s.kind} ${s.curve}${s.hash ? ` ${s.hash}` : ''}`;
}

function keyPair(curve: Curve): nodeCrypto.KeyPairKeyObjectResult {
  if (curve === 'Ed25519') return nodeCrypto.generateKeyPairSync('ed25519');
  if (curve === 'X25519') return nodeCrypto.generateKeyPairSync('x25519');
  return nodeCrypto.generateKeyPairSync('ec', { namedCurve: { 'P-256': 'prime256v1', 'P-384': 'secp384r1', 'P-521': 'secp521r1' }[curve] });
}

/** One operation of `spec`, ready to repeat. */
function operation(spec: OperationSpec): () => unknown {
  // A TEEP message's signed structure is a few hundred bytes; ECDSA hashes it first anyway.
  const data = nodeCrypto.randomBytes(512);
  const ec = spec.curve === 'Ed25519' || spec.curve === 'X25519' ? {} : { dsaEncoding: 'ieee-p1363' as const };
  switch (spec.kind) {
    case 'sign': {
      const { privateKey } = keyPair(spec.curve);
      return () => nodeCrypto.sign(spec.hash, data, { key: privateKey, ...ec });
    }
    case 'verify': {
      const { privateKey, publicKey } = keyPair(spec.curve);
      const sig = nodeCrypto.sign(spec.hash, data, { key: privateKey, ...ec });
      return () => {
        if (!nodeCrypto.verify(spec.hash, data, { key: publicKey, ...ec }, sig)) throw new Error('verify timing: signature did not verify');
      };
    }
    case 'ecdh': {
      const a = keyPair(spec.curve);
      const b = keyPair(spec.curve);
      return () => nodeCrypto.diffieHellman({ privateKey: a.privateKey, publicKey: b.publicKey });
    }
    case 'keygen':
      return () => keyPair(spec.curve);
  }
}

/**
 * Microseconds per operation on one core: after a warm-up, `batches` loops of at least `ms`
 * milliseconds each, and the fastest batch wins (other processes on the machine only ever slow a
 * batch down, so the minimum is the closest to the core's own speed).
 */
export function timeOperation(spec: OperationSpec, ms = 60, batches = 7): number {
  const op = operation(spec);
  for (let i = 0; i < 50; i++) op();
  let best = Infinity;
  for (let b = 0; b < batches; b++) {
    let n = 0;
    const start = process.hrtime.bigint();
    const until = start + BigInt(ms) * 1_000_000n;
    let now = start;
    while (now < until) {
      for (let i = 0; i < 10; i++) op();
      n += 10;
      now = process.hrtime.bigint();
    }
    best = Math.min(best, Number(now - start) / 1000 / n);
  }
  return best;
}
