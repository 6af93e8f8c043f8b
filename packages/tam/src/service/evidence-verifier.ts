/**
 * The TAM's built-in Verifier (Background-Check model, RFC 9334 §5.2): Evidence signed by an
 * attestation key that the Device CA certified and that is enrolled under the PKI's `devices/`
 * (trust.ts), appraised against the configured reference values (core `ReferenceValueVerifier`).
 *
 * The TEEP EAT profile identifies the signing key by kid, the RFC 9679 thumbprint of its public key
 * (draft-ietf-teep-protocol-26 §5, "Key Identification"). So the Evidence is checked against the
 * one enrolled key its kid names, and nothing else: Evidence without a kid, or naming a key that is
 * not enrolled or no longer trusted, is refused (ERR_EAT_UNTRUSTED_SIGNER). Core's `verifyEvidence`
 * takes the lookup as a kid resolver: with a key list it would try every key when none matches the
 * kid, one signature check per enrolled device for each such message, and validate every enrolled
 * chain the first time.
 */
import { ReferenceValueVerifier, toHex } from '@otrp/core';
import type { AttestationVerifier, CryptoProvider, EndorsementKeyResolver, ReferenceValues } from '@otrp/core';
import type { PkiTrust } from './trust.js';

export interface EnrolledKeyVerifierOptions {
  readonly trust: Pick<PkiTrust, 'enrolledKey'>;
  /** Absent = any device model, hardware version and firmware. */
  readonly referenceValues?: ReferenceValues;
  readonly provider?: CryptoProvider;
}

/** The enrolled key a kid (raw bytes) names, validated now; undefined when none is trusted (trust.ts). */
export function enrolledKeyResolver(trust: Pick<PkiTrust, 'enrolledKey'>): EndorsementKeyResolver {
  return async (kid) => (await trust.enrolledKey(toHex(kid)))?.key;
}

export function enrolledKeyVerifier(options: EnrolledKeyVerifierOptions): AttestationVerifier {
  const { trust, provider } = options;
  return new ReferenceValueVerifier({
    endorsementKeys: enrolledKeyResolver(trust),
    referenceValues: options.referenceValues ?? {},
    ...(provider && { provider }),
  });
}
