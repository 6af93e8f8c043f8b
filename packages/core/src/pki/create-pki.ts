/**
 * `otrp pki init` as a pure function: the whole PKI of layout.ts as a list of files for the CLI to
 * write. A root CA, three branch CAs (TAM, Device, TC-Signer), the TAM's keys (P-256 and Ed25519
 * signing plus X25519 key agreement always, since a draft-26 TAM supports both TEEP suites and every
 * SUIT COSE profile; RSA too with --alg RS256, for OTrP), one TC signer and one Verifier. No device
 * keys: a device key is born in its TEE and enrolled by CSR.
 */
import { InvalidArgument } from '../errors.js';
import { emptyCaState, encodeCaState, recordIssued, takeCrlEntries } from './ca-state.js';
import type { CaState, IssuedRecord } from './ca-state.js';
import { createCaCertificate, issueCertificate } from './certificate.js';
import type { CaHandle } from './certificate.js';
import { parseCertificate } from './certificate-info.js';
import { createCrl } from './crl.js';
import { exportSpki, generateKeyPair } from './key-algorithms.js';
import type { PkiKeyAlgorithm, PkiSigningAlgorithm } from './key-algorithms.js';
import { PKI_LAYOUT, encodePkiManifest, pkiPath } from './layout.js';
import type { PkiCa, PkiManifest } from './layout.js';
import { encodePem, exportPrivateKeyPem } from './pem.js';
import type { PkiRole } from './roles.js';

/** One file to write; `secret` files (private keys) get mode 0600. */
export interface PkiFile {
  path: string;
  contents: string;
  secret: boolean;
}

export interface CreatePkiOptions {
  /** Algorithm of the CAs, the TC signer and the Verifier. */
  alg: PkiSigningAlgorithm;
  /** SAN URI of the TAM (its service URL, as OTrP -03 §5.4 suggests). */
  tamUri: string;
  /** Start of validity; default now. */
  now?: Date;
  /** Validity of the end-entity certificates in days (default 365). */
  leafDays?: number;
}

export interface CreatePkiResult {
  manifest: PkiManifest;
  files: PkiFile[];
}

const CA_NAMES: Record<PkiCa, string> = {
  root: 'otrp Root CA',
  'tam-ca': 'otrp TAM CA',
  'device-ca': 'otrp Device CA',
  'signer-ca': 'otrp TC Signer CA',
};

/** Creates every key, certificate, CA state and (empty) CRL of a new PKI. */
export async function createPki(options: CreatePkiOptions): Promise<CreatePkiResult> {
  if (!['ESP256', 'Ed25519', 'RS256'].includes(options.alg)) throw new InvalidArgument(`--alg must be ESP256, Ed25519 or RS256, not ${options.alg}`);
  const now = options.now ?? new Date();
  const files: PkiFile[] = [];
  const cas = new Map<PkiCa, { handle: CaHandle; state: CaState; pem: string }>();

  const addCa = async (ca: PkiCa, issuer: PkiCa | undefined): Promise<void> => {
    const keys = await generateKeyPair(options.alg);
    const parent = issuer ? cas.get(issuer)! : undefined;
    const der = await createCaCertificate({ name: CA_NAMES[ca], keys, notBefore: now, pathLength: issuer ? 0 : 1, ...(parent ? { issuer: parent.handle } : {}) });
    const pem = encodePem(der, 'CERTIFICATE');
    if (parent) parent.state = recordIssued(parent.state, issuedRecord(der, 'ca'));
    cas.set(ca, { handle: { certificate: der, privateKey: keys.privateKey }, state: emptyCaState(ca), pem });
    const dir = PKI_LAYOUT.ca[ca];
    files.push({ path: pkiPath(dir, PKI_LAYOUT.caFiles.certificate), contents: pem, secret: false });
    files.push({ path: pkiPath(dir, PKI_LAYOUT.caFiles.privateKey), contents: await exportPrivateKeyPem(keys.privateKey), secret: true });
  };
  await addCa('root', undefined);
  await addCa('tam-ca', 'root');
  await addCa('device-ca', 'root');
  await addCa('signer-ca', 'root');

  const addLeaf = async (dir: string, ca: PkiCa, role: PkiRole, alg: PkiKeyAlgorithm, name: string, sanUris: string[]): Promise<void> => {
    const issuer = cas.get(ca)!;
    const keys = await generateKeyPair(alg);
    const der = await issueCertificate({ issuer: issuer.handle, role, subject: name, publicKey: keys.publicKey, sanUris, notBefore: now, days: options.leafDays ?? 365 });
    issuer.state = recordIssued(issuer.state, issuedRecord(der, role));
    const pem = encodePem(der, 'CERTIFICATE');
    files.push({ path: pkiPath(dir, PKI_LAYOUT.leafFiles.certificate), contents: pem, secret: false });
    files.push({ path: pkiPath(dir, PKI_LAYOUT.leafFiles.chain), contents: pem + issuer.pem, secret: false });
    files.push({ path: pkiPath(dir, PKI_LAYOUT.leafFiles.privateKey), contents: await exportPrivateKeyPem(keys.privateKey), secret: true });
  };
  const tamKeys: PkiKeyAlgorithm[] = ['ESP256', 'Ed25519', 'X25519', ...(options.alg === 'RS256' ? (['RS256'] as const) : [])];
  for (const alg of tamKeys) await addLeaf(PKI_LAYOUT.tam[alg], 'tam-ca', 'tam', alg, `otrp TAM (${alg})`, [options.tamUri]);
  await addLeaf(PKI_LAYOUT.signer, 'signer-ca', 'signer', options.alg, 'otrp TC Signer', []);
  await addLeaf(PKI_LAYOUT.verifier, 'tam-ca', 'verifier', options.alg, 'otrp Verifier', []);
  // The TAM's attestation key: a bare key pair (layout.ts), always P-256 (ESP256 Evidence).
  const attester = await generateKeyPair('ESP256');
  const { dir: attDir, privateKey: attKey, publicKey: attPub } = PKI_LAYOUT.tamAttestation;
  files.push({ path: pkiPath(attDir, attKey), contents: await exportPrivateKeyPem(attester.privateKey), secret: true });
  files.push({ path: pkiPath(attDir, attPub), contents: encodePem(await exportSpki(attester.publicKey), 'PUBLIC KEY'), secret: false });

  for (const [ca, entry] of cas) {
    const { crlNumber, entries, state } = takeCrlEntries(entry.state);
    const crl = await createCrl({ issuer: entry.handle, entries, crlNumber, thisUpdate: now });
    const dir = PKI_LAYOUT.ca[ca];
    files.push({ path: pkiPath(dir, PKI_LAYOUT.caFiles.crl), contents: encodePem(crl, 'X509 CRL'), secret: false });
    files.push({ path: pkiPath(dir, PKI_LAYOUT.caFiles.state), contents: encodeCaState(state), secret: false });
  }
  const manifest: PkiManifest = { version: 1, alg: options.alg, tamUri: options.tamUri, tamKeys };
  files.push({ path: PKI_LAYOUT.manifest, contents: encodePkiManifest(manifest), secret: false });
  return { manifest, files };
}

/** The ca.json record of a certificate a CA just issued. */
export function issuedRecord(der: Uint8Array, role: PkiRole | 'ca'): IssuedRecord {
  const info = parseCertificate(der);
  return { serialNumber: info.serialNumber, subject: info.subject, role, notAfter: info.notAfter.toISOString() };
}
