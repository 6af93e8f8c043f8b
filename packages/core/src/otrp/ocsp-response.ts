/**
 * Creating OCSP responses (RFC 6960 §4.2) for stapling: a CA answers for the certificates it
 * issued, signing as the CA itself (RFC 6960 §4.2.2.2, "the CA who issued the certificate in
 * question"). The TAM staples them in GetDeviceStateTBSRequest `ocspdat` (OTrP -03 §9.1.1).
 *
 *   OCSPResponse ::= SEQUENCE { responseStatus ENUMERATED, responseBytes [0] EXPLICIT ResponseBytes }
 *   ResponseBytes ::= SEQUENCE { responseType id-pkix-ocsp-basic, response OCTET STRING }
 *   BasicOCSPResponse ::= SEQUENCE { tbsResponseData ResponseData, signatureAlgorithm, signature BIT STRING }
 *   ResponseData ::= SEQUENCE { responderID [1] EXPLICIT Name, producedAt GeneralizedTime, responses SEQUENCE OF SingleResponse }
 *   SingleResponse ::= SEQUENCE { certID CertID, certStatus CertStatus, thisUpdate GeneralizedTime, nextUpdate [0] EXPLICIT GeneralizedTime }
 *   CertID ::= SEQUENCE { hashAlgorithm, issuerNameHash OCTET STRING, issuerKeyHash OCTET STRING, serialNumber INTEGER }
 *   CertStatus ::= CHOICE { good [0] IMPLICIT NULL, revoked [1] IMPLICIT RevokedInfo, unknown [2] IMPLICIT NULL }
 */
import { InvalidArgument } from '../errors.js';
import { parseCertificate } from '../pki/certificate-info.js';
import { fromHex } from '../wire/hex.js';
import { bitString, ecdsaDer, explicit, generalizedTime, integer, NULL, octets, oid, seq, spkiKeyBits, tlv } from './ocsp-der.js';

export const OID_OCSP_BASIC = '1.3.6.1.5.5.7.48.1.1';
const OID_SHA256 = '2.16.840.1.101.3.4.2.1';

const SIGNATURE = {
  ECDSA: { oid: '1.2.840.10045.4.3.2', params: false, webcrypto: { name: 'ECDSA', hash: 'SHA-256' } },
  'RSASSA-PKCS1-v1_5': { oid: '1.2.840.113549.1.1.11', params: true, webcrypto: { name: 'RSASSA-PKCS1-v1_5' } },
  Ed25519: { oid: '1.3.101.112', params: false, webcrypto: { name: 'Ed25519' } },
} as const;

export type OcspCertStatus = { status: 'good' } | { status: 'revoked'; revokedAt: Date } | { status: 'unknown' };

export interface CreateOcspResponseOptions {
  /** The certificate the response is about (DER or PEM). */
  certificate: Uint8Array | string;
  /** The issuing CA: its certificate and private key (the responder). */
  issuer: { certificate: Uint8Array | string; privateKey: CryptoKey };
  status?: OcspCertStatus;
  thisUpdate?: Date;
  /** Default thisUpdate + 1 day (short-lived stapled responses). */
  nextUpdate?: Date;
}

const sha256 = async (b: Uint8Array) => new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', b as Uint8Array<ArrayBuffer>));

/** A signed DER OCSPResponse with one SingleResponse. */
export async function createOcspResponse(o: CreateOcspResponseOptions): Promise<Uint8Array> {
  const cert = parseCertificate(o.certificate);
  const issuer = parseCertificate(o.issuer.certificate);
  const sig = SIGNATURE[o.issuer.privateKey.algorithm.name as keyof typeof SIGNATURE];
  if (!sig) throw new InvalidArgument(`cannot sign OCSP responses with ${o.issuer.privateKey.algorithm.name}`);
  const thisUpdate = o.thisUpdate ?? new Date();
  const nextUpdate = o.nextUpdate ?? new Date(thisUpdate.getTime() + 86400_000);
  const status = o.status ?? { status: 'good' };
  const certStatus =
    status.status === 'good'
      ? new Uint8Array([0x80, 0x00])
      : status.status === 'unknown'
        ? new Uint8Array([0x82, 0x00])
        : tlv(0xa1, generalizedTime(status.revokedAt));
  const certId = seq(seq(oid(OID_SHA256), NULL), octets(await sha256(issuer.subjectDer)), octets(await sha256(spkiKeyBits(issuer.spki))), integer(fromHex(cert.serialNumber.length % 2 ? `0${cert.serialNumber}` : cert.serialNumber)));
  const single = seq(certId, certStatus, generalizedTime(thisUpdate), explicit(0, generalizedTime(nextUpdate)));
  const tbs = seq(tlv(0xa1, issuer.subjectDer), generalizedTime(thisUpdate), seq(single));
  let signature = new Uint8Array(await globalThis.crypto.subtle.sign(sig.webcrypto, o.issuer.privateKey, tbs as Uint8Array<ArrayBuffer>));
  if (sig === SIGNATURE.ECDSA) signature = ecdsaDer(signature) as Uint8Array<ArrayBuffer>;
  const algId = sig.params ? seq(oid(sig.oid), NULL) : seq(oid(sig.oid));
  const basic = seq(tbs, algId, bitString(signature));
  return seq(tlv(0x0a, new Uint8Array([0])), explicit(0, seq(oid(OID_OCSP_BASIC), octets(basic))));
}
