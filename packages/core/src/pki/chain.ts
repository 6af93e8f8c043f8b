/**
 * RFC 5280 §6 path validation wherever trust is decided: the TAM validating device chains and TC
 * signers, the Agent validating the TAM and every TC signer (chains arrive in COSE x5chain, RFC 9360,
 * leaf first).
 *
 * pkijs's CertificateChainValidationEngine builds the path and checks signatures, validity, CA
 * constraints, name constraints, policies and CRLs. Around it this file adds what pkijs leaves out or
 * reports too coarsely: the leaf's keyUsage and extendedKeyUsage for the role, pathLenConstraint,
 * RFC 8410/RSA key checks, and one precise typed error per failure (errors.ts), found before pkijs
 * runs where possible so the reported code names the real problem.
 *
 * Branch-for-role: callers pass the anchors of one role (layout.ts `roleAnchors`: the role's branch CA
 * certificate), and the leaf must carry the role's EKU (roles.ts), so a device certificate never
 * passes as a TC signer even when both branches share a root.
 */
import { InvalidArgument } from '../errors.js';
import { CertificateConstraints, CertificateKeyUsage, CertificateRole, ChainUntrusted, CrlInvalid, PkiError } from './errors.js';
import { bytesEqual, checkIssuerCapable, checkPathLength, checkValidity, pkijsFailure } from './chain-checks.js';
import { parseCertificate } from './certificate-info.js';
import { derMemo, MEMO_MAX_CERTIFICATE_BYTES, MEMO_MAX_CRL_BYTES } from './der-memo.js';
import type { CertificateInfo } from './certificate-info.js';
import { importSpki, spkiInfo } from './key-algorithms.js';
import type { PkiKeyAlgorithm } from './key-algorithms.js';
import { importPublicKey, toDer } from './pem.js';
import { PKI_ROLE, isPkiRole } from './roles.js';
import type { PkiRole } from './roles.js';
import { pkijs, pkijsEngine, x509 } from './x509-runtime.js';

/**
 * A trust anchor: a CA certificate (DER or PEM), or a raw public key (RFC 5280 §6.1.1 (d) allows an
 * anchor to be a bare key; TEEP deployments pin keys). A raw-key anchor trusts exactly the leaf that
 * carries that key, with no EKU to check. COSE_Key anchors are converted to a CryptoKey by the cose
 * layer first.
 */
export type TrustAnchor =
  | { certificate: Uint8Array | string }
  | { publicKey: CryptoKey | JsonWebKey | Uint8Array | string };

/** What the leaf key is for; the leaf's keyUsage, when present, must allow it. */
export type LeafUsage = 'digitalSignature' | 'keyAgreement' | 'keyEncipherment';

export interface ValidateChainOptions {
  /** The presented chain, leaf first; each item DER or PEM. */
  chain: readonly (Uint8Array | string)[];
  /** The anchors trusted for `role` (only those: branch-for-role). */
  anchors: readonly TrustAnchor[];
  role: PkiRole;
  /**
   * CRLs (DER or PEM). When given, every certificate of the path must be covered by a current CRL of
   * its issuer (fail closed: ERR_REVOCATION_UNKNOWN); when absent, revocation is not checked.
   */
  crls?: readonly (Uint8Array | string)[];
  /** Validation time; default now. */
  at?: Date;
  /** Default 'digitalSignature'. */
  usage?: LeafUsage;
}

export interface ValidatedChain {
  /** The leaf key, imported for its algorithm's default use (verify; X25519: ECDH peer). */
  publicKey: CryptoKey;
  keyAlgorithm: PkiKeyAlgorithm;
  /** DER SPKI of the leaf, to re-import for another use. */
  spki: Uint8Array;
  leaf: CertificateInfo;
  /** How the leaf was trusted. */
  anchor: 'certificate' | 'raw-key';
  /** The validated path as DER, leaf first, anchor last (only the leaf for a raw-key anchor). */
  path: Uint8Array[];
  /** When every certificate of the path is valid: the latest notBefore and the earliest notAfter. */
  validFrom: Date;
  validUntil: Date;
}

/** Longest chain accepted; TEEP/OTrP hierarchies are 3 deep (leaf, branch CA, root). */
const MAX_CHAIN_LENGTH = 8;

/**
 * Parsed certificates and CRLs, by DER content (der-memo.ts): every chain of a role shares its
 * anchors, intermediates and CRLs. pkijs objects are large and leaves are mostly seen once, so
 * fewer of them are kept. A shared pkijs object is only read by the engine (it fills in its own
 * `tbsView` cache, the same bytes every time).
 */
const certificateInfos = derMemo<CertificateInfo>(256, MEMO_MAX_CERTIFICATE_BYTES);
const pkijsCertificates = derMemo<pkijs.Certificate>(32, MEMO_MAX_CERTIFICATE_BYTES);
const pkijsCrls = derMemo<pkijs.CertificateRevocationList>(32, MEMO_MAX_CRL_BYTES);

/** parseCertificate, remembered by DER content (PEM is decoded first); shared, so frozen. */
function certificateInfo(input: Uint8Array | string): CertificateInfo {
  const der = toDer(input, 'CERTIFICATE');
  if (!der || der.length === 0) return parseCertificate(input); // throws the precise ERR_CERTIFICATE_MALFORMED
  return certificateInfos(der, (d) => {
    const info = parseCertificate(d);
    if (info.extendedKeyUsage) Object.freeze(info.extendedKeyUsage);
    Object.freeze(info.sanUris);
    return Object.freeze(info);
  });
}

const USAGE_BIT: Record<LeafUsage, number> = {
  digitalSignature: x509.KeyUsageFlags.digitalSignature,
  keyAgreement: x509.KeyUsageFlags.keyAgreement,
  keyEncipherment: x509.KeyUsageFlags.keyEncipherment,
};

/** Validates `chain` for `role` against `anchors`; throws a PkiError (errors.ts) on any failure. */
export async function validateChain(options: ValidateChainOptions): Promise<ValidatedChain> {
  if (!isPkiRole(options.role)) throw new InvalidArgument(`unknown role ${String(options.role)}`);
  const at = options.at ?? new Date();
  if (options.chain.length === 0) throw new ChainUntrusted('empty certificate chain');
  if (options.chain.length > MAX_CHAIN_LENGTH) throw new CertificateConstraints(`chain longer than ${MAX_CHAIN_LENGTH} certificates`);
  const chain = options.chain.map(certificateInfo);
  for (const c of chain) spkiInfo(c.spki); // unsupported algorithms, RSA < 2048 (ERR_PKI_WEAK_KEY)
  const leaf = chain[0]!;
  const usage = options.usage ?? 'digitalSignature';

  if (leaf.isCa) throw new CertificateConstraints('the leaf certificate is a CA certificate');
  if (leaf.keyUsage !== undefined && !(leaf.keyUsage & USAGE_BIT[usage])) throw new CertificateKeyUsage(`the leaf keyUsage does not allow ${usage}`);

  const rawKeys = await Promise.all(options.anchors.filter((a) => 'publicKey' in a).map((a) => rawAnchorSpki(a.publicKey)));
  if (rawKeys.some((k) => bytesEqual(k, leaf.spki))) {
    checkValidity(leaf, at);
    return result(leaf, 'raw-key', [leaf]);
  }

  if (!(leaf.extendedKeyUsage ?? []).includes(PKI_ROLE[options.role].eku)) {
    throw new CertificateRole(`the certificate is not a ${options.role} certificate (extendedKeyUsage)`);
  }
  const anchors = options.anchors.filter((a) => 'certificate' in a).map((a) => certificateInfo(a.certificate));
  if (anchors.length === 0) throw new ChainUntrusted(`no trust anchor certificate for role ${options.role}`);
  for (const a of anchors) spkiInfo(a.spki);

  // Pre-checks for precise codes: validity of the presented certificates up to the first anchor, and
  // CA-ness of every certificate that may act as an issuer (x5chain: each one certifies the previous).
  for (const c of chain) {
    if (anchors.some((a) => bytesEqual(a.der, c.der))) break;
    checkValidity(c, at);
  }
  for (const c of [...chain.slice(1), ...anchors]) checkIssuerCapable(c);

  const crls = (options.crls ?? []).map(parseCrl);
  let path: pkijs.Certificate[];
  const received = new Map<pkijs.Certificate, CertificateInfo>();
  try {
    const toPkijs = (c: CertificateInfo): pkijs.Certificate => {
      const p = pkijsCertificates(c.der, (der) => pkijs.Certificate.fromBER(der as Uint8Array<ArrayBuffer>));
      received.set(p, c);
      return p;
    };
    const engine = new pkijs.CertificateChainValidationEngine({
      trustedCerts: anchors.map(toPkijs),
      // pkijs takes the last certificate as the leaf.
      certs: [...chain].reverse().map(toPkijs),
      crls,
      checkDate: at,
    });
    const r = await engine.verify({}, pkijsEngine);
    if (!r.result) throw await pkijsFailure(r.resultCode, r.resultMessage, chain, anchors, at, r);
    path = r.certificatePath ?? [];
  } catch (e) {
    if (e instanceof PkiError) throw e;
    throw new ChainUntrusted('certificate path validation failed', { cause: e });
  }
  // The path as the certificates were received (pkijs objects map back to their input; never re-encoded).
  const pathInfo = path.map((c) => received.get(c) ?? parseCertificate(new Uint8Array(c.toSchema().toBER(false))));
  checkPathLength(pathInfo);
  return result(leaf, 'certificate', pathInfo);
}

async function result(leaf: CertificateInfo, anchor: ValidatedChain['anchor'], path: CertificateInfo[]): Promise<ValidatedChain> {
  const { key, algorithm } = await importSpki(leaf.spki);
  return {
    publicKey: key, keyAlgorithm: algorithm, spki: leaf.spki, leaf, anchor, path: path.map((c) => c.der),
    validFrom: new Date(Math.max(...path.map((c) => c.notBefore.getTime()))),
    validUntil: new Date(Math.min(...path.map((c) => c.notAfter.getTime()))),
  };
}

function parseCrl(input: Uint8Array | string): pkijs.CertificateRevocationList {
  const der = toDer(input, 'X509 CRL');
  if (!der) throw new CrlInvalid('no X509 CRL block found');
  try {
    return pkijsCrls(der, (d) => pkijs.CertificateRevocationList.fromBER(d as Uint8Array<ArrayBuffer>));
  } catch (e) {
    throw new CrlInvalid('not a DER X.509 CRL', { cause: e });
  }
}

async function rawAnchorSpki(key: CryptoKey | JsonWebKey | Uint8Array | string): Promise<Uint8Array> {
  if (typeof CryptoKey !== 'undefined' && key instanceof CryptoKey) {
    return new Uint8Array(await globalThis.crypto.subtle.exportKey('spki', key));
  }
  return (await importPublicKey(key as JsonWebKey | Uint8Array | string)).spki;
}

/**
 * True when `issuer` (a certificate) signed `certificate`: the issuer name matches and the signature
 * verifies with the issuer's key. A check of provenance only (no validity, no path): what a CA needs
 * before revoking a certificate it is shown.
 */
export async function isIssuedBy(certificate: Uint8Array | string, issuer: Uint8Array | string): Promise<boolean> {
  const c = parseCertificate(certificate);
  const i = parseCertificate(issuer);
  if (!bytesEqual(c.issuerDer, i.subjectDer)) return false;
  try {
    const { key } = await importSpki(i.spki);
    return await new x509.X509Certificate(c.der as Uint8Array<ArrayBuffer>).verify({ publicKey: key, signatureOnly: true });
  } catch {
    return false;
  }
}
