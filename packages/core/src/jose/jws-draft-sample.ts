/**
 * COMPATIBILITY PATH — verifies ONLY the draft's own signed samples (Appendix A of
 * draft-ietf-teep-opentrustprotocol-03). Nothing else may use it.
 *
 * The samples are RS256 signatures by an RSA-1024 self-signed test certificate (O=Internet Widgits
 * Pty Ltd, valid 2015-07-02..2020-06-30). The normal path (jws.ts) refuses them three times over:
 * the key has 1024 bits, the certificate expired in 2020, and two samples' protected header is
 * `{“alg”:“RS256”}` with typographic quotes, which is no JSON. So this path:
 *   - accepts exactly one key: the draft certificate's, pinned by the SHA-256 of its SPKI;
 *   - skips certificate validity (it has no certificate: the caller gives the SPKI);
 *   - reads `alg` from the protected header after mapping typographic quotes to ASCII, and only
 *     accepts RS256;
 *   - strips the whitespace the draft's line wrapping left (one sample has " eyJ..." as protected);
 *   - verifies RSASSA-PKCS1-v1_5/SHA-256 over the raw signing input ASCII(protected) '.' payload,
 *     exactly as RFC 7515 §5.2 defines it, through WebCrypto.
 */
import { JoseAlgorithmRefused, JoseMalformed, JoseWeakKey, JwsSignatureInvalid } from './errors.js';
import { decodeBase64url } from './base64.js';
import { toHex } from '../wire/hex.js';
import type { FlattenedJws } from './jws.js';

/** SHA-256 of the DER SPKI of the draft's RSA-1024 test certificate (vectors/otrp/README.md). */
export const DRAFT_SAMPLE_SPKI_SHA256 = '770fa45382ed5ba4d4ba6f253700a49f281b9e356d94983871a88faa3e5d3d01';

const subtle = () => globalThis.crypto.subtle;

/** True when `spki` is the draft's sample key (the only key this path accepts). */
export async function isDraftSampleKey(spki: Uint8Array): Promise<boolean> {
  return toHex(new Uint8Array(await subtle().digest('SHA-256', spki as Uint8Array<ArrayBuffer>))) === DRAFT_SAMPLE_SPKI_SHA256;
}

/** Verifies one of the draft's Appendix A samples; returns the payload bytes. */
export async function verifyDraftSampleJws(jws: FlattenedJws, spki: Uint8Array): Promise<{ alg: 'RS256'; payload: Uint8Array }> {
  if (!(await isDraftSampleKey(spki))) {
    throw new JoseWeakKey('the draft-sample compatibility path accepts only the draft-ietf-teep-opentrustprotocol-03 test key');
  }
  const strip = (s: string) => s.replace(/\s+/g, '');
  const protectedB64 = strip(jws.protected);
  const payloadB64 = strip(jws.payload);
  let header: string;
  let payload: Uint8Array;
  let signature: Uint8Array;
  try {
    header = new TextDecoder().decode(decodeBase64url(protectedB64)).replace(/[\u201c\u201d]/g, '"');
    payload = decodeBase64url(payloadB64);
    signature = decodeBase64url(strip(jws.signature));
  } catch (e) {
    throw new JoseMalformed('draft sample: not BASE64URL', { cause: e });
  }
  let alg: unknown;
  try {
    alg = (JSON.parse(header) as { alg?: unknown }).alg;
  } catch (e) {
    throw new JoseMalformed('draft sample: protected header is not JSON', { cause: e });
  }
  if (alg !== 'RS256') throw new JoseAlgorithmRefused(`draft sample: alg ${String(alg)} (only RS256)`);
  const key = await subtle().importKey('spki', spki as Uint8Array<ArrayBuffer>, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['verify']);
  const input = new TextEncoder().encode(`${protectedB64}.${payloadB64}`);
  const ok = await subtle().verify('RSASSA-PKCS1-v1_5', key, signature as Uint8Array<ArrayBuffer>, input);
  if (!ok) throw new JwsSignatureInvalid();
  return { alg: 'RS256', payload };
}
