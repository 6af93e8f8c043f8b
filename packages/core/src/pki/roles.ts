/**
 * The parties of the PKI (DESIGN.md "PKI"; RFC 9397 §5 keys; OTrP -03 §4.4 Table 1) and what their
 * certificates say about them.
 *
 * Each role has an extendedKeyUsage (RFC 5280 §4.2.1.12) that path validation requires of the leaf,
 * and a branch CA that issues it. Each party trusts a branch CA only for its role: the anchors for a
 * role are that branch's CA certificate (see layout.ts `roleAnchors`), and the EKU check stops a
 * certificate of one role passing as another even under a shared anchor.
 *
 * The Verifier signs attestation results (RATS EAR, RFC 9334). No registered EKU names that purpose
 * (id-kp-documentSigning, RFC 9336, is for human-readable documents), so otrp uses an OID of its own
 * under the 2.25 UUID arc (ITU-T Rec. X.667: any UUID forms an OID there, no registration needed):
 * 2.25.<UUID 4ffdf283-eba3-4753-8728-1cb47ae5ba74 as an integer>. It is issued by the TAM CA, the
 * operator's branch, since the Verifier is part of the TAM's deployment.
 */
import { InvalidArgument } from '../errors.js';
import type { PkiKeyAlgorithm } from './key-algorithms.js';
import { x509 } from './x509-runtime.js';

/** extendedKeyUsage purposes used here (RFC 5280 §4.2.1.12; the last one is otrp's own, see above). */
export const EKU = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  attestationResultSigning: '2.25.106327581567157407467742176646682491508',
} as const;

/** The branch CAs under the root (DESIGN.md "PKI: a root CA with three branches"). */
export const PKI_BRANCH = ['tam-ca', 'device-ca', 'signer-ca'] as const;
export type PkiBranch = (typeof PKI_BRANCH)[number];

/**
 * Leaf roles: the EKU their certificate carries, the branch that issues it, whether a SAN URI names
 * the party (the TAM always; OTrP -03 §5.4 names the TAM by its service URL), and whether an RSA key
 * of the role decrypts (keyEncipherment: OTrP encrypts device state to the TAM and requests to the TEE).
 */
export const PKI_ROLE = {
  tam: { eku: EKU.serverAuth, branch: 'tam-ca', sanUri: 'required', rsaDecrypts: true },
  device: { eku: EKU.clientAuth, branch: 'device-ca', sanUri: 'optional', rsaDecrypts: true },
  signer: { eku: EKU.codeSigning, branch: 'signer-ca', sanUri: 'optional', rsaDecrypts: false },
  verifier: { eku: EKU.attestationResultSigning, branch: 'tam-ca', sanUri: 'optional', rsaDecrypts: false },
} as const satisfies Record<string, { eku: string; branch: PkiBranch; sanUri: 'required' | 'optional'; rsaDecrypts: boolean }>;

export type PkiRole = keyof typeof PKI_ROLE;

export function isPkiRole(name: string): name is PkiRole {
  return Object.hasOwn(PKI_ROLE, name);
}

/** The keyUsage bits one can ask for besides those implied by the key algorithm. */
export interface KeyUsageOptions {
  /** RSA only: the key also decrypts (keyEncipherment). Defaults to the role's `rsaDecrypts`. */
  decrypt?: boolean;
  /** P-256 only: the key is also used for ECDH (keyAgreement). Default false. */
  keyAgreement?: boolean;
}

/**
 * keyUsage (RFC 5280 §4.2.1.3) of an end-entity key: digitalSignature for signing keys; keyAgreement
 * only for X25519, and never on Ed25519 (RFC 8410 §5); keyEncipherment for RSA keys that decrypt.
 */
export function leafKeyUsage(alg: PkiKeyAlgorithm, options: KeyUsageOptions = {}): number {
  const F = x509.KeyUsageFlags;
  if (options.keyAgreement && alg !== 'ESP256' && alg !== 'X25519') {
    throw new InvalidArgument(`keyAgreement is not allowed on a ${alg} certificate (RFC 8410 §5)`);
  }
  if (options.decrypt && alg !== 'RS256') throw new InvalidArgument(`keyEncipherment applies to RSA keys only, not ${alg}`);
  switch (alg) {
    case 'X25519':
      return F.keyAgreement;
    case 'Ed25519':
      return F.digitalSignature;
    case 'ESP256':
      return F.digitalSignature | (options.keyAgreement ? F.keyAgreement : 0);
    case 'RS256':
      return F.digitalSignature | (options.decrypt ? F.keyEncipherment : 0);
  }
}

/** keyUsage of a CA: certificate and CRL signing only (RFC 5280 §4.2.1.3, §4.2.1.9). */
export function caKeyUsage(): number {
  return x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign;
}
