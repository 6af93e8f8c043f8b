/**
 * Certificate creation (RFC 5280 profile): the root CA, the branch CAs and end-entity certificates
 * per role. Creation only; what a relying party accepts is decided in chain.ts.
 *
 * Every certificate carries subjectKeyIdentifier, and all but the root authorityKeyIdentifier
 * (RFC 5280 §4.2.1.1-2), so path building never depends on name matching alone. Serial numbers are
 * 16 random octets with the top bit clear (positive, at most 20 octets, RFC 5280 §4.1.2.2; unpredictable
 * as CA/Browser Forum BR §7.1 asks).
 */
import { InvalidArgument } from '../errors.js';
import { CertificateMalformed } from './errors.js';
import { importSpki, isSigningAlgorithm, keyAlgorithmOf, signingParams } from './key-algorithms.js';
import type { PkiKeyAlgorithm } from './key-algorithms.js';
import { PKI_ROLE, caKeyUsage, leafKeyUsage } from './roles.js';
import type { KeyUsageOptions, PkiRole } from './roles.js';
import { x509 } from './x509-runtime.js';

const DAY_MS = 86_400_000;

/** A CA able to issue: its certificate (DER) and private key. */
export interface CaHandle {
  certificate: Uint8Array;
  privateKey: CryptoKey;
}

/** Validity window; `days` counts from `notBefore` (default now) when `notAfter` is not given. */
export interface ValidityOptions {
  notBefore?: Date;
  notAfter?: Date;
  days?: number;
}

export interface CreateCaOptions extends ValidityOptions {
  /** Common name of the CA, e.g. "otrp Root CA". */
  name: string;
  keys: CryptoKeyPair;
  /** The issuing CA; absent for a self-signed root. */
  issuer?: CaHandle;
  /** basicConstraints pathLenConstraint (root: 1 so branch CAs can only issue leaves; branch: 0). */
  pathLength?: number;
}

/**
 * Creates a CA certificate: basicConstraints cA=TRUE (critical), keyUsage keyCertSign|cRLSign
 * (critical). Self-signed when no issuer is given (default 20 years), otherwise issued (10 years).
 */
export async function createCaCertificate(options: CreateCaOptions): Promise<Uint8Array> {
  const alg = keyAlgorithmOf(options.keys.publicKey);
  if (!isSigningAlgorithm(alg)) throw new InvalidArgument(`a CA key must sign; ${alg} cannot`);
  const validity = resolveValidity(options, options.issuer ? 3650 : 7300);
  const extensions = [
    new x509.BasicConstraintsExtension(true, options.pathLength, true),
    new x509.KeyUsagesExtension(caKeyUsage(), true),
    await x509.SubjectKeyIdentifierExtension.create(options.keys.publicKey),
  ];
  if (!options.issuer) {
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: randomSerial(),
      name: commonName(options.name),
      keys: options.keys,
      signingAlgorithm: signingParams(alg),
      notBefore: validity.notBefore,
      notAfter: validity.notAfter,
      extensions,
    });
    return new Uint8Array(cert.rawData);
  }
  return issue(options.issuer, commonName(options.name), options.keys.publicKey, validity, extensions);
}

export interface IssueCertificateOptions extends ValidityOptions {
  issuer: CaHandle;
  role: PkiRole;
  /** A common name, or the DER of a subject Name (as taken from a CSR). */
  subject: string | Uint8Array;
  /** The subject's public key: a CryptoKey or DER SPKI (X25519 keys come this way, never by CSR). */
  publicKey: CryptoKey | Uint8Array;
  /** subjectAltName URIs; required for the TAM (PKI_ROLE.tam.sanUri). */
  sanUris?: readonly string[];
  keyUsage?: KeyUsageOptions;
}

/**
 * Issues an end-entity certificate for a role: basicConstraints cA=FALSE, the keyUsage of its key
 * (roles.ts `leafKeyUsage`), the role's extendedKeyUsage and SAN URIs. Default validity 365 days; a
 * certificate never outlives its issuer (refused rather than silently shortened).
 */
export async function issueCertificate(options: IssueCertificateOptions): Promise<Uint8Array> {
  const role = PKI_ROLE[options.role];
  const publicKey = options.publicKey instanceof Uint8Array ? (await importSpki(options.publicKey)).key : options.publicKey;
  const alg: PkiKeyAlgorithm = keyAlgorithmOf(publicKey);
  const sanUris = options.sanUris ?? [];
  if (role.sanUri === 'required' && sanUris.length === 0) throw new InvalidArgument(`a ${options.role} certificate needs a SAN URI naming it`);
  for (const uri of sanUris) checkUri(uri);
  const decrypt = options.keyUsage?.decrypt ?? (alg === 'RS256' && role.rsaDecrypts);
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(leafKeyUsage(alg, { ...options.keyUsage, decrypt }), true),
    new x509.ExtendedKeyUsageExtension([role.eku], false),
    await x509.SubjectKeyIdentifierExtension.create(publicKey),
  ];
  if (sanUris.length) extensions.push(new x509.SubjectAlternativeNameExtension(sanUris.map((value) => ({ type: 'url' as const, value }))));
  const subject = typeof options.subject === 'string' ? commonName(options.subject) : new x509.Name(options.subject as Uint8Array<ArrayBuffer>);
  return issue(options.issuer, subject, publicKey, resolveValidity(options, 365), extensions);
}

async function issue(
  issuer: CaHandle,
  subject: x509.Name,
  publicKey: CryptoKey,
  validity: Validity,
  extensions: x509.Extension[],
): Promise<Uint8Array> {
  const ca = parseIssuer(issuer.certificate);
  // A certificate never outlives its issuer: a default validity is shortened to the issuer's, an
  // explicit one (notAfter or days) that goes beyond it is refused.
  if (validity.notAfter > ca.notAfter && !validity.explicit) validity = { ...validity, notAfter: ca.notAfter };
  if (validity.notAfter > ca.notAfter) {
    throw new InvalidArgument(`notAfter ${validity.notAfter.toISOString()} is after the issuer's notAfter ${ca.notAfter.toISOString()}`);
  }
  const { key: caKey } = await importSpki(new Uint8Array(ca.publicKey.rawData));
  const alg = keyAlgorithmOf(issuer.privateKey);
  if (!isSigningAlgorithm(alg)) throw new InvalidArgument(`${alg} CA keys cannot sign`);
  await checkKeyPair(issuer.privateKey, caKey, alg);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject,
    issuer: ca.subjectName,
    publicKey,
    signingKey: issuer.privateKey,
    signingAlgorithm: signingParams(alg),
    notBefore: validity.notBefore,
    notAfter: validity.notAfter,
    extensions: [...extensions, await x509.AuthorityKeyIdentifierExtension.create(caKey)],
  });
  return new Uint8Array(cert.rawData);
}

function parseIssuer(der: Uint8Array): x509.X509Certificate {
  let ca: x509.X509Certificate;
  try {
    ca = new x509.X509Certificate(der as Uint8Array<ArrayBuffer>);
  } catch (e) {
    throw new CertificateMalformed('issuer certificate does not parse', { cause: e });
  }
  const bc = ca.getExtension(x509.BasicConstraintsExtension);
  const ku = ca.getExtension(x509.KeyUsagesExtension);
  if (!bc?.ca || (ku && !(ku.usages & x509.KeyUsageFlags.keyCertSign))) throw new InvalidArgument('the issuer certificate is not a CA allowed to sign certificates');
  return ca;
}

/** The CA's private key must belong to its certificate, or every certificate it signs would be unverifiable. */
async function checkKeyPair(privateKey: CryptoKey, publicKey: CryptoKey, alg: PkiKeyAlgorithm): Promise<void> {
  const probe = new TextEncoder().encode('otrp key-pair probe');
  const params = signingParams(alg);
  const sig = await globalThis.crypto.subtle.sign(params, privateKey, probe);
  const ok = await globalThis.crypto.subtle.verify(params, publicKey, sig, probe).catch(() => false);
  if (!ok) throw new InvalidArgument("the CA private key does not match the CA certificate");
}

interface Validity {
  notBefore: Date;
  notAfter: Date;
  /** The caller chose the end (notAfter or days), rather than taking the default. */
  explicit: boolean;
}

function resolveValidity(options: ValidityOptions, defaultDays: number): Validity {
  const notBefore = options.notBefore ?? new Date();
  const days = options.days ?? defaultDays;
  if (!Number.isFinite(days) || days <= 0) throw new InvalidArgument(`days must be a positive number, got ${days}`);
  const notAfter = options.notAfter ?? new Date(notBefore.getTime() + days * DAY_MS);
  if (Number.isNaN(notBefore.getTime()) || Number.isNaN(notAfter.getTime())) throw new InvalidArgument('invalid validity date');
  if (notAfter <= notBefore) throw new InvalidArgument('notAfter must be later than notBefore');
  return { notBefore, notAfter, explicit: options.notAfter !== undefined || options.days !== undefined };
}

function commonName(cn: string): x509.Name {
  if (cn.length === 0 || cn.length > 64) throw new InvalidArgument('a common name has 1 to 64 characters (RFC 5280 ub-common-name)');
  return new x509.Name([{ CN: [cn] }]);
}

function checkUri(uri: string): void {
  // RFC 5280 §4.2.1.6: an absolute URI with a scheme; no relative references.
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$/.test(uri)) throw new InvalidArgument(`not an absolute URI: ${uri}`);
}

function randomSerial(): string {
  const b = globalThis.crypto.getRandomValues(new Uint8Array(16));
  b[0] = (b[0]! & 0x7f) | 0x01; // positive and without a leading zero octet
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
}
