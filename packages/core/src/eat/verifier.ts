/**
 * A built-in Verifier (RFC 9334 roles) for the Background-Check model: the TAM hands it the Agent's
 * Evidence, it checks the signature against configured endorsement keys, the TEEP EAT profile,
 * freshness and proof of possession (evidence.ts), then compares claims with reference values:
 * hwmodel, hwversion, and the digests of the firmware manifests (SUIT_Reference entries of the
 * `manifests` claim, -26 §5). Any verifier with the same interface can be plugged in instead.
 */
import { bytesEqual } from '../cose/bytes.js';
import type { CoseKey } from '../cose/key.js';
import type { CryptoProvider } from '../cose/crypto-provider.js';
import type { EatClaims } from './claims.js';
import { EatReferenceValueMismatch } from './errors.js';
import { verifyEvidence, type VerifyEvidenceOptions } from './evidence.js';
import { decodeSuitReference } from './teep-profile.js';

export interface ReferenceValues {
  /** Accepted hwmodel values (absent = any). */
  readonly hwmodels?: readonly Uint8Array[];
  /** Accepted hwversion strings (absent = any). */
  readonly hwversions?: readonly string[];
  /** Accepted firmware manifest digests; every manifests entry must be one of them (absent = any). */
  readonly firmwareDigests?: readonly Uint8Array[];
}

export interface VerificationContext {
  /** eat_nonce expected (challenge, or token in the Passport model). */
  readonly nonce?: Uint8Array;
  /** Key that verified the TEEP message carrying the Evidence (for cnf). */
  readonly teepKey?: CoseKey;
  /** The receiver's clock (ms): Evidence past its exp, or before its nbf, is refused. */
  readonly now?: number;
}

export interface AttestationResult {
  /** The Evidence was verified and matched every reference value. */
  readonly status: 'affirming';
  readonly claims: EatClaims;
  readonly endorsementKey: CoseKey;
}

/** What the TAM (or Agent) needs from a Verifier. */
export interface AttestationVerifier {
  verify(evidence: Uint8Array, context: VerificationContext): Promise<AttestationResult>;
}

export interface ReferenceValueVerifierOptions {
  /** A list of keys, or a resolver of the Evidence's kid (VerifyEvidenceOptions.endorsementKeys). */
  readonly endorsementKeys: VerifyEvidenceOptions['endorsementKeys'];
  readonly referenceValues: ReferenceValues;
  readonly algorithms?: readonly number[];
  readonly provider?: CryptoProvider;
}

export class ReferenceValueVerifier implements AttestationVerifier {
  readonly #options: ReferenceValueVerifierOptions;

  constructor(options: ReferenceValueVerifierOptions) {
    this.#options = options;
  }

  async verify(evidence: Uint8Array, context: VerificationContext): Promise<AttestationResult> {
    const { endorsementKeys, referenceValues: ref, algorithms, provider } = this.#options;
    const { claims, endorsementKey } = await verifyEvidence(evidence, {
      endorsementKeys,
      ...(context.nonce && { nonce: context.nonce }),
      ...(context.teepKey && { teepKey: context.teepKey }),
      ...(context.now !== undefined && { now: context.now }),
      ...(algorithms && { algorithms }),
      ...(provider && { provider }),
    });
    if (ref.hwmodels && !ref.hwmodels.some((m) => bytesEqual(m, claims.hwmodel as Uint8Array))) {
      throw new EatReferenceValueMismatch('hwmodel is not an accepted device model');
    }
    if (ref.hwversions && !ref.hwversions.includes(claims.hwversion?.version as string)) {
      throw new EatReferenceValueMismatch('hwversion is not an accepted hardware version');
    }
    if (ref.firmwareDigests) {
      for (const m of claims.manifests ?? []) {
        const { digest, uri } = decodeSuitReference(m.body);
        if (!ref.firmwareDigests.some((d) => bytesEqual(d, digest.bytes))) throw new EatReferenceValueMismatch(`firmware manifest ${uri} has no accepted digest`);
      }
    }
    return { status: 'affirming', claims, endorsementKey };
  }
}
