/**
 * Keys as the OTrP JOSE profile holds them: DER SubjectPublicKeyInfo for peers, DER PKCS#8 for our
 * own private keys, imported into WebCrypto per algorithm on use (a WebCrypto key is bound to one
 * algorithm; OTrP uses one key pair to sign and to decrypt, notes §15 A11). Certificates are the
 * pki layer's business: callers hand us the SPKI.
 */
import { JoseKeyUnsupported, JoseWeakKey } from './errors.js';
import type { JoseKeyType } from './algorithms.js';
import { decodeBase64url } from '../wire/base64url.js';

/** The smallest RSA modulus the profile accepts (§14.1: 112-bit strength, RSA-2048). */
export const MIN_RSA_BITS = 2048;

/** A peer public key (DER SPKI). */
export interface JosePublicKey {
  readonly spki: Uint8Array;
}

/** Our private key (DER PKCS#8) and its public half. */
export interface JosePrivateKey {
  readonly pkcs8: Uint8Array;
  readonly spki: Uint8Array;
}

export interface KeyDescription {
  type: JoseKeyType;
  /** RSA modulus length in bits (undefined for EC). */
  modulusBits: number | undefined;
}

const described = new WeakMap<Uint8Array, KeyDescription>();
const subtle = () => globalThis.crypto.subtle;

/** Finds the key type of a DER SPKI by importing it (RSA or EC P-256; anything else is refused). */
export async function describeSpki(spki: Uint8Array): Promise<KeyDescription> {
  const cached = described.get(spki);
  if (cached) return cached;
  let d: KeyDescription | undefined;
  try {
    const k = await subtle().importKey('spki', spki as Uint8Array<ArrayBuffer>, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, true, ['verify']);
    d = { type: 'RSA', modulusBits: (k.algorithm as RsaHashedKeyAlgorithm).modulusLength };
  } catch {
    try {
      await subtle().importKey('spki', spki as Uint8Array<ArrayBuffer>, { name: 'ECDSA', namedCurve: 'P-256' }, true, ['verify']);
      d = { type: 'EC-P256', modulusBits: undefined };
    } catch (e) {
      throw new JoseKeyUnsupported('public key is neither RSA nor EC P-256', { cause: e });
    }
  }
  described.set(spki, d);
  return d;
}

/** Refuses RSA keys under 2048 bits (the one exception is jws-draft-sample.ts). */
export function checkStrength(d: KeyDescription): void {
  if (d.type === 'RSA' && (d.modulusBits ?? 0) < MIN_RSA_BITS) {
    throw new JoseWeakKey(`RSA key of ${d.modulusBits} bits refused (minimum ${MIN_RSA_BITS})`);
  }
}

/** Imports a DER SPKI for one use; refuses key types that do not match `expected`. */
export async function importPublic(
  spki: Uint8Array,
  expected: JoseKeyType,
  params: RsaHashedImportParams | EcKeyImportParams,
  usages: KeyUsage[],
): Promise<CryptoKey> {
  const d = await describeSpki(spki);
  if (d.type !== expected) throw new JoseKeyUnsupported(`algorithm needs an ${expected} key, got ${d.type}`);
  checkStrength(d);
  // ECDH public keys carry no usages in WebCrypto.
  return subtle().importKey('spki', spki as Uint8Array<ArrayBuffer>, params, false, params.name === 'ECDH' ? [] : usages);
}

/** Imports a DER PKCS#8 private key for one use. */
export async function importPrivate(
  key: JosePrivateKey,
  expected: JoseKeyType,
  params: RsaHashedImportParams | EcKeyImportParams,
  usages: KeyUsage[],
): Promise<CryptoKey> {
  const d = await describeSpki(key.spki);
  if (d.type !== expected) throw new JoseKeyUnsupported(`algorithm needs an ${expected} key, got ${d.type}`);
  checkStrength(d);
  try {
    return await subtle().importKey('pkcs8', key.pkcs8 as Uint8Array<ArrayBuffer>, params, false, usages);
  } catch (e) {
    throw new JoseKeyUnsupported('private key cannot be imported for this algorithm', { cause: e });
  }
}

/** The RSA modulus n and exponent e of a DER SPKI, as big-endian bytes (for the raw RSA public op). */
export async function rsaPublicNumbers(spki: Uint8Array): Promise<{ n: Uint8Array; e: Uint8Array }> {
  const k = await subtle().importKey('spki', spki as Uint8Array<ArrayBuffer>, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, true, ['verify']);
  const jwk = await subtle().exportKey('jwk', k);
  return { n: decodeBase64url(jwk.n!), e: decodeBase64url(jwk.e!) };
}

/** Generates a key pair in the profile's formats (tests, simulated TEE SP AIKs, demos). */
export async function generateJoseKeyPair(type: JoseKeyType, modulusBits = MIN_RSA_BITS): Promise<JosePrivateKey> {
  const pair =
    type === 'RSA'
      ? await subtle().generateKey(
          { name: 'RSASSA-PKCS1-v1_5', modulusLength: modulusBits, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
          true,
          ['sign', 'verify'],
        )
      : await subtle().generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  return {
    pkcs8: new Uint8Array(await subtle().exportKey('pkcs8', pair.privateKey)),
    spki: new Uint8Array(await subtle().exportKey('spki', pair.publicKey)),
  };
}

/** A JosePrivateKey from DER PKCS#8 alone (RSA or EC P-256): the SPKI is derived through WebCrypto. */
export async function josePrivateKeyFromPkcs8(pkcs8: Uint8Array): Promise<JosePrivateKey> {
  const attempts: [RsaHashedImportParams | EcKeyImportParams, (jwk: JsonWebKey) => JsonWebKey][] = [
    [{ name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, (j) => ({ kty: 'RSA', n: j.n!, e: j.e! })],
    [{ name: 'ECDSA', namedCurve: 'P-256' }, (j) => ({ kty: 'EC', crv: 'P-256', x: j.x!, y: j.y! })],
  ];
  for (const [params, pub] of attempts) {
    let jwk: JsonWebKey;
    try {
      jwk = await subtle().exportKey('jwk', await subtle().importKey('pkcs8', pkcs8 as Uint8Array<ArrayBuffer>, params, true, ['sign']));
    } catch {
      continue;
    }
    const publicKey = await subtle().importKey('jwk', pub(jwk), params, true, ['verify']);
    return { pkcs8, spki: new Uint8Array(await subtle().exportKey('spki', publicKey)) };
  }
  throw new JoseKeyUnsupported('private key is neither RSA nor EC P-256 PKCS#8');
}
