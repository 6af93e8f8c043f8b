/**
 * The TAM's own attestation (draft-ietf-teep-protocol-26 §7.1.2: on an Agent's Error
 * ERR_ATTESTATION_REQUIRED "the TAM MUST send another QueryRequest with an attestation-payload").
 *
 * The TAM runs on no attestable hardware here, so, like the device's simulated TEE, it signs Evidence
 * about a **simulated** platform with its attestation key (PKI `tam/attestation/key.pem`): the TEEP
 * EAT profile's claims naming this simulation (SIMULATED_TAM_PLATFORM), eat_nonce = the Agent's
 * challenge and cnf = the TEEP key the QueryRequest is signed with (core createSimulatedPlatformSource).
 * An Agent that requires TAM attestation appraises it with that key as the endorsement
 * (`otrp device init --require-tam-attestation`).
 */
import { createSimulatedPlatformSource } from '@otrp/core';
import type { AttestationSource, CoseKey, CryptoProvider, SimulatedPlatform } from '@otrp/core';

/** What the TAM's Evidence says about its (simulated) platform. */
export const SIMULATED_TAM_PLATFORM: SimulatedPlatform = {
  hwmodel: 'otrp TAM (simulated platform)',
  oemidLabel: 'otrp simulated TAM platform oemid',
  manifestUri: 'urn:otrp:simulated-tam-software:1',
  manifestLabel: 'otrp simulated TAM software 1',
};

/** The TAM's attestation source over its attestation key; claims are fixed per key (ueid from its public key). */
export function tamAttestationSource(attestationKey: CoseKey, provider?: CryptoProvider): AttestationSource {
  return createSimulatedPlatformSource({ platform: SIMULATED_TAM_PLATFORM, identityKey: attestationKey, attestationKey, ...(provider && { provider }) });
}
