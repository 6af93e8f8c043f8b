/**
 * Trusted Firmware evidence (draft-ietf-teep-opentrustprotocol-03 §9.1.3, §9.1.7 step 5):
 *
 *   TfwData: { "tbs": "<TFW to be signed data, BASE64 encoded>", "cert": "<BASE64 encoded TFW certificate>",
 *              "sigalg": "Signing method", "sig": "<TFW signed data, BASE64 encoded>" }
 *
 * The TFW signs the raw UTF-8 `tid` of the GetDeviceStateTBSRequest (not JSON, not JWS). `sigalg`
 * is a JWS alg name, RS256 or ES256 (notes §15 A19: a BASE64 "UlMyNTY=" is accepted too); ES256
 * signatures are JWS-style r||s. The TAM checks tbs == tid and the signature; whether it trusts the
 * TFW certificate is its policy (TfwPolicy).
 */
import { OtrpTfwNotTrusted } from './errors.js';
import type { TfwData } from './dsi.js';
import { JWS_ALGORITHMS, isJwsAlgorithm } from '../jose/algorithms.js';
import { describeSpki, importPrivate, importPublic, type JosePrivateKey } from '../jose/keys.js';
import type { TfwSigner } from './ports.js';
import { decodeBase64Lenient } from '../jose/base64.js';
import { parseCertificate } from '../pki/certificate-info.js';

/** The TAM's TFW policy: `required` refuses devices without TFW data; `trust` decides on the TFW certificate. */
export interface TfwPolicy {
  required: boolean;
  trust(certificate: Uint8Array): Promise<void>;
}

/** Checks `tfw` against the request `tid` and the policy; throws OtrpTfwNotTrusted. */
export async function verifyTfwData(tfw: TfwData | undefined, tid: string, policy: TfwPolicy): Promise<'verified' | 'absent'> {
  if (!tfw) {
    if (policy.required) throw new OtrpTfwNotTrusted('the device sent no TFW data');
    return 'absent';
  }
  try {
    const tbs = decodeBase64Lenient(tfw.tbs);
    if (new TextDecoder().decode(tbs) !== tid) throw new OtrpTfwNotTrusted('TFW data does not sign this request tid');
    let alg = tfw.sigalg;
    if (!isJwsAlgorithm(alg)) alg = new TextDecoder().decode(decodeBase64Lenient(alg));
    if (!isJwsAlgorithm(alg) || alg === 'PS256') throw new OtrpTfwNotTrusted(`TFW sigalg ${tfw.sigalg} is not supported`);
    const cert = decodeBase64Lenient(tfw.cert);
    const entry = JWS_ALGORITHMS[alg];
    const key = await importPublic(parseCertificate(cert).spki, entry.keyType, entry.importParams, ['verify']);
    const params = alg === 'ES256' ? { name: 'ECDSA', hash: 'SHA-256' } : { name: 'RSASSA-PKCS1-v1_5' };
    const ok = await globalThis.crypto.subtle.verify(params, key, decodeBase64Lenient(tfw.sig), tbs as Uint8Array<ArrayBuffer>);
    if (!ok) throw new OtrpTfwNotTrusted('TFW signature does not verify');
    await policy.trust(cert);
    return 'verified';
  } catch (e) {
    if (e instanceof OtrpTfwNotTrusted) throw e;
    throw new OtrpTfwNotTrusted('TFW data is not trusted', { cause: e });
  }
}

/** A TfwSigner (ports.ts) over a key and its certificate: for the simulated TEE's firmware evidence. */
export function createTfwSigner(key: JosePrivateKey, certificate: Uint8Array): TfwSigner {
  return {
    async sign(tbs) {
      const d = await describeSpki(key.spki);
      const alg = d.type === 'RSA' ? 'RS256' : 'ES256';
      const entry = JWS_ALGORITHMS[alg];
      const k = await importPrivate(key, entry.keyType, entry.importParams, ['sign']);
      const params = alg === 'ES256' ? { name: 'ECDSA', hash: 'SHA-256' } : { name: 'RSASSA-PKCS1-v1_5' };
      return { cert: certificate, sigalg: alg, sig: new Uint8Array(await globalThis.crypto.subtle.sign(params, k, tbs as Uint8Array<ArrayBuffer>)) };
    },
  };
}
