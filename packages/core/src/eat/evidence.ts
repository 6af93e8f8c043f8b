/**
 * Evidence in the TEEP EAT profile: a COSE_Sign1 whose payload is the claims-set
 * (draft-ietf-teep-protocol-26 §5: "COSE/JOSE Protection: see §8.2"; key identification by the
 * RFC 9679 thumbprint in `kid`).
 *
 * verifyEvidence checks, in order: the signature against the endorsement keys (a list: the key
 * the kid names, else each key; or a resolver: only the key it returns for the kid), the claims
 * against the TEEP EAT profile, eat_nonce against the expected nonce (the challenge, or the token in
 * the Passport model, -26 §9), and cnf.kid against the thumbprint of the key that verified the TEEP
 * message (-26 §7.1.1.1 step 2: no replay of another Agent's EAT).
 */
import { createSign1, decodeSign1, verifyDecodedSign1 } from '../cose/sign1.js';
import { bytesEqual } from '../cose/bytes.js';
import type { CoseKey } from '../cose/key.js';
import type { CryptoProvider } from '../cose/crypto-provider.js';
import { COSE_HEADER, headerValue } from '../cose/headers.js';
import { CoseSignatureInvalid, CoseKeyMismatch, CoseUnsupportedAlg } from '../cose/errors.js';
import { decodeEatClaims, type EatClaims } from './claims.js';
import { encodeEatClaims } from './claims-encode.js';
import { EatCnfMismatch, EatExpired, EatNonceMismatch, EatUntrustedSigner } from './errors.js';
import { checkTeepEatProfile } from './teep-profile.js';
import { coseKeyThumbprint } from '../cose/thumbprint.js';
import { fullySpecifiedSignAlg } from '../cose/algorithms.js';

export interface BuildEvidenceOptions {
  readonly claims: EatClaims;
  /** The attestation (endorsed) private key. Its RFC 9679 thumbprint becomes the kid. */
  readonly key: CoseKey;
  /** COSE algorithm (default ESP256 for P-256 keys, Ed25519 for Ed25519 keys). */
  readonly alg?: number;
  readonly provider?: CryptoProvider;
}

/** Signs a claims-set into tagged COSE_Sign1 Evidence. */
export async function buildEvidence(options: BuildEvidenceOptions): Promise<Uint8Array> {
  const payload = encodeEatClaims(options.claims);
  const kid = await coseKeyThumbprint(options.key);
  // -26 §8.2 suites use the fully specified ESP256 / Ed25519, not cose's ES256 / EdDSA defaults.
  const alg = options.alg ?? fullySpecifiedSignAlg(options.key.crv);
  // kid as a header rather than a key copy, so the provider's per-key-object import cache hits.
  return createSign1({
    payload, key: options.key, includeKid: false, unprotectedHeaders: new Map([[COSE_HEADER.kid, kid]]),
    ...(alg !== undefined && { alg }), ...(options.provider && { provider: options.provider }),
  });
}

/**
 * The one endorsement key a kid names (the raw kid bytes), or undefined when no trusted key has it.
 * For a verifier whose keys are looked up, not listed: a TAM's enrolled fleet, say.
 */
export type EndorsementKeyResolver = (kid: Uint8Array) => Promise<CoseKey | undefined>;

export interface VerifyEvidenceOptions {
  /**
   * Who may sign Evidence (endorsements). A list: the keys whose thumbprint or kid is the Evidence's
   * kid, else every key in turn. A resolver: the key it returns for the kid and no other; Evidence
   * without a kid is then refused, as the TEEP EAT profile identifies the key by kid (-26 §5).
   */
  readonly endorsementKeys: readonly CoseKey[] | EndorsementKeyResolver;
  /** Expected eat_nonce (challenge or token); omitted = no freshness check (timestamp mechanism). */
  readonly nonce?: Uint8Array;
  /** The key that verified the enclosing TEEP message; cnf.kid must be its thumbprint. */
  readonly teepKey?: CoseKey;
  /**
   * The receiver's clock (ms since the epoch): when given, an `exp` that has passed or an `nbf`
   * still ahead is refused (ERR_EAT_EXPIRED). Claims without them are not limited.
   */
  readonly now?: number;
  /** Accepted COSE algorithms (default: all signature algorithms of cose/algorithms.ts). */
  readonly algorithms?: readonly number[];
  readonly provider?: CryptoProvider;
}

export interface VerifiedEvidence {
  readonly claims: EatClaims;
  /** The endorsement key that verified the signature. */
  readonly endorsementKey: CoseKey;
}

export async function verifyEvidence(evidence: Uint8Array, options: VerifyEvidenceOptions): Promise<VerifiedEvidence> {
  // Decoded once: the kid picks the key, and the same decoded message is verified.
  const decoded = decodeSign1(evidence);
  const kid = headerValue(decoded.headers, COSE_HEADER.kid);
  const candidates = await endorsementCandidates(options.endorsementKeys, kid instanceof Uint8Array ? kid : undefined);
  let verified: { payload: Uint8Array; key: CoseKey } | undefined;
  let lastError: unknown;
  for (const key of candidates) {
    try {
      const r = await verifyDecodedSign1(decoded, key, { ...(options.algorithms && { algorithms: options.algorithms }), ...(options.provider && { provider: options.provider }) });
      verified = { payload: r.payload, key };
      break;
    } catch (e) {
      if (!(e instanceof CoseSignatureInvalid || e instanceof CoseKeyMismatch || e instanceof CoseUnsupportedAlg)) throw e;
      lastError = e;
    }
  }
  if (!verified) throw new EatUntrustedSigner({ cause: lastError });
  const claims = decodeEatClaims(verified.payload);
  checkTeepEatProfile(claims, { nonceRequired: options.nonce !== undefined });
  if (options.nonce !== undefined && !bytesEqual(claims.nonce as Uint8Array, options.nonce)) {
    throw new EatNonceMismatch('eat_nonce does not match the challenge or token of the request');
  }
  if (options.now !== undefined) checkValidity(claims, options.now);
  if (options.teepKey !== undefined) {
    const expected = await coseKeyThumbprint(options.teepKey);
    const cnf = claims.cnf as { kid: Uint8Array };
    if (!bytesEqual(cnf.kid, expected)) throw new EatCnfMismatch('cnf does not name the key that signed the TEEP message');
  }
  return { claims, endorsementKey: verified.key };
}

/** exp / nbf against `now` (ms); NumericDates are seconds, possibly fractional (RFC 8392 §2). */
function checkValidity(claims: EatClaims, now: number): void {
  const seconds = (d: EatClaims['exp']) => (d === undefined ? undefined : typeof d === 'number' ? d : d.value);
  const exp = seconds(claims.exp);
  const nbf = seconds(claims.nbf);
  if (exp !== undefined && now / 1000 >= exp) throw new EatExpired(`the token expired at ${new Date(exp * 1000).toISOString()} (exp)`);
  if (nbf !== undefined && now / 1000 < nbf) throw new EatExpired(`the token is not valid before ${new Date(nbf * 1000).toISOString()} (nbf)`);
}

/** The keys to try, in order (see VerifyEvidenceOptions.endorsementKeys). */
async function endorsementCandidates(keys: VerifyEvidenceOptions['endorsementKeys'], kid: Uint8Array | undefined): Promise<readonly CoseKey[]> {
  if (typeof keys === 'function') {
    const named = kid === undefined ? undefined : await keys(kid);
    return named ? [named] : [];
  }
  if (kid === undefined) return keys;
  const withPrints = await Promise.all(keys.map(async (key) => ({ key, print: await coseKeyThumbprint(key) })));
  const byKid = withPrints.filter(({ key, print }) => bytesEqual(print, kid) || (key.kid !== undefined && bytesEqual(key.kid, kid)));
  return byKid.length ? byKid.map(({ key }) => key) : keys;
}
