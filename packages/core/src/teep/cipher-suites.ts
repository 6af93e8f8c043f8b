/**
 * TEEP cipher-suite negotiation and message signing (draft-ietf-teep-protocol-26 §8.1).
 *
 * A suite is an ordered list of COSE operations; the suites of -26 (and of pre-26) have one
 * operation `[cose-sign1 (18), alg]`. The TAM offers, the Agent selects. The first QueryRequest is a
 * COSE_Sign with one signature per offered suite, "so that a TEEP Agent supporting any one of them
 * can verify a signature"; every later message uses the selected suite as a COSE_Sign1. Which key
 * fits which algorithm comes from the cose algorithm table (`curves`), never from a switch here.
 */
import { findAlgorithm } from '../cose/algorithms.js';
import { createSign1 } from '../cose/sign1.js';
import { createSign } from '../cose/sign.js';
import { COSE_HEADER } from '../cose/headers.js';
import { encodeX5chain } from '../cose/x5.js';
import type { CoseKey } from '../cose/key.js';
import type { CryptoProvider } from '../cose/crypto-provider.js';
import { coseKeyThumbprint } from '../cose/thumbprint.js';
import { InvalidArgument } from '../errors.js';
import { COSE_SIGN1_TYPE, type TeepCipherSuite } from './profiles.js';

/** The signature algorithm of a single-operation COSE_Sign1 suite, else undefined. */
export function suiteAlg(suite: TeepCipherSuite): number | undefined {
  const [op, ...rest] = suite;
  if (rest.length || !op || op.length !== 2 || op[0] !== COSE_SIGN1_TYPE) return undefined;
  return op[1];
}

export function sameSuite(a: TeepCipherSuite, b: TeepCipherSuite): boolean {
  return a.length === b.length && a.every((op, i) => op.length === b[i]!.length && op.every((v, j) => v === b[i]![j]));
}

/** The suites of `offered` (in its order) that also appear in `supported`. */
export function commonSuites(offered: readonly TeepCipherSuite[], supported: readonly TeepCipherSuite[]): TeepCipherSuite[] {
  return offered.filter((s) => supported.some((t) => sameSuite(s, t)));
}

/** The first of `keys` that can sign with `alg` (by the algorithm's curves). */
export function keyForAlg(keys: readonly CoseKey[], alg: number): CoseKey | undefined {
  const a = findAlgorithm(alg);
  if (a === undefined || a.kind !== 'sign') return undefined;
  return keys.find((k) => k.crv !== undefined && a.curves.includes(k.crv) && (k.alg === undefined || k.alg === alg));
}

/** The suites of `candidates` that one of `keys` can sign. */
export function suitesForKeys(candidates: readonly TeepCipherSuite[], keys: readonly CoseKey[]): TeepCipherSuite[] {
  return candidates.filter((s) => {
    const alg = suiteAlg(s);
    return alg !== undefined && keyForAlg(keys, alg) !== undefined;
  });
}

/** The signing key and algorithm for a suite; InvalidArgument when no key fits (a configuration error). */
export function signerFor(keys: readonly CoseKey[], suite: TeepCipherSuite): { key: CoseKey; alg: number } {
  const alg = suiteAlg(suite);
  const key = alg === undefined ? undefined : keyForAlg(keys, alg);
  if (alg === undefined || key === undefined) throw new InvalidArgument(`no signing key for cipher suite ${JSON.stringify(suite)}`);
  return { key, alg };
}

/** A signing key, optionally with its certificate chain (leaf first, root omitted; RFC 9360). */
export interface TeepSigningKeys {
  readonly keys: readonly CoseKey[];
  /**
   * `chains[i]` is the chain of `keys[i]`; sent in a protected x5chain header (RFC 9360; -26 §4.1.1
   * leaves the header parameters to the sender).
   */
  readonly chains?: readonly (readonly Uint8Array[] | undefined)[];
}

/**
 * Signs a TEEP message payload: COSE_Sign1 for one suite, COSE_Sign with one signature per suite
 * otherwise. kid = the RFC 9679 thumbprint of each key (as the -26 §5 EAT profile identifies keys;
 * -26 §4.1.1 leaves the header parameters to the sender); a key with a certificate chain also
 * carries it in x5chain, so a receiver that trusts a CA rather than raw keys can validate it.
 */
export async function signTeepPayload(
  payload: Uint8Array, keys: readonly CoseKey[] | TeepSigningKeys, suites: readonly TeepCipherSuite[], provider?: CryptoProvider,
): Promise<Uint8Array> {
  if (suites.length === 0) throw new InvalidArgument('at least one cipher suite is needed to sign');
  const set: TeepSigningKeys = Array.isArray(keys) ? { keys } : (keys as TeepSigningKeys);
  const signers = await Promise.all(
    suites.map(async (s) => {
      const { key, alg } = signerFor(set.keys, s);
      const chain = set.chains?.[set.keys.indexOf(key)];
      // kid as a header, not as `{ ...key, kid }`: the provider caches its imported key per key
      // object, and a copy per signature would defeat that cache (one import per signature).
      return {
        key,
        alg,
        includeKid: false,
        unprotectedHeaders: new Map([[COSE_HEADER.kid, await coseKeyThumbprint(key)]]),
        ...(chain?.length && { protectedHeaders: new Map([[COSE_HEADER.x5chain, encodeX5chain(chain)]]) }),
      };
    }),
  );
  const p = provider ? { provider } : {};
  if (signers.length === 1) return createSign1({ payload, ...signers[0]!, ...p });
  return createSign({ payload, signers, ...p });
}
