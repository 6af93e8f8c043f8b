/**
 * PEM (RFC 7468) for certificates, CSRs, CRLs and keys. Private keys are PKCS#8 ("PRIVATE KEY",
 * RFC 5958), public keys SPKI ("PUBLIC KEY"). The algorithm of a key file is read from the file
 * itself, so key files need no side-car metadata.
 */
import { KeyMalformed, UnsupportedAlgorithm } from './errors.js';
import { PKI_KEY_ALGORITHM, exportSpki, importSpki } from './key-algorithms.js';
import type { PkiKeyAlgorithm } from './key-algorithms.js';
import { pkijs, x509 } from './x509-runtime.js';

export type PemLabel = 'CERTIFICATE' | 'CERTIFICATE REQUEST' | 'X509 CRL' | 'PRIVATE KEY' | 'PUBLIC KEY';

/** Encodes DER as one PEM block with 64-character lines. */
export function encodePem(der: Uint8Array, label: PemLabel): string {
  return `${x509.PemConverter.encode(der as Uint8Array<ArrayBuffer>, label)}\n`;
}

/**
 * Decodes every PEM block of `label` in `text`, in order. A text without any such block, or whose
 * base64 is broken, gives `[]`; callers turn that into their own typed error.
 */
export function decodePem(text: string, label: PemLabel): Uint8Array[] {
  try {
    return x509.PemConverter.decodeWithHeaders(text)
      .filter((b) => b.type === label)
      .map((b) => new Uint8Array(b.rawData));
  } catch {
    return [];
  }
}

/** PEM text or DER bytes to DER (the first block of `label` when PEM). Undefined if neither. */
export function toDer(input: Uint8Array | string, label: PemLabel): Uint8Array | undefined {
  if (typeof input !== 'string') {
    const text = looksLikePem(input) ? new TextDecoder().decode(input) : undefined;
    if (text === undefined) return input;
    input = text;
  }
  return decodePem(input, label)[0];
}

function looksLikePem(bytes: Uint8Array): boolean {
  const head = new TextDecoder().decode(bytes.subarray(0, 64));
  return head.trimStart().startsWith('-----BEGIN ');
}

/** PKCS#8 PEM of a private CryptoKey (which must be extractable). */
export async function exportPrivateKeyPem(key: CryptoKey): Promise<string> {
  try {
    return encodePem(new Uint8Array(await globalThis.crypto.subtle.exportKey('pkcs8', key)), 'PRIVATE KEY');
  } catch (e) {
    throw new KeyMalformed('private key cannot be exported as PKCS#8 (not extractable?)', { cause: e });
  }
}

/** SPKI PEM of a public CryptoKey. */
export async function exportPublicKeyPem(key: CryptoKey): Promise<string> {
  return encodePem(await exportSpki(key), 'PUBLIC KEY');
}

/**
 * Imports a PKCS#8 private key (PEM or DER); the algorithm comes from its privateKeyAlgorithm
 * (RFC 5958 §2), and for EC keys from the curve parameter. The key is extractable so the CLI can
 * rewrite it, and usable for the algorithm's private use (sign, or deriveBits for X25519).
 */
export async function importPrivateKey(input: Uint8Array | string): Promise<{ key: CryptoKey; algorithm: PkiKeyAlgorithm }> {
  const der = toDer(input, 'PRIVATE KEY');
  if (!der) throw new KeyMalformed('no PRIVATE KEY (PKCS#8) block found');
  let info: pkijs.PrivateKeyInfo;
  try {
    info = pkijs.PrivateKeyInfo.fromBER(der as Uint8Array<ArrayBuffer>);
  } catch (e) {
    throw new KeyMalformed('not a PKCS#8 private key', { cause: e });
  }
  const algorithm = privateKeyAlgorithm(info);
  const entry = PKI_KEY_ALGORITHM[algorithm];
  try {
    const key = await globalThis.crypto.subtle.importKey('pkcs8', der as Uint8Array<ArrayBuffer>, entry.importParams, true, [...entry.privateUsages] as KeyUsage[]);
    return { key, algorithm };
  } catch (e) {
    throw new KeyMalformed('private key does not import', { cause: e });
  }
}

function privateKeyAlgorithm(info: pkijs.PrivateKeyInfo): PkiKeyAlgorithm {
  const oid = info.privateKeyAlgorithm.algorithmId;
  const params = info.privateKeyAlgorithm.algorithmParams as { valueBlock?: { toString(): string } } | undefined;
  for (const [name, entry] of Object.entries(PKI_KEY_ALGORITHM) as [PkiKeyAlgorithm, (typeof PKI_KEY_ALGORITHM)[PkiKeyAlgorithm]][]) {
    if (entry.spkiOid !== oid) continue;
    if (entry.curveOid !== undefined && params?.valueBlock?.toString() !== entry.curveOid) continue;
    return name;
  }
  throw new UnsupportedAlgorithm(`unsupported private key algorithm ${oid}`);
}

/** Imports a public key given as SPKI (PEM or DER) or as a JWK. */
export async function importPublicKey(input: Uint8Array | string | JsonWebKey): Promise<{ key: CryptoKey; algorithm: PkiKeyAlgorithm; spki: Uint8Array }> {
  let spki: Uint8Array;
  if (typeof input === 'object' && !(input instanceof Uint8Array)) {
    spki = await spkiFromJwk(input);
  } else {
    const der = toDer(input, 'PUBLIC KEY');
    if (!der) throw new KeyMalformed('no PUBLIC KEY (SPKI) block found');
    spki = der;
  }
  const { key, algorithm } = await importSpki(spki);
  return { key, algorithm, spki };
}

async function spkiFromJwk(jwk: JsonWebKey): Promise<Uint8Array> {
  const params =
    jwk.kty === 'EC' && jwk.crv === 'P-256' ? PKI_KEY_ALGORITHM.ESP256.importParams
    : jwk.kty === 'OKP' && jwk.crv === 'Ed25519' ? PKI_KEY_ALGORITHM.Ed25519.importParams
    : jwk.kty === 'OKP' && jwk.crv === 'X25519' ? PKI_KEY_ALGORITHM.X25519.importParams
    : jwk.kty === 'RSA' ? PKI_KEY_ALGORITHM.RS256.importParams
    : undefined;
  if (!params) throw new UnsupportedAlgorithm(`unsupported JWK kty ${String(jwk.kty)} crv ${String(jwk.crv)}`);
  // Only the public members: a JWK anchor that also carries `d` must not import as a private key.
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, oth: _oth, key_ops: _ops, use: _use, alg: _alg, ...pub } = jwk;
  try {
    const usages = params.name === 'X25519' ? [] : ['verify'];
    const key = await globalThis.crypto.subtle.importKey('jwk', pub, params, true, usages as KeyUsage[]);
    return exportSpki(key);
  } catch (e) {
    throw new KeyMalformed('JWK does not import as a public key', { cause: e });
  }
}
