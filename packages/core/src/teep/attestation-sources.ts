/**
 * AttestationSource implementations (ports.ts) for the two RFC 9334 models TEEP uses (-26 §9):
 *
 * - Background-Check: the attester signs Evidence (TEEP EAT profile, eat_nonce = the challenge,
 *   cnf.kid = thumbprint of its TEEP key) and the peer hands it to a Verifier; the format is
 *   TEEP_EVIDENCE_MEDIA_TYPE so that the receiver treats it as Evidence (-26 §7.1.1).
 * - Passport: the attester's Evidence goes to a Verifier first; the resulting Attestation Result
 *   (signed by the Verifier, same nonce and cnf) is what travels, with the TEEP EAT media type
 *   (attestation-payload-format left out, -26 §4.2).
 */
import type { CoseKey } from '../cose/key.js';
import type { CryptoProvider } from '../cose/crypto-provider.js';
import type { EatClaims } from '../eat/claims.js';
import { buildEvidence } from '../eat/evidence.js';
import { issueAttestationResult, TEEP_EVIDENCE_MEDIA_TYPE } from '../eat/attestation-result.js';
import { simulatedPlatformClaims, type SimulatedPlatform } from '../eat/simulated-platform.js';
import type { AttestationVerifier } from '../eat/verifier.js';
import { coseKeyThumbprint } from '../cose/thumbprint.js';
import type { AttestationPayload, AttestationRequest, AttestationSource } from './ports.js';

export interface EvidenceSourceOptions {
  /** The claims of the attested environment (ueid, oemid, hwmodel, hwversion, manifests, ...). */
  readonly claims: EatClaims | (() => EatClaims | Promise<EatClaims>);
  /** The attestation (endorsed) private key. */
  readonly attestationKey: CoseKey;
  readonly provider?: CryptoProvider;
}

async function evidence(options: EvidenceSourceOptions, request: AttestationRequest): Promise<Uint8Array> {
  const base = typeof options.claims === 'function' ? await options.claims() : options.claims;
  const claims: EatClaims = {
    ...base,
    ...(request.nonce && { nonce: request.nonce }),
    cnf: { kid: await coseKeyThumbprint(request.teepKey) },
  };
  return buildEvidence({ claims, key: options.attestationKey, ...(options.provider && { provider: options.provider }) });
}

/** Background-Check: signed Evidence. */
export function createEvidenceSource(options: EvidenceSourceOptions): AttestationSource {
  return {
    async attest(request): Promise<AttestationPayload> {
      return { format: TEEP_EVIDENCE_MEDIA_TYPE, payload: await evidence(options, request) };
    },
  };
}

export interface SimulatedPlatformSourceOptions {
  readonly platform: SimulatedPlatform;
  /** The key the platform is known by: its ueid is derived from it. */
  readonly identityKey: CoseKey;
  readonly attestationKey: CoseKey;
  readonly provider?: CryptoProvider;
}

/**
 * Background-Check Evidence about a simulated platform (eat/simulated-platform.ts): its fixed claims
 * are computed at the first attestation and kept; a failure is not kept (the next one retries).
 */
export function createSimulatedPlatformSource(options: SimulatedPlatformSourceOptions): AttestationSource {
  const { platform, identityKey, attestationKey, provider } = options;
  let claims: Promise<EatClaims> | undefined;
  const load = () =>
    (claims ??= simulatedPlatformClaims(platform, identityKey, provider).catch((e: unknown) => {
      claims = undefined;
      throw e;
    }));
  return createEvidenceSource({ attestationKey, claims: load, ...(provider && { provider }) });
}

export interface PassportSourceOptions extends EvidenceSourceOptions {
  /** The Verifier that appraises the Evidence. */
  readonly verifier: AttestationVerifier;
  /** The Verifier's signing key for Attestation Results. */
  readonly verifierKey: CoseKey;
}

/** Passport: Evidence appraised by a Verifier, carried as its Attestation Result. */
export function createPassportSource(options: PassportSourceOptions): AttestationSource {
  return {
    async attest(request): Promise<AttestationPayload> {
      const appraised = await options.verifier.verify(await evidence(options, request), { ...(request.nonce && { nonce: request.nonce }), teepKey: request.teepKey });
      const payload = await issueAttestationResult({ claims: appraised.claims, verifierKey: options.verifierKey, ...(options.provider && { provider: options.provider }) });
      return { payload };
    },
  };
}
