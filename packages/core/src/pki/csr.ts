/**
 * PKCS#10 certificate requests (RFC 2986). A device key is born inside its TEE and never leaves it:
 * the device proves possession by signing a CSR, and the Device CA issues from the CSR alone.
 * X25519 keys cannot sign, so they cannot make a CSR; their issuer certifies the public key directly
 * (certificate.ts `issueCertificate` with a `publicKey`).
 */
import { InvalidArgument } from '../errors.js';
import { CsrInvalid } from './errors.js';
import { isSigningAlgorithm, importSpki, keyAlgorithmOf, signingParams } from './key-algorithms.js';
import type { PkiKeyAlgorithm } from './key-algorithms.js';
import { toDer } from './pem.js';
import { x509 } from './x509-runtime.js';

export interface CreateCsrOptions {
  /** The key pair whose public key is to be certified; its private key signs the request. */
  keys: CryptoKeyPair;
  /** Common name of the subject. */
  name: string;
  /** subjectAltName URIs requested (the issuer decides whether to keep them). */
  sanUris?: readonly string[];
}

/** Creates a DER PKCS#10 request signed with `keys.privateKey`. */
export async function createCsr(options: CreateCsrOptions): Promise<Uint8Array> {
  const alg = keyAlgorithmOf(options.keys.publicKey);
  if (!isSigningAlgorithm(alg)) throw new InvalidArgument(`${alg} keys cannot sign a CSR; have the issuer certify the public key directly`);
  if (options.name.length === 0 || options.name.length > 64) throw new InvalidArgument('a common name has 1 to 64 characters');
  const extensions = options.sanUris?.length
    ? [new x509.SubjectAlternativeNameExtension(options.sanUris.map((value) => ({ type: 'url' as const, value })))]
    : [];
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: new x509.Name([{ CN: [options.name] }]),
    keys: options.keys,
    signingAlgorithm: signingParams(alg),
    extensions,
  });
  return new Uint8Array(csr.rawData);
}

/** A verified CSR. */
export interface CsrInfo {
  /** DER of the subject Name, to copy into the certificate unchanged. */
  subject: Uint8Array;
  /** The subject as text (RFC 4514), for display. */
  subjectText: string;
  publicKey: CryptoKey;
  /** DER SubjectPublicKeyInfo. */
  spki: Uint8Array;
  algorithm: PkiKeyAlgorithm;
  /** SAN URIs the requester asked for. */
  sanUris: string[];
}

/**
 * Parses a CSR (PEM or DER) and checks its self-signature (proof of possession, RFC 2986 §3).
 * Anything malformed, unsupported or badly signed gives ERR_CSR_INVALID (or ERR_PKI_WEAK_KEY for RSA
 * under 2048 bits).
 */
export async function readCsr(input: Uint8Array | string): Promise<CsrInfo> {
  const der = toDer(input, 'CERTIFICATE REQUEST');
  if (!der) throw new CsrInvalid('no CERTIFICATE REQUEST block found');
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(der as Uint8Array<ArrayBuffer>);
  } catch (e) {
    throw new CsrInvalid('not a DER PKCS#10 request', { cause: e });
  }
  const spki = new Uint8Array(csr.publicKey.rawData);
  const { key, algorithm } = await importSpki(spki); // throws ERR_PKI_WEAK_KEY / ERR_PKI_UNSUPPORTED_ALGORITHM
  let ok = false;
  try {
    ok = await csr.verify();
  } catch (e) {
    throw new CsrInvalid('CSR signature cannot be checked', { cause: e });
  }
  if (!ok) throw new CsrInvalid('CSR signature does not verify');
  let sanUris: string[] = [];
  try {
    const san = csr.extensions.find((e): e is x509.SubjectAlternativeNameExtension => e instanceof x509.SubjectAlternativeNameExtension);
    sanUris = san ? san.names.items.filter((n) => n.type === 'url').map((n) => n.value) : [];
  } catch (e) {
    throw new CsrInvalid('CSR extensions do not parse', { cause: e });
  }
  return { subject: new Uint8Array(csr.subjectName.toArrayBuffer()), subjectText: csr.subject, publicKey: key, spki, algorithm, sanUris };
}
