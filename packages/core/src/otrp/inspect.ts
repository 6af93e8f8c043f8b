/**
 * A debug view of OTrP messages (the `otrp otrp decode` command): opens each signed message,
 * verifies its JWS when the signer's certificate or key is given, decrypts `content` / `edsi` when
 * the recipient's private key is given, and returns the TBS content for pretty-printing.
 *
 * With the draft's own RSA-1024 test certificate, verification goes through the marked
 * compatibility path (jose/jws-draft-sample.ts): no key-size and no validity check for that one key
 * only. Every other certificate must be currently valid and is checked by the normal policy path.
 */
import { isObject, type JsonObject } from './fields.js';
import type { OtrpMessageName } from './messages/names.js';
import { openOtrpMessage, readTbs } from './signed-message.js';
import { parseOtrpJson, type OtrpJsonLimits } from './json.js';
import { OtrpRequestInvalid } from './errors.js';
import { verifyJws, readSignerChain } from '../jose/jws.js';
import { isDraftSampleKey, verifyDraftSampleJws } from '../jose/jws-draft-sample.js';
import { decryptJwe, parseJwe } from '../jose/jwe.js';
import { JWS_ALGORITHMS, JWE_CONTENT_ALGORITHMS, JWE_KEY_ALGORITHMS, type JosePolicy } from '../jose/algorithms.js';
import type { JosePrivateKey } from '../jose/keys.js';
import type { RawRsa } from '../jose/raw-rsa.js';
import { decodeBase64url } from '../jose/base64.js';
import { parseCertificate } from '../pki/certificate-info.js';
import { CertificateExpired, CertificateNotYetValid } from '../pki/errors.js';

/** Inspection accepts every algorithm of the tables (it is a viewer; `none` is still in no table). */
export const INSPECT_POLICY: JosePolicy = Object.freeze({
  jws: Object.keys(JWS_ALGORITHMS) as (keyof typeof JWS_ALGORITHMS)[],
  keyManagement: Object.keys(JWE_KEY_ALGORITHMS) as (keyof typeof JWE_KEY_ALGORITHMS)[],
  content: Object.keys(JWE_CONTENT_ALGORITHMS) as (keyof typeof JWE_CONTENT_ALGORITHMS)[],
});

export interface InspectOptions {
  /** The signer's certificate (DER); or `spki` for a bare public key. */
  certificate?: Uint8Array;
  spki?: Uint8Array;
  decryptKey?: JosePrivateKey;
  rawRsa?: RawRsa;
  policy?: JosePolicy;
  now?: Date;
  limits?: OtrpJsonLimits;
}

export interface InspectedMessage {
  message: OtrpMessageName;
  /** `verified`, `verified (draft-sample compatibility path)` or `not checked`. */
  signature: string;
  alg: string | undefined;
  /** Subjects of the certificates carried in the JWS header (x5c / signer). */
  headerCertificates: string[];
  /** The TBS object, with each decrypted JWE member replaced by `{ "decrypted": <plaintext JSON> }`. */
  tbs: JsonObject;
}

export async function inspectOtrpMessage(input: Uint8Array | string, options: InspectOptions = {}): Promise<InspectedMessage[]> {
  const policy = options.policy ?? INSPECT_POLICY;
  let spki = options.spki;
  let sample = false;
  if (options.certificate) {
    const cert = parseCertificate(options.certificate);
    spki = cert.spki;
    sample = await isDraftSampleKey(spki);
    const now = options.now ?? new Date();
    if (!sample && now < cert.notBefore) throw new CertificateNotYetValid(`the certificate is valid from ${cert.notBefore.toISOString()}`);
    if (!sample && now > cert.notAfter) throw new CertificateExpired(`the certificate expired on ${cert.notAfter.toISOString()}`);
  } else if (spki) {
    sample = await isDraftSampleKey(spki);
  }
  const out: InspectedMessage[] = [];
  for (const m of openOtrpMessage(input, options.limits)) {
    let payload: Uint8Array;
    let alg: string | undefined;
    let signature = 'not checked';
    if (spki && sample) {
      ({ payload, alg } = await verifyDraftSampleJws(m.jws, spki));
      signature = 'verified (draft-sample compatibility path: RSA-1024 test key, expired certificate)';
    } else if (spki) {
      ({ payload, alg } = await verifyJws(m.jws, { spki, policy }));
      signature = 'verified';
    } else {
      try {
        payload = decodeBase64url(m.jws.payload.replace(/\s+/g, ''));
      } catch (e) {
        throw new OtrpRequestInvalid('payload is not BASE64URL', { cause: e });
      }
      alg = readAlg(m.jws.protected);
    }
    const tbs = readTbs(m.name, payload, options.limits);
    if (options.decryptKey) await decryptMembers(tbs, options);
    const headerCertificates = readSignerChain(m.jws).map((der) => {
      try {
        return parseCertificate(der).subject;
      } catch {
        return '(not a certificate)';
      }
    });
    out.push({ message: m.name, signature, alg, headerCertificates, tbs });
  }
  return out;
}

function readAlg(protectedB64: string): string | undefined {
  try {
    const h = JSON.parse(new TextDecoder().decode(decodeBase64url(protectedB64.replace(/\s+/g, ''))).replace(/[\u201c\u201d]/g, '"')) as { alg?: unknown };
    return typeof h.alg === 'string' ? h.alg : undefined;
  } catch {
    return undefined;
  }
}

/** Decrypts `content` (SD/TA messages) and `edsi` (GetDeviceState) in place. */
async function decryptMembers(tbs: JsonObject, options: InspectOptions): Promise<void> {
  for (const member of ['content', 'edsi']) {
    if (!isObject(tbs[member])) continue;
    const r = await decryptJwe(parseJwe(tbs[member]), {
      key: options.decryptKey!,
      policy: options.policy ?? INSPECT_POLICY,
      ...(options.rawRsa ? { rawRsa: options.rawRsa } : {}),
    });
    tbs[member] = { decrypted: parseOtrpJson(r.plaintext, options.limits) };
  }
}
