/**
 * The PKI directory layout, as data (docs/pki.md describes it for people). `otrp pki init DIR` writes
 * it; `otrp tam serve --pki DIR` and `otrp device init --pki DIR` find everything they need in it with
 * no further flags. Paths are relative, '/'-separated; the CLI joins them with the platform's rules.
 *
 *   DIR/pki.json                       manifest (PkiManifest)
 *   DIR/{root-ca,tam-ca,device-ca,signer-ca}/
 *        cert.pem  key.pem (0600)  ca.json (CaState)  crl.pem         a "CA folder" (CA_DIR)
 *   DIR/tam/{esp256,ed25519,x25519[,rs256]}/cert.pem key.pem chain.pem
 *   DIR/tam/attestation/key.pem public.pem                          the TAM's (simulated) attestation key:
 *                                                                   signs its Evidence for Agents that require it
 *   DIR/signer/   cert.pem key.pem chain.pem                          the TC signer
 *   DIR/verifier/ cert.pem key.pem chain.pem                          signs attestation results
 *   DIR/devices/<name>/cert.pem chain.pem                             device certs issued from CSRs
 *
 * chain.pem is the leaf followed by its branch CA: the x5chain a party sends (RFC 9360 §2: leaf
 * first; the root is the relying party's business). Private keys are PKCS#8 PEM, written 0600.
 */
import { InvalidArgument } from '../errors.js';
import type { PkiKeyAlgorithm, PkiSigningAlgorithm } from './key-algorithms.js';
import { PKI_ROLE } from './roles.js';
import type { PkiBranch, PkiRole } from './roles.js';

export const PKI_LAYOUT = {
  manifest: 'pki.json',
  /** CA folders under DIR. */
  ca: { root: 'root-ca', 'tam-ca': 'tam-ca', 'device-ca': 'device-ca', 'signer-ca': 'signer-ca' },
  /** Files inside every CA folder. */
  caFiles: { certificate: 'cert.pem', privateKey: 'key.pem', state: 'ca.json', crl: 'crl.pem' },
  /** Files inside every end-entity folder (devices have no key.pem: their key stays in the TEE). */
  leafFiles: { certificate: 'cert.pem', privateKey: 'key.pem', chain: 'chain.pem' },
  /** The TAM's folders, one per key: P-256 and Ed25519 signing, X25519 key agreement, RSA for OTrP. */
  tam: { ESP256: 'tam/esp256', Ed25519: 'tam/ed25519', X25519: 'tam/x25519', RS256: 'tam/rs256' },
  /**
   * The TAM's attestation key (P-256, no certificate: Evidence names it by kid, -26 §5), which signs
   * the Evidence the TAM sends an Agent that requires TAM attestation (-26 §7.1.2). public.pem is
   * what `otrp device init --require-tam-attestation` gives the device. Absent in PKIs made before.
   */
  tamAttestation: { dir: 'tam/attestation', privateKey: 'key.pem', publicKey: 'public.pem' },
  signer: 'signer',
  verifier: 'verifier',
  devices: 'devices',
} as const satisfies {
  manifest: string;
  ca: Record<'root' | PkiBranch, string>;
  caFiles: Record<string, string>;
  leafFiles: Record<string, string>;
  tam: Record<PkiKeyAlgorithm, string>;
  tamAttestation: { dir: string; privateKey: string; publicKey: string };
  signer: string;
  verifier: string;
  devices: string;
};

export type PkiCa = keyof typeof PKI_LAYOUT.ca;

/** pki.json: what `pki init` made, so later commands need no flags. */
export interface PkiManifest {
  version: 1;
  /** --alg: the algorithm of the CAs, signer and verifier (the TAM always has ESP256, Ed25519, X25519). */
  alg: PkiSigningAlgorithm;
  /** The TAM's SAN URI. */
  tamUri: string;
  /** The TAM's key folders present in this directory. */
  tamKeys: PkiKeyAlgorithm[];
}

/** Joins layout segments with '/'. */
export function pkiPath(...parts: string[]): string {
  return parts.join('/');
}

/** The certificate file of a CA. */
export function caCertificatePath(ca: PkiCa): string {
  return pkiPath(PKI_LAYOUT.ca[ca], PKI_LAYOUT.caFiles.certificate);
}

/**
 * The trust anchors of a role: its branch CA certificate only (branch-for-role; roles.ts). The
 * Verifier belongs to the TAM CA's branch.
 */
export function roleAnchorPaths(role: PkiRole): string[] {
  return [caCertificatePath(PKI_ROLE[role].branch)];
}

/** The CRL files of every CA, for validateChain's `crls`. */
export function crlPaths(): string[] {
  return (Object.keys(PKI_LAYOUT.ca) as PkiCa[]).map((ca) => pkiPath(PKI_LAYOUT.ca[ca], PKI_LAYOUT.caFiles.crl));
}

/** The folder of a device certificate issued from a CSR. */
export function devicePath(name: string): string {
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(name) || name === '.' || name === '..') throw new InvalidArgument(`not a usable device folder name: ${name}`);
  return pkiPath(PKI_LAYOUT.devices, name);
}

/** Encodes pki.json. */
export function encodePkiManifest(m: PkiManifest): string {
  return `${JSON.stringify(m, null, 2)}\n`;
}

/** Decodes pki.json, checking its shape. */
export function decodePkiManifest(text: string): PkiManifest {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new InvalidArgument(`${PKI_LAYOUT.manifest} is not JSON`, { cause: e });
  }
  const m = v as Partial<PkiManifest>;
  const algs = ['ESP256', 'Ed25519', 'RS256'];
  if (
    typeof m !== 'object' || m === null || m.version !== 1 || typeof m.alg !== 'string' || !algs.includes(m.alg) ||
    typeof m.tamUri !== 'string' || !Array.isArray(m.tamKeys) || !m.tamKeys.every((k) => Object.hasOwn(PKI_LAYOUT.tam, k))
  ) {
    throw new InvalidArgument(`${PKI_LAYOUT.manifest} does not describe an otrp PKI (version 1)`);
  }
  return m as PkiManifest;
}
