/**
 * Certificate revocation lists (RFC 5280 §5): what a CA publishes about the certificates it revoked.
 * Each CRL carries authorityKeyIdentifier and cRLNumber, the two extensions RFC 5280 §5.2 says
 * conforming CRL issuers MUST include, and a nextUpdate after which relying parties treat it as stale
 * (chain.ts then fails closed with ERR_REVOCATION_UNKNOWN).
 */
import { InvalidArgument } from '../errors.js';
import { CertificateMalformed, CrlInvalid } from './errors.js';
import type { CaHandle } from './certificate.js';
import { importSpki, keyAlgorithmOf, isSigningAlgorithm, signingParams } from './key-algorithms.js';
import { toDer } from './pem.js';
import { x509 } from './x509-runtime.js';

/** CRLReason codes (RFC 5280 §5.3.1); 7 is unused. */
export const CRL_REASON = {
  unspecified: 0,
  keyCompromise: 1,
  cACompromise: 2,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  certificateHold: 6,
  removeFromCRL: 8,
  privilegeWithdrawn: 9,
  aACompromise: 10,
} as const;
export type CrlReason = keyof typeof CRL_REASON;

export function isCrlReason(name: string): name is CrlReason {
  return Object.hasOwn(CRL_REASON, name);
}

/** One revoked certificate. */
export interface RevokedEntry {
  /** Serial number in hex, as `CertificateInfo.serialNumber`. */
  serialNumber: string;
  revocationDate: Date;
  reason?: CrlReason;
}

export interface CreateCrlOptions {
  issuer: CaHandle;
  entries: readonly RevokedEntry[];
  /** Monotonically increasing per CA (RFC 5280 §5.2.3). */
  crlNumber: number;
  thisUpdate?: Date;
  /** Default: thisUpdate + 7 days. */
  nextUpdate?: Date;
}

const CRL_NUMBER_OID = '2.5.29.20';
const CRL_REASON_OID = '2.5.29.21';
/** DER ENUMERATED 0 (unspecified), the reasonCode extension's value. */
const REASON_UNSPECIFIED_DER = new Uint8Array([0x0a, 0x01, 0x00]);

/** Creates a DER CRL signed by the CA. */
export async function createCrl(options: CreateCrlOptions): Promise<Uint8Array> {
  if (!Number.isSafeInteger(options.crlNumber) || options.crlNumber < 0) throw new InvalidArgument('crlNumber must be a non-negative integer');
  let ca: x509.X509Certificate;
  try {
    ca = new x509.X509Certificate(options.issuer.certificate as Uint8Array<ArrayBuffer>);
  } catch (e) {
    throw new CertificateMalformed('issuer certificate does not parse', { cause: e });
  }
  const alg = keyAlgorithmOf(options.issuer.privateKey);
  if (!isSigningAlgorithm(alg)) throw new InvalidArgument(`${alg} keys cannot sign a CRL`);
  const thisUpdate = options.thisUpdate ?? new Date();
  const nextUpdate = options.nextUpdate ?? new Date(thisUpdate.getTime() + 7 * 86_400_000);
  if (nextUpdate <= thisUpdate) throw new InvalidArgument('nextUpdate must be later than thisUpdate');
  for (const e of options.entries) {
    if (!/^[0-9a-f]{1,40}$/i.test(e.serialNumber)) throw new InvalidArgument(`not a hex serial number: ${e.serialNumber}`);
  }
  const { key: caKey } = await importSpki(new Uint8Array(ca.publicKey.rawData));
  const crl = await x509.X509CrlGenerator.create({
    issuer: ca.subjectName,
    thisUpdate,
    nextUpdate,
    signingKey: options.issuer.privateKey,
    signingAlgorithm: signingParams(alg),
    extensions: [
      await x509.AuthorityKeyIdentifierExtension.create(caKey),
      new x509.Extension(CRL_NUMBER_OID, false, derInteger(options.crlNumber)),
    ],
    entries: options.entries.map((e) => {
      const reason = e.reason === undefined ? 0 : CRL_REASON[e.reason];
      // @peculiar/x509 writes an EMPTY crlEntryExtensions SEQUENCE when it adds no reason (no reason
      // given, or unspecified = 0, which it tests as falsy). RFC 5280 §5.1 requires SEQUENCE SIZE (1..MAX),
      // and pkijs rightly refuses such a CRL. So reason 0 goes in explicitly as an extension (a SHOULD-NOT
      // of RFC 5280 §5.3.1, against a CRL no validator accepts).
      return reason === 0
        ? { serialNumber: e.serialNumber, revocationDate: e.revocationDate, extensions: [new x509.Extension(CRL_REASON_OID, false, REASON_UNSPECIFIED_DER)] }
        : { serialNumber: e.serialNumber, revocationDate: e.revocationDate, reason: reason as number as x509.X509CrlReason };
    }),
  });
  return new Uint8Array(crl.rawData);
}

/** What a CRL says, for display and tests (its signature is checked in chain.ts, against the path). */
export interface CrlInfo {
  issuer: string;
  thisUpdate: Date;
  nextUpdate: Date | undefined;
  entries: { serialNumber: string; revocationDate: Date; reason: number | undefined }[];
}

/** Parses a CRL (PEM or DER); garbage gives ERR_CRL_INVALID. */
export function readCrl(input: Uint8Array | string): CrlInfo {
  const der = toDer(input, 'X509 CRL');
  if (!der) throw new CrlInvalid('no X509 CRL block found');
  try {
    const crl = new x509.X509Crl(der as Uint8Array<ArrayBuffer>);
    return {
      issuer: crl.issuer,
      thisUpdate: crl.thisUpdate,
      nextUpdate: crl.nextUpdate,
      entries: crl.entries.map((e) => ({ serialNumber: e.serialNumber, revocationDate: e.revocationDate, reason: e.reason })),
    };
  } catch (e) {
    throw new CrlInvalid('not a DER X.509 CRL', { cause: e });
  }
}

/** DER INTEGER of a non-negative safe integer (X.690 §8.3: minimal two's complement). */
function derInteger(n: number): Uint8Array<ArrayBuffer> {
  const bytes: number[] = [];
  let v = n;
  do {
    bytes.unshift(v % 256);
    v = Math.floor(v / 256);
  } while (v > 0);
  if (bytes[0]! & 0x80) bytes.unshift(0);
  return new Uint8Array([0x02, bytes.length, ...bytes]);
}
