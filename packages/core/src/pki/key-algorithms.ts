/**
 * The key algorithms of the PKI, in one table (STYLE "algorithms as a table"): code below this module
 * never switches on algorithm names or OIDs.
 *
 * - ESP256: ECDSA on P-256 with SHA-256 (the fully specified COSE name used by TEEP -26; ES256 keys use the same
 *   certificate). TEEP's mandatory suite, and OTrP's preferred ECC.
 * - Ed25519: RFC 8410 id-Ed25519, TEEP's second suite.
 * - X25519: RFC 8410 id-X25519, key agreement only (SUIT/COSE ECDH-ES). It cannot sign, so it never
 *   signs a CSR: its issuer certifies the public key directly.
 * - RS256: RSASSA-PKCS1-v1_5 with SHA-256, 2048-bit modulus or more (OTrP's mandatory algorithms).
 */
import { KeyMalformed, UnsupportedAlgorithm, WeakKey } from './errors.js';
import { pkijs } from './x509-runtime.js';

/** Smallest RSA modulus accepted anywhere in this layer (NIST SP 800-131A; OTrP -03 §4.4 Table 1). */
export const MIN_RSA_MODULUS_BITS = 2048;

const RSA_PUBLIC_EXPONENT = new Uint8Array([1, 0, 1]);

export const PKI_KEY_ALGORITHM = {
  ESP256: {
    spkiOid: '1.2.840.10045.2.1', // id-ecPublicKey (RFC 5480)
    curveOid: '1.2.840.10045.3.1.7', // secp256r1
    keyGen: { name: 'ECDSA', namedCurve: 'P-256' },
    importParams: { name: 'ECDSA', namedCurve: 'P-256' },
    signing: { name: 'ECDSA', hash: 'SHA-256' },
    privateUsages: ['sign'],
    publicUsages: ['verify'],
  },
  Ed25519: {
    spkiOid: '1.3.101.112',
    curveOid: undefined,
    keyGen: { name: 'Ed25519' },
    importParams: { name: 'Ed25519' },
    signing: { name: 'Ed25519' },
    privateUsages: ['sign'],
    publicUsages: ['verify'],
  },
  X25519: {
    spkiOid: '1.3.101.110',
    curveOid: undefined,
    keyGen: { name: 'X25519' },
    importParams: { name: 'X25519' },
    signing: undefined,
    privateUsages: ['deriveBits'],
    publicUsages: [],
  },
  RS256: {
    spkiOid: '1.2.840.113549.1.1.1', // rsaEncryption (RFC 8017)
    curveOid: undefined,
    keyGen: { name: 'RSASSA-PKCS1-v1_5', modulusLength: MIN_RSA_MODULUS_BITS, publicExponent: RSA_PUBLIC_EXPONENT, hash: 'SHA-256' },
    importParams: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    signing: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    privateUsages: ['sign'],
    publicUsages: ['verify'],
  },
} as const;

export type PkiKeyAlgorithm = keyof typeof PKI_KEY_ALGORITHM;
/** Algorithms whose keys can sign certificates, CSRs and CRLs. */
export type PkiSigningAlgorithm = Exclude<PkiKeyAlgorithm, 'X25519'>;

export function isPkiKeyAlgorithm(name: string): name is PkiKeyAlgorithm {
  return Object.hasOwn(PKI_KEY_ALGORITHM, name);
}

export function isSigningAlgorithm(alg: PkiKeyAlgorithm): alg is PkiSigningAlgorithm {
  return PKI_KEY_ALGORITHM[alg].signing !== undefined;
}

/** WebCrypto parameters for signing with a key of `alg`. */
export function signingParams(alg: PkiKeyAlgorithm): { name: string; hash?: string } {
  const s = PKI_KEY_ALGORITHM[alg].signing;
  if (!s) throw new UnsupportedAlgorithm(`${alg} keys cannot sign`);
  return { ...s };
}

/**
 * Generates an extractable key pair of `alg` (RSA: `modulusLength` bits, 2048 by default; less is
 * refused with ERR_PKI_WEAK_KEY).
 */
export async function generateKeyPair(alg: PkiKeyAlgorithm, options: { modulusLength?: number } = {}): Promise<CryptoKeyPair> {
  const entry = PKI_KEY_ALGORITHM[alg];
  const params: Record<string, unknown> = { ...entry.keyGen };
  if (alg === 'RS256') {
    const bits = options.modulusLength ?? MIN_RSA_MODULUS_BITS;
    if (bits < MIN_RSA_MODULUS_BITS) throw new WeakKey(`RSA keys need at least ${MIN_RSA_MODULUS_BITS} bits, got ${bits}`);
    params['modulusLength'] = bits;
  }
  const usages = [...entry.privateUsages, ...entry.publicUsages] as KeyUsage[];
  return (await globalThis.crypto.subtle.generateKey(params as unknown as AlgorithmIdentifier, true, usages)) as CryptoKeyPair;
}

/** What a SubjectPublicKeyInfo holds: the algorithm, and the RSA modulus size where it applies. */
export interface SpkiInfo {
  algorithm: PkiKeyAlgorithm;
  /** RSA modulus length in bits; undefined for other algorithms. */
  modulusBits: number | undefined;
}

/**
 * Reads the algorithm of a DER SubjectPublicKeyInfo (RFC 5280 §4.1.2.7). Refuses curves and
 * algorithms outside the table (ERR_PKI_UNSUPPORTED_ALGORITHM) and RSA under 2048 bits (ERR_PKI_WEAK_KEY).
 */
export function spkiInfo(spki: Uint8Array): SpkiInfo {
  let info: pkijs.PublicKeyInfo;
  try {
    info = pkijs.PublicKeyInfo.fromBER(spki as Uint8Array<ArrayBuffer>);
  } catch (e) {
    throw new KeyMalformed('not a DER SubjectPublicKeyInfo', { cause: e });
  }
  return describeKeyInfo(info);
}

/** Shared by SPKI and certificate parsing: algorithm OID (+ curve) to the table entry, RSA size check. */
export function describeKeyInfo(info: pkijs.PublicKeyInfo): SpkiInfo {
  const oid = info.algorithm.algorithmId;
  const params = info.algorithm.algorithmParams as { valueBlock?: { toString(): string } } | undefined;
  for (const [name, entry] of Object.entries(PKI_KEY_ALGORITHM) as [PkiKeyAlgorithm, (typeof PKI_KEY_ALGORITHM)[PkiKeyAlgorithm]][]) {
    if (entry.spkiOid !== oid) continue;
    if (entry.curveOid !== undefined && params?.valueBlock?.toString() !== entry.curveOid) continue;
    if (name !== 'RS256') return { algorithm: name, modulusBits: undefined };
    const bits = rsaModulusBits(info);
    if (bits < MIN_RSA_MODULUS_BITS) throw new WeakKey(`RSA key of ${bits} bits is under the ${MIN_RSA_MODULUS_BITS}-bit minimum`);
    return { algorithm: name, modulusBits: bits };
  }
  throw new UnsupportedAlgorithm(`unsupported public key algorithm ${oid}`);
}

function rsaModulusBits(info: pkijs.PublicKeyInfo): number {
  let modulus: Uint8Array;
  try {
    const key = pkijs.RSAPublicKey.fromBER(info.subjectPublicKey.valueBlock.valueHexView as Uint8Array<ArrayBuffer>);
    modulus = key.modulus.valueBlock.valueHexView;
  } catch (e) {
    throw new KeyMalformed('malformed RSA public key', { cause: e });
  }
  let i = 0;
  while (i < modulus.length && modulus[i] === 0) i++;
  if (i === modulus.length) return 0;
  return (modulus.length - i - 1) * 8 + (32 - Math.clz32(modulus[i]!));
}

/** The table entry of a WebCrypto key (refuses other algorithms/curves and RSA under 2048 bits). */
export function keyAlgorithmOf(key: CryptoKey): PkiKeyAlgorithm {
  const a = key.algorithm as { name: string; namedCurve?: string; modulusLength?: number; hash?: { name: string } };
  if (a.name === 'ECDSA' && a.namedCurve === 'P-256') return 'ESP256';
  if (a.name === 'Ed25519') return 'Ed25519';
  if (a.name === 'X25519') return 'X25519';
  if (a.name === 'RSASSA-PKCS1-v1_5' || a.name === 'RSA-PSS' || a.name === 'RSA-OAEP') {
    if ((a.modulusLength ?? 0) < MIN_RSA_MODULUS_BITS) throw new WeakKey(`RSA key of ${a.modulusLength} bits is under the ${MIN_RSA_MODULUS_BITS}-bit minimum`);
    return 'RS256';
  }
  throw new UnsupportedAlgorithm(`unsupported key algorithm ${a.name}${a.namedCurve ? ` ${a.namedCurve}` : ''}`);
}

/** Imports a DER SPKI as a public CryptoKey for the default use of its algorithm (verify; X25519: deriveBits peer). */
export async function importSpki(spki: Uint8Array): Promise<{ key: CryptoKey; algorithm: PkiKeyAlgorithm }> {
  const { algorithm } = spkiInfo(spki);
  const entry = PKI_KEY_ALGORITHM[algorithm];
  try {
    const key = await globalThis.crypto.subtle.importKey('spki', spki as Uint8Array<ArrayBuffer>, entry.importParams, true, [...entry.publicUsages] as KeyUsage[]);
    return { key, algorithm };
  } catch (e) {
    throw new KeyMalformed('public key does not import', { cause: e });
  }
}

/** DER SPKI of a public CryptoKey. */
export async function exportSpki(key: CryptoKey): Promise<Uint8Array> {
  try {
    return new Uint8Array(await globalThis.crypto.subtle.exportKey('spki', key));
  } catch (e) {
    throw new KeyMalformed('public key cannot be exported as SPKI', { cause: e });
  }
}
