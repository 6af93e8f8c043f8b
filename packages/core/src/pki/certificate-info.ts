/**
 * Reading a certificate: the fields path validation and callers look at, from one parse.
 * Garbage of any kind (not PEM/DER, truncated, bad extensions) gives ERR_CERTIFICATE_MALFORMED:
 * asn1js/@peculiar exceptions never escape this file.
 */
import { CertificateMalformed } from './errors.js';
import { decodePem, toDer } from './pem.js';
import { x509 } from './x509-runtime.js';

export interface CertificateInfo {
  /** The DER bytes as received (signatures are over these, never a re-encoding). */
  der: Uint8Array;
  subject: string;
  issuer: string;
  /** DER of the subject and issuer Names, for exact comparison. */
  subjectDer: Uint8Array;
  issuerDer: Uint8Array;
  /** Serial number in lower-case hex. */
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  /** basicConstraints cA (false when the extension is absent). */
  isCa: boolean;
  /** basicConstraints pathLenConstraint, if any. */
  pathLength: number | undefined;
  /** keyUsage bits (x509.KeyUsageFlags), undefined when the extension is absent. */
  keyUsage: number | undefined;
  /** extendedKeyUsage OIDs, undefined when the extension is absent. */
  extendedKeyUsage: string[] | undefined;
  sanUris: string[];
  /** DER SubjectPublicKeyInfo. */
  spki: Uint8Array;
}

/** Parses one certificate given as DER bytes or PEM (the first CERTIFICATE block). */
export function parseCertificate(input: Uint8Array | string): CertificateInfo {
  const der = toDer(input, 'CERTIFICATE');
  if (!der || der.length === 0) throw new CertificateMalformed('no certificate found (expected DER or a CERTIFICATE PEM block)');
  try {
    const c = new x509.X509Certificate(der as Uint8Array<ArrayBuffer>);
    const bc = c.getExtension(x509.BasicConstraintsExtension);
    const ku = c.getExtension(x509.KeyUsagesExtension);
    const eku = c.getExtension('2.5.29.37');
    const san = c.getExtension(x509.SubjectAlternativeNameExtension);
    return {
      der,
      subject: c.subject,
      issuer: c.issuer,
      subjectDer: new Uint8Array(c.subjectName.toArrayBuffer()),
      issuerDer: new Uint8Array(c.issuerName.toArrayBuffer()),
      serialNumber: c.serialNumber.toLowerCase(),
      notBefore: c.notBefore,
      notAfter: c.notAfter,
      isCa: bc?.ca ?? false,
      pathLength: bc?.pathLength,
      keyUsage: ku?.usages,
      extendedKeyUsage: eku ? decodeOidSequence(new Uint8Array(eku.value)) : undefined,
      sanUris: san ? san.names.items.filter((n) => n.type === 'url').map((n) => n.value) : [],
      spki: new Uint8Array(c.publicKey.rawData),
    };
  } catch (e) {
    throw new CertificateMalformed('not a DER X.509 certificate', { cause: e });
  }
}

/** Every CERTIFICATE block of a PEM text, in order (a chain file, leaf first). */
export function decodeCertificateChainPem(text: string): Uint8Array[] {
  const blocks = decodePem(text, 'CERTIFICATE');
  if (blocks.length === 0) throw new CertificateMalformed('no CERTIFICATE PEM block found');
  return blocks;
}

/**
 * ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId (RFC 5280 §4.2.1.12), decoded here
 * because asn1js prints arcs above 2^53 wrongly, and otrp's Verifier purpose lives under the 2.25
 * UUID arc (roles.ts).
 */
function decodeOidSequence(der: Uint8Array): string[] {
  const [seqStart, seqEnd] = tlv(der, 0, 0x30);
  const out: string[] = [];
  for (let i = seqStart; i < seqEnd; ) {
    const [start, end] = tlv(der, i, 0x06);
    out.push(decodeOid(der.subarray(start, end)));
    i = end;
  }
  if (out.length === 0) throw new Error('empty extendedKeyUsage');
  return out;
}

/** [content start, content end] of the DER TLV at `at`, which must have tag `tag`. */
function tlv(der: Uint8Array, at: number, tag: number): [number, number] {
  if (der[at] !== tag) throw new Error('unexpected DER tag');
  let len = der[at + 1];
  let start = at + 2;
  if (len === undefined) throw new Error('truncated DER');
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 3) throw new Error('unsupported DER length');
    len = 0;
    for (let k = 0; k < n; k++) len = len * 256 + (der[start + k] ?? NaN);
    start += n;
  }
  const end = start + len;
  if (!(end <= der.length)) throw new Error('truncated DER');
  return [start, end];
}

function decodeOid(body: Uint8Array): string {
  const arcs: bigint[] = [];
  let v = 0n;
  for (let i = 0; i < body.length; i++) {
    v = (v << 7n) | BigInt(body[i]! & 0x7f);
    if (!(body[i]! & 0x80)) {
      arcs.push(v);
      v = 0n;
    } else if (i === body.length - 1) throw new Error('truncated OID');
  }
  if (arcs.length === 0) throw new Error('empty OID');
  const first = arcs[0]!;
  const head = first < 40n ? [0n, first] : first < 80n ? [1n, first - 40n] : [2n, first - 80n];
  return [...head, ...arcs.slice(1)].join('.');
}
