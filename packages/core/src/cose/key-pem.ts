/**
 * COSE keys <-> PEM/DER: SubjectPublicKeyInfo (RFC 5280 §4.1.2.7, RFC 5480, RFC 8410), PKCS#8
 * PrivateKeyInfo (RFC 5208 / RFC 5958) and X.509 certificates (their SPKI). SPKI is read and written
 * by hand (fixed layouts per curve); PKCS#8 goes through WebCrypto, which computes the public part
 * that PKCS#8 files often leave out.
 *
 * ```asn1
 * SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }
 * Certificate ::= SEQUENCE { tbsCertificate TBSCertificate, signatureAlgorithm, signatureValue }
 * TBSCertificate ::= SEQUENCE { version [0] EXPLICIT Version DEFAULT v1, serialNumber, signature,
 *                               issuer, validity, subject, subjectPublicKeyInfo, ... }
 * ```
 */
import type { CoseCurve } from './algorithms.js';
import { CURVE_SIZE, checkCoseKey, type CoseKey } from './key.js';
import { coseKeyFromJwk, coseKeyToJwk } from './key-jwk.js';
import { DER_TAG, derChildren, oidToString, readDerExact } from './der.js';
import { concatBytes, fromHex, toBuffer } from './bytes.js';
import { CoseKeyInvalid } from './errors.js';
import { guardAsync } from './guard.js';

const OID = {
  ecPublicKey: '1.2.840.10045.2.1',
  'P-256': '1.2.840.10045.3.1.7',
  'P-384': '1.3.132.0.34',
  Ed25519: '1.3.101.112',
  X25519: '1.3.101.110',
} as const;

/** DER prefixes of SubjectPublicKeyInfo up to the key bits (RFC 5480 §2, RFC 8410 §4). */
const SPKI_PREFIX: Record<CoseCurve, Uint8Array> = {
  'P-256': fromHex('3059301306072a8648ce3d020106082a8648ce3d030107034200')!,
  'P-384': fromHex('3076301006072a8648ce3d020106052b81040022036200')!,
  Ed25519: fromHex('302a300506032b6570032100')!,
  X25519: fromHex('302a300506032b656e032100')!,
};

/** One PEM block. */
export interface PemBlock {
  label: string;
  der: Uint8Array;
}

/** All `-----BEGIN X-----` blocks of a text, in order (RFC 7468). */
export function parsePem(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  const re = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
  for (const m of text.matchAll(re)) {
    const body = m[2]!.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body) || body.length % 4 !== 0) throw new CoseKeyInvalid(`PEM block ${m[1]} is not base64`);
    out.push({ label: m[1]!, der: Uint8Array.from(atob(body), (c) => c.charCodeAt(0)) });
  }
  return out;
}

/** PEM text of one DER block, 64 columns (RFC 7468 §2). */
export function formatPem(label: string, der: Uint8Array): string {
  const b64 = btoa(String.fromCharCode(...der));
  return `-----BEGIN ${label}-----\n${b64.replace(/.{1,64}/g, '$&\n')}-----END ${label}-----\n`;
}

function curveOfAlgorithm(algId: Uint8Array): CoseCurve {
  const [oid, params] = derChildren(readDerExact(algId));
  if (oid?.tag !== DER_TAG.OID) throw new CoseKeyInvalid('malformed AlgorithmIdentifier');
  const alg = oidToString(oid.value);
  if (alg === OID.Ed25519) return 'Ed25519';
  if (alg === OID.X25519) return 'X25519';
  if (alg === OID.ecPublicKey && params?.tag === DER_TAG.OID) {
    const c = oidToString(params.value);
    if (c === OID['P-256']) return 'P-256';
    if (c === OID['P-384']) return 'P-384';
  }
  throw new CoseKeyInvalid('unsupported key algorithm or curve');
}

/** The public COSE key of a DER SubjectPublicKeyInfo. */
export function coseKeyFromSpki(der: Uint8Array): CoseKey {
  const [algId, bits] = derChildren(readDerExact(der));
  if (!algId || bits?.tag !== DER_TAG.BIT_STRING || bits.value[0] !== 0) throw new CoseKeyInvalid('malformed SubjectPublicKeyInfo');
  const crv = curveOfAlgorithm(algId.der);
  const key = bits.value.subarray(1);
  const n = CURVE_SIZE[crv];
  if (crv === 'P-256' || crv === 'P-384') {
    if (key.length !== 1 + 2 * n || key[0] !== 0x04) throw new CoseKeyInvalid('EC public key must be an uncompressed point');
    return checkCoseKey({ kty: 'EC2', crv, x: key.slice(1, 1 + n), y: key.slice(1 + n) });
  }
  return checkCoseKey({ kty: 'OKP', crv, x: key.slice() });
}

/** The DER SubjectPublicKeyInfo of a (public or private) asymmetric COSE key. */
export function coseKeyToSpki(key: CoseKey): Uint8Array {
  checkCoseKey(key);
  if (key.kty === 'Symmetric') throw new CoseKeyInvalid('symmetric keys have no SubjectPublicKeyInfo');
  const point = key.kty === 'EC2' ? concatBytes(new Uint8Array([4]), key.x!, key.y!) : key.x!;
  return concatBytes(SPKI_PREFIX[key.crv!], point);
}

/** The SubjectPublicKeyInfo DER inside a DER X.509 certificate. */
export function spkiFromCertificate(der: Uint8Array): Uint8Array {
  const [tbs] = derChildren(readDerExact(der));
  if (tbs?.tag !== DER_TAG.SEQUENCE) throw new CoseKeyInvalid('malformed certificate');
  const fields = derChildren(tbs);
  const start = fields[0]?.tag === 0xa0 ? 1 : 0; // [0] EXPLICIT version
  const spki = fields[start + 5];
  if (spki?.tag !== DER_TAG.SEQUENCE) throw new CoseKeyInvalid('malformed certificate');
  return spki.der;
}

/** The public COSE key of a DER X.509 certificate. */
export function coseKeyFromCertificate(der: Uint8Array): CoseKey {
  return coseKeyFromSpki(spkiFromCertificate(der));
}

function webCryptoParams(crv: CoseCurve): EcKeyImportParams | Algorithm {
  return crv === 'P-256' || crv === 'P-384' ? { name: 'ECDH', namedCurve: crv } : { name: crv };
}

/** Usages valid for a private key of the curve (the import is only there to convert). */
function privateUsages(crv: CoseCurve): KeyUsage[] {
  return crv === 'Ed25519' ? ['sign'] : ['deriveBits'];
}

/** The private COSE key (with its public part) of a DER PKCS#8 PrivateKeyInfo. */
export async function coseKeyFromPkcs8(der: Uint8Array, subtle: SubtleCrypto = globalThis.crypto.subtle): Promise<CoseKey> {
  const [version, algId] = derChildren(readDerExact(der));
  if (version?.tag !== DER_TAG.INTEGER || !algId) throw new CoseKeyInvalid('malformed PKCS#8 PrivateKeyInfo');
  const crv = curveOfAlgorithm(algId.der);
  return guardAsync(
    async () => coseKeyFromJwk(await subtle.exportKey('jwk', await subtle.importKey('pkcs8', toBuffer(der), webCryptoParams(crv), true, privateUsages(crv)))),
    (e) => new CoseKeyInvalid('PKCS#8 key rejected', { cause: e }),
  );
}

/** The DER PKCS#8 PrivateKeyInfo of a private asymmetric COSE key. */
export async function coseKeyToPkcs8(key: CoseKey, subtle: SubtleCrypto = globalThis.crypto.subtle): Promise<Uint8Array> {
  checkCoseKey(key);
  if (key.kty === 'Symmetric' || !key.d) throw new CoseKeyInvalid('PKCS#8 needs a private asymmetric key');
  return guardAsync(
    async () => {
      const k = await subtle.importKey('jwk', coseKeyToJwk(key) as JsonWebKey, webCryptoParams(key.crv!), true, privateUsages(key.crv!));
      return new Uint8Array(await subtle.exportKey('pkcs8', k));
    },
    (e) => new CoseKeyInvalid('key rejected', { cause: e }),
  );
}

/** PEM of a COSE key: "PRIVATE KEY" (PKCS#8) when it has `d` and `private` is not false, else "PUBLIC KEY" (SPKI). */
export async function coseKeyToPem(key: CoseKey, options: { private?: boolean } = {}): Promise<string> {
  return key.d && options.private !== false ? formatPem('PRIVATE KEY', await coseKeyToPkcs8(key)) : formatPem('PUBLIC KEY', coseKeyToSpki(key));
}
