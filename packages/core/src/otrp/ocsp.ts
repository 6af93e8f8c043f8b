/**
 * Verifying stapled OCSP data (`ocspdat`, draft-ietf-teep-opentrustprotocol-03 §9.1.1, §9.1.2,
 * §14.9): an OcspVerifier (ports.ts) over pkijs's OCSPResponse/BasicOCSPResponse parsers.
 *
 * For each certificate of the validated path except the anchor, one of the responses must hold a
 * SingleResponse for it (CertID by SHA-256 or SHA-1, RFC 6960 §4.1.1) that is signed by its issuing
 * CA (RFC 6960 §4.2.2.2; delegated responders are not accepted), current at the validation time
 * (thisUpdate <= at <= nextUpdate, or at most `maxAgeMs` old without nextUpdate), and `good`.
 * Anything else is ERR_TAM_NOT_TRUSTED ("TAM cert / OCSP validation failed", §13.1.1).
 */
import { bytesEqual } from '../wire/bytes.js';
import { OtrpTamNotTrusted } from './errors.js';
import type { OcspVerifier } from './ports.js';
import { OID_OCSP_BASIC } from './ocsp-response.js';
import { spkiKeyBits } from './ocsp-der.js';
import { parseCertificate, type CertificateInfo } from '../pki/certificate-info.js';
import { pkijs, pkijsEngine } from '../pki/x509-runtime.js';

const HASHES: Record<string, 'SHA-256' | 'SHA-1'> = { '2.16.840.1.101.3.4.2.1': 'SHA-256', '1.3.14.3.2.26': 'SHA-1' };
const CLOCK_SKEW_MS = 5 * 60_000;

export interface OcspVerifierOptions {
  /** Age limit of a response without nextUpdate (default 7 days). */
  maxAgeMs?: number;
}

interface Parsed {
  basic: pkijs.BasicOCSPResponse;
}

function parse(der: Uint8Array): Parsed {
  try {
    const resp = pkijs.OCSPResponse.fromBER(der as Uint8Array<ArrayBuffer>);
    if (resp.responseStatus.valueBlock.valueDec !== 0) throw new OtrpTamNotTrusted('OCSP responder did not answer successfully');
    if (!resp.responseBytes || resp.responseBytes.responseType !== OID_OCSP_BASIC) throw new OtrpTamNotTrusted('OCSP response is not a basic response');
    return { basic: pkijs.BasicOCSPResponse.fromBER(resp.responseBytes.response.valueBlock.valueHexView as Uint8Array<ArrayBuffer>) };
  } catch (e) {
    if (e instanceof OtrpTamNotTrusted) throw e;
    throw new OtrpTamNotTrusted('ocspdat holds no valid OCSP response', { cause: e });
  }
}

function serialBytes(hex: string): Uint8Array {
  const h = hex.replace(/^(00)+(?=..)/, '');
  const bytes = new Uint8Array(Math.ceil(h.length / 2));
  const padded = h.length % 2 ? `0${h}` : h;
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(padded.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

async function matches(id: pkijs.CertID, cert: CertificateInfo, issuer: CertificateInfo): Promise<boolean> {
  const hash = HASHES[id.hashAlgorithm.algorithmId];
  if (!hash) return false;
  const h = async (b: Uint8Array) => new Uint8Array(await globalThis.crypto.subtle.digest(hash, b as Uint8Array<ArrayBuffer>));
  const serial = new Uint8Array(id.serialNumber.valueBlock.valueHexView);
  return (
    bytesEqual(new Uint8Array(id.issuerNameHash.valueBlock.valueHexView), await h(issuer.subjectDer)) &&
    bytesEqual(new Uint8Array(id.issuerKeyHash.valueBlock.valueHexView), await h(spkiKeyBits(issuer.spki))) &&
    bytesEqual(serialBytes(bytesToHex(serial)), serialBytes(cert.serialNumber))
  );
}

function bytesToHex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

async function signedBy(basic: pkijs.BasicOCSPResponse, issuer: CertificateInfo): Promise<boolean> {
  try {
    const spki = pkijs.PublicKeyInfo.fromBER(issuer.spki as Uint8Array<ArrayBuffer>);
    return await pkijsEngine.verifyWithPublicKey(basic.tbsResponseData.tbsView as Uint8Array<ArrayBuffer>, basic.signature, spki, basic.signatureAlgorithm);
  } catch {
    return false;
  }
}

export function createOcspVerifier(options: OcspVerifierOptions = {}): OcspVerifier {
  const maxAge = options.maxAgeMs ?? 7 * 86400_000;
  return {
    async verify(path, responses, at) {
      const parsed = responses.map(parse);
      const certs = path.map((c) => parseCertificate(c));
      for (let i = 0; i + 1 < certs.length; i++) {
        const cert = certs[i]!;
        const issuer = certs[i + 1]!;
        let status: 'good' | 'revoked' | 'unknown' | undefined;
        for (const { basic } of parsed) {
          for (const single of basic.tbsResponseData.responses) {
            if (!(await matches(single.certID, cert, issuer))) continue;
            if (!(await signedBy(basic, issuer))) continue;
            const t = at.getTime();
            if (single.thisUpdate.getTime() > t + CLOCK_SKEW_MS) continue;
            if (single.nextUpdate ? single.nextUpdate.getTime() < t - CLOCK_SKEW_MS : t - single.thisUpdate.getTime() > maxAge) continue;
            const tag = (single.certStatus as { idBlock: { tagNumber: number } }).idBlock.tagNumber;
            const s = tag === 0 ? 'good' : tag === 1 ? 'revoked' : 'unknown';
            if (s === 'revoked' || status === undefined || status === 'unknown') status = s;
          }
        }
        if (status === 'revoked') throw new OtrpTamNotTrusted(`certificate ${cert.subject} is revoked (OCSP)`);
        if (status !== 'good') throw new OtrpTamNotTrusted(`no current OCSP status for ${cert.subject}`);
      }
    },
  };
}
