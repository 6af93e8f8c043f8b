/**
 * Attestation Results in the TEEP EAT profile (draft-ietf-teep-protocol-26 §4.3.1, §7.1.1.1,
 * §7.2.1.1; RFC 9334 Passport model).
 *
 * An Attestation Result is an EAT that a Verifier signs after appraising Evidence; in the Passport
 * model the attested party carries it in its attestation-payload with the media type of the TEEP EAT
 * profile (-26 §7.1.1, §7.2.1: that media type "indicates an Attestation Result"). Its receiver checks, in
 * order: signed by a Verifier it trusts; the TEEP EAT profile; eat_nonce = the freshness value it
 * sent (the token in the Passport model, -26 §9); cnf.kid = the RFC 9679 thumbprint of the key
 * that verified the enclosing TEEP message (proof of possession, -26 §7.1.1.1 step 2); and, given
 * the receiver's clock, that the result is inside its exp / nbf window.
 */
import type { CoseKey } from '../cose/key.js';
import type { CryptoProvider } from '../cose/crypto-provider.js';
import type { EatClaims } from './claims.js';
import { buildEvidence, verifyEvidence, type VerifiedEvidence } from './evidence.js';

/** Media type of Evidence that a Verifier must appraise (any format other than the TEEP EAT profile's, -26 §7.1.1). */
export const TEEP_EVIDENCE_MEDIA_TYPE = 'application/eat+cwt';

export interface IssueAttestationResultOptions {
  /** The claims the Verifier vouches for (typically the appraised Evidence's, with the same eat_nonce and cnf). */
  readonly claims: EatClaims;
  /** The Verifier's private signing key; its thumbprint becomes the kid. */
  readonly verifierKey: CoseKey;
  readonly alg?: number;
  readonly provider?: CryptoProvider;
}

/** Verifier side: signs an Attestation Result (tagged COSE_Sign1 over the claims-set). */
export function issueAttestationResult(options: IssueAttestationResultOptions): Promise<Uint8Array> {
  const { claims, verifierKey, alg, provider } = options;
  return buildEvidence({ claims, key: verifierKey, ...(alg !== undefined && { alg }), ...(provider && { provider }) });
}

export interface VerifyAttestationResultOptions {
  /** Public keys of the Verifiers the receiver trusts. */
  readonly verifierKeys: readonly CoseKey[];
  /** Expected eat_nonce; omitted with the timestamp freshness mechanism. */
  readonly nonce?: Uint8Array;
  /** The key that verified the TEEP message carrying the result (cnf). */
  readonly teepKey?: CoseKey;
  /** The receiver's clock (ms): an expired result (exp) is refused. */
  readonly now?: number;
  readonly algorithms?: readonly number[];
  readonly provider?: CryptoProvider;
}

/**
 * Receiver side: checks an Attestation Result (see the module comment). Failures:
 * ERR_EAT_UNTRUSTED_SIGNER, ERR_EAT_MISSING_CLAIM / ERR_EAT_INVALID_CLAIM, ERR_EAT_NONCE_MISMATCH,
 * ERR_EAT_CNF_MISMATCH, ERR_EAT_EXPIRED.
 */
export function verifyAttestationResult(result: Uint8Array, options: VerifyAttestationResultOptions): Promise<VerifiedEvidence> {
  const { verifierKeys, nonce, teepKey, now, algorithms, provider } = options;
  return verifyEvidence(result, {
    endorsementKeys: verifierKeys,
    ...(nonce && { nonce }),
    ...(teepKey && { teepKey }),
    ...(now !== undefined && { now }),
    ...(algorithms && { algorithms }),
    ...(provider && { provider }),
  });
}
