/**
 * The TAM's built-in Verifier (Background-Check model, RFC 9334 §5.2): Evidence signed by an
 * attestation key that the Device CA certified and that is enrolled under the PKI's `devices/`
 * (trust.ts), appraised against the configured reference values (core `ReferenceValueVerifier`).
 *
 * The TEEP EAT profile identifies the signing key by kid, the RFC 9679 thumbprint of its public key
 * (draft-ietf-teep-protocol-26 §5, "Key Identification"). So the Evidence is checked against the
 * one enrolled key its kid names, and nothing else: Evidence without a kid, or naming a key that is
 * not enrolled or no longer trusted, is refused (ERR_EAT_UNTRUSTED_SIGNER). Trying every enrolled
 * key instead, core's `verifyEvidence` rule when no key matches the kid, would cost one signature
 * check per enrolled device for each such message, and validate every enrolled chain the first time.
 */
import { COSE_HEADER, decodeSign1, headerValue, ReferenceValueVerifier, toHex } from '@otrp/core';
import type { AttestationVerifier, CoseHeaders, CryptoProvider, ReferenceValues } from '@otrp/core';
import type { PkiTrust } from './trust.js';

export interface EnrolledKeyVerifierOptions {
  readonly trust: Pick<PkiTrust, 'enrolledKey'>;
  /** Absent = any device model, hardware version and firmware. */
  readonly referenceValues?: ReferenceValues;
  readonly provider?: CryptoProvider;
}

export function enrolledKeyVerifier(options: EnrolledKeyVerifierOptions): AttestationVerifier {
  const { trust, provider } = options;
  const referenceValues = options.referenceValues ?? {};
  return {
    verify: async (evidence, context) => {
      const kid = evidenceKid(evidence);
      const named = kid === undefined ? undefined : (await trust.enrolledKey(kid))?.key;
      // No key: verifyEvidence refuses (ERR_EAT_UNTRUSTED_SIGNER), or reports the decoding error.
      return new ReferenceValueVerifier({ endorsementKeys: named ? [named] : [], referenceValues, ...(provider && { provider }) }).verify(evidence, context);
    },
  };
}

/** The kid header (hex), if any. */
export function kidOf(headers: CoseHeaders): string | undefined {
  const kid = headerValue(headers, COSE_HEADER.kid);
  return kid instanceof Uint8Array ? toHex(kid) : undefined;
}

/** The kid of an Evidence COSE_Sign1 (undefined when absent or not decodable: verifyEvidence reports that). */
function evidenceKid(evidence: Uint8Array): string | undefined {
  try {
    return kidOf(decodeSign1(evidence).headers);
  } catch {
    return undefined;
  }
}
