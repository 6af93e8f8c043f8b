/**
 * What COSE_Sign1 and COSE_Sign share: picking the algorithm, checking that a key fits it, key
 * resolvers, and signing/verifying one Sig_structure through the provider with typed errors.
 */
import { COSE_ALGORITHMS, getAlgorithm, type SignAlgorithm } from './algorithms.js';
import type { CryptoProvider } from './crypto-provider.js';
import { checkCoseKey, type CoseKey } from './key.js';
import { COSE_HEADER, headerValue, type CoseHeaders } from './headers.js';
import { CoseKeyMismatch, CoseMalformed, CoseSignatureInvalid, CoseNoKey } from './errors.js';
import { guardAsync } from './guard.js';
import { isOtrpError } from '../errors.js';

/** Looks up the key for one signer/recipient/message from its headers; undefined = none. */
export type KeyResolver = (headers: CoseHeaders) => CoseKey | undefined | Promise<CoseKey | undefined>;
/** A fixed key, or a resolver. */
export type KeyInput = CoseKey | KeyResolver;

/** The key for `headers`: the fixed key, or what the resolver returns. */
export async function resolveKey(input: KeyInput, headers: CoseHeaders): Promise<CoseKey | undefined> {
  if (typeof input !== 'function') return input;
  try {
    return await input(headers);
  } catch (e) {
    if (isOtrpError(e)) throw e;
    throw new CoseNoKey('key resolver failed', { cause: e });
  }
}

/** The default signature algorithm for a key: its `alg`, else by curve (ES256, ES384, EdDSA). */
export function defaultSignAlg(key: CoseKey): number {
  if (key.alg !== undefined) return key.alg;
  // The table lists the classic ids (ES256, ES384, EdDSA) before the fully-specified ones.
  const alg = COSE_ALGORITHMS.find((a) => a.kind === 'sign' && key.crv !== undefined && a.curves.includes(key.crv));
  if (alg === undefined) throw new CoseKeyMismatch('key cannot sign');
  return alg.id;
}

/** Checks that `key` may be used with `alg` (kty/curve, and the key's own `alg` restriction, RFC 9052 §7.1). */
export function checkSignKey(alg: SignAlgorithm, key: CoseKey, needPrivate: boolean): void {
  checkCoseKey(key);
  if (!key.crv || !alg.curves.includes(key.crv)) throw new CoseKeyMismatch(`key does not fit ${alg.name}`);
  if (key.alg !== undefined && key.alg !== alg.id) throw new CoseKeyMismatch(`key is restricted to algorithm ${key.alg}`);
  if (needPrivate && !key.d) throw new CoseKeyMismatch('signing needs a private key');
}

/** The signature algorithm named by `headers` (alg is required, RFC 9052 §4.4). */
export function signAlgOf(headers: CoseHeaders): SignAlgorithm {
  const id = headerValue(headers, COSE_HEADER.alg);
  if (id === undefined) throw new CoseMalformed('alg header missing');
  return getAlgorithm(id, 'sign');
}

export async function signBytes(provider: CryptoProvider, alg: SignAlgorithm, key: CoseKey, tbs: Uint8Array): Promise<Uint8Array> {
  checkSignKey(alg, key, true);
  return guardAsync(
    () => provider.sign(alg, key, tbs),
    (e) => new CoseKeyMismatch('signing failed', { cause: e }),
  );
}

/** Verifies or throws CoseSignatureInvalid (fixed message), also for crypto-level exceptions. */
export async function verifyBytes(provider: CryptoProvider, alg: SignAlgorithm, key: CoseKey, tbs: Uint8Array, signature: Uint8Array): Promise<void> {
  checkSignKey(alg, key, false);
  let ok = false;
  try {
    ok = await provider.verify(alg, key, tbs, signature);
  } catch (e) {
    throw new CoseSignatureInvalid({ cause: e });
  }
  if (!ok) throw new CoseSignatureInvalid();
}
