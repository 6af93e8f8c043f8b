/**
 * Enrolment: the Device CA certifies the keys the TEE generated (standing in for the
 * manufacturer's enrolment line, issue 6 `otrp device init --pki`). Runs on the REE side / in the
 * CLI: it sees only the CSRs and public keys the TEE handed out, and the CA the caller loaded.
 *
 * Signing keys are certified from their CSR, after the CSR's self-signature (proof of possession)
 * verifies and its key is the one the TEE reported. The key-agreement key cannot sign a CSR, so it
 * is certified from its public key with keyUsage keyAgreement (core pki csr.ts explains why).
 * Every certificate has the device role (EKU clientAuth); the chain is [leaf, Device CA].
 *
 * The P-256 TEEP key is also the TEE's OTrP key (tee/otrp-ta.ts, docs/otrp-decisions.md §6), which
 * both signs (ES256) and decrypts (ECDH-ES+A128KW, -03 §7.5.3): its certificate carries keyUsage
 * digitalSignature and keyAgreement (docs/pki.md "P-256 only if asked").
 */
import { bytesEqual, issueCertificate, readCsr, type CaHandle } from '@otrp/core';
import { CredentialMismatch } from './errors.js';
import { deviceSubjectName, type DeviceEnrolmentRequest, type DeviceKeyPurpose } from './tee/device-keys.js';
import type { OtrpEnrolmentRequest } from './tee/otrp-identity.js';

export interface EnrolOptions {
  /** Validity in days (default 365, never beyond the CA's own). */
  readonly days?: number;
  /** Certificates to append after the leaf (default: the issuing CA's certificate). */
  readonly chain?: readonly Uint8Array[];
}


/** Issues the four device certificates; returns each purpose's chain, leaf first. */
export async function issueDeviceCertificates(
  request: DeviceEnrolmentRequest,
  ca: CaHandle,
  options: EnrolOptions = {},
): Promise<Record<DeviceKeyPurpose, Uint8Array[]>> {
  const chain = options.chain ?? [ca.certificate];
  const validity = options.days !== undefined ? { days: options.days } : {};
  const out: Partial<Record<DeviceKeyPurpose, Uint8Array[]>> = {};
  for (const p of ['teep', 'suitReport', 'attestation'] as const) {
    const info = await readCsr(request.csrs[p]);
    if (!bytesEqual(info.spki, request.spki[p])) throw new CredentialMismatch(`the ${p} CSR is for another key`);
    const otrpKey = p === 'teep' && request.alg === 'ESP256';
    const leaf = await issueCertificate({
      issuer: ca, role: 'device', subject: info.subject, publicKey: info.spki, ...validity, ...(otrpKey && { keyUsage: { keyAgreement: true } }),
    });
    out[p] = [leaf, ...chain];
  }
  const ka = await issueCertificate({
    issuer: ca,
    role: 'device',
    subject: deviceSubjectName(request.name, 'keyAgreement'),
    publicKey: request.spki.keyAgreement,
    keyUsage: { keyAgreement: true },
    ...validity,
  });
  out.keyAgreement = [ka, ...chain];
  return out as Record<DeviceKeyPurpose, Uint8Array[]>;
}

/**
 * Issues the certificate of a dedicated OTrP key (`--otrp-alg RS256`) from its CSR: role device (EKU
 * clientAuth), keyUsage digitalSignature + keyEncipherment (an RSA device key decrypts, docs/pki.md),
 * subject from the CSR (`<name> otrp`). Returns the chain, leaf first.
 */
export async function issueOtrpCertificate(request: OtrpEnrolmentRequest, ca: CaHandle, options: EnrolOptions = {}): Promise<Uint8Array[]> {
  const info = await readCsr(request.csr);
  if (!bytesEqual(info.spki, request.spki)) throw new CredentialMismatch('the OTrP CSR is for another key');
  const leaf = await issueCertificate({ issuer: ca, role: 'device', subject: info.subject, publicKey: info.spki, ...(options.days !== undefined && { days: options.days }) });
  return [leaf, ...(options.chain ?? [ca.certificate])];
}
