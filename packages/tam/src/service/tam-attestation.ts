/**
 * The TAM's own attestation (draft-ietf-teep-protocol-26 §7.1.2: on an Agent's Error
 * ERR_ATTESTATION_REQUIRED "the TAM MUST send another QueryRequest with an attestation-payload").
 *
 * The TAM runs on no attestable hardware here, so, like the device's simulated TEE, it signs Evidence
 * about a **simulated** platform with its attestation key (PKI `tam/attestation/key.pem`): the TEEP
 * EAT profile's claims naming this simulation (SIMULATED_TAM_PLATFORM), eat_nonce = the Agent's
 * challenge and cnf = the TEEP key the QueryRequest is signed with (core createEvidenceSource).
 * An Agent that requires TAM attestation appraises it with that key as the endorsement
 * (`otrp device init --require-tam-attestation`).
 */
import { createHash } from 'node:crypto';
import { coseKeyToSpki, createEvidenceSource, publicCoseKey, suitReferenceManifest } from '@otrp/core';
import type { AttestationSource, CoseKey, CryptoProvider, EatClaims } from '@otrp/core';

/** What the TAM's Evidence says about its (simulated) platform. */
export const SIMULATED_TAM_PLATFORM = {
  hwmodel: new TextEncoder().encode('otrp TAM (simulated platform)'),
  hwversion: { version: '1.0' },
  oemid: new Uint8Array(createHash('sha256').update('otrp simulated TAM platform oemid').digest().subarray(0, 16)),
  softwareUri: 'urn:otrp:simulated-tam-software:1',
  softwareDigest: new Uint8Array(createHash('sha256').update('otrp simulated TAM software 1').digest()),
} as const;

/** The TAM's attestation source over its attestation key; claims are fixed per key (ueid from its public key). */
export function tamAttestationSource(attestationKey: CoseKey, provider?: CryptoProvider): AttestationSource {
  const ueid = new Uint8Array([0x01, ...createHash('sha256').update(coseKeyToSpki(publicCoseKey(attestationKey))).digest().subarray(0, 16)]);
  const claims: EatClaims = {
    ueid,
    oemid: SIMULATED_TAM_PLATFORM.oemid,
    hwmodel: SIMULATED_TAM_PLATFORM.hwmodel,
    hwversion: SIMULATED_TAM_PLATFORM.hwversion,
    manifests: [suitReferenceManifest({ uri: SIMULATED_TAM_PLATFORM.softwareUri, digest: { algorithmId: -16, bytes: SIMULATED_TAM_PLATFORM.softwareDigest } })],
  };
  return createEvidenceSource({ attestationKey, claims, ...(provider && { provider }) });
}
