/**
 * The one key-file loader every command that takes a key uses: detects the format from the content
 * and returns a typed key.
 *
 * | content                                   | read as                                         |
 * |-------------------------------------------|-------------------------------------------------|
 * | `-----BEGIN ...` text                     | PEM: PRIVATE KEY (PKCS#8), EC PRIVATE KEY (SEC1),|
 * |                                           | PUBLIC KEY (SPKI), CERTIFICATE (chain, leaf first)|
 * | `{...}` JSON text                         | JWK, or a JWK Set holding exactly one key        |
 * | hex text                                  | CBOR COSE_Key (or a COSE_KeySet of one)          |
 * | other text                                | COSE_Key in diagnostic notation (EDN)            |
 * | binary starting with 0x30 (SEQUENCE)      | DER certificate, SPKI or PKCS#8                  |
 * | other binary                              | CBOR COSE_Key (or a COSE_KeySet of one)          |
 */
import { decodeCbor } from '../wire/cbor.js';
import { parseDiagnostic } from '../wire/edn.js';
import type { CborValue } from '../wire/cbor-value.js';
import { COSE_ALG } from './algorithms.js';
import { coseKeyFromMap, publicCoseKey, type CoseKey } from './key.js';
import { coseKeyFromJwk } from './key-jwk.js';
import { coseKeyFromCertificate, coseKeyFromPkcs8, coseKeyFromSpki, parsePem } from './key-pem.js';
import { bytesEqual, concatBytes, fromHex } from './bytes.js';
import { DER_TAG, derChildren, readDer, readDerExact } from './der.js';
import { CoseKeyInvalid, CoseKeyMismatch } from './errors.js';
import { isOtrpError } from '../errors.js';

export type KeyFileFormat = 'pem' | 'der' | 'jwk' | 'cose-key';

export interface KeyFile {
  format: KeyFileFormat;
  /** 'private' (has d), 'public', or 'symmetric' (has k). */
  kind: 'private' | 'public' | 'symmetric';
  /** The key: private when the file holds one, else public or symmetric. */
  key: CoseKey;
  /** The public part of an asymmetric key. */
  publicKey?: CoseKey;
  /** DER certificates in file order (leaf first, as in x5chain), when the file holds any. */
  certificates?: Uint8Array[];
  /** COSE algorithm id the file names (COSE_Key alg, JWK alg), if any. */
  alg?: number;
}

function result(format: KeyFileFormat, key: CoseKey, extra: Partial<KeyFile> = {}): KeyFile {
  const kind = key.kty === 'Symmetric' ? 'symmetric' : key.d ? 'private' : 'public';
  return {
    format,
    kind,
    key,
    ...(kind !== 'symmetric' && { publicKey: publicCoseKey(key) }),
    ...(key.alg !== undefined && { alg: key.alg }),
    ...extra,
  };
}

/** SEC1 ECPrivateKey (RFC 5915) -> PKCS#8, so WebCrypto can read it. */
function sec1ToPkcs8(der: Uint8Array): Uint8Array {
  const fields = derChildren(readDerExact(der));
  const params = fields.find((f) => f.tag === 0xa0);
  const curveOid = params && derChildren(params)[0];
  if (!curveOid || curveOid.tag !== DER_TAG.OID) throw new CoseKeyInvalid('EC PRIVATE KEY without curve parameters');
  const tlv = (tag: number, ...parts: Uint8Array[]) => {
    const body = concatBytes(...parts);
    const n = body.length;
    const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
    return concatBytes(new Uint8Array([tag, ...len]), body);
  };
  const ecPublicKey = fromHex('06072a8648ce3d0201')!;
  return tlv(DER_TAG.SEQUENCE, fromHex('020100')!, tlv(DER_TAG.SEQUENCE, ecPublicKey, curveOid.der), tlv(DER_TAG.OCTET_STRING, der));
}

async function fromPem(text: string): Promise<KeyFile> {
  const blocks = parsePem(text);
  if (blocks.length === 0) throw new CoseKeyInvalid('no PEM block found');
  const certificates = blocks.filter((b) => b.label === 'CERTIFICATE' || b.label === 'X509 CERTIFICATE').map((b) => b.der);
  let key: CoseKey | undefined;
  for (const b of blocks) {
    if (b.label === 'PRIVATE KEY') key ??= await coseKeyFromPkcs8(b.der);
    else if (b.label === 'EC PRIVATE KEY') key ??= await coseKeyFromPkcs8(sec1ToPkcs8(b.der));
    else if (b.label === 'PUBLIC KEY' && !key) key = coseKeyFromSpki(b.der);
  }
  const leafKey = certificates.length ? coseKeyFromCertificate(certificates[0]!) : undefined;
  if (key && leafKey && !bytesEqual(key.x!, leafKey.x!)) throw new CoseKeyMismatch('the key does not belong to the first certificate');
  key ??= leafKey;
  if (!key) throw new CoseKeyInvalid('no key or certificate PEM block found');
  return result('pem', key, certificates.length ? { certificates } : {});
}

function fromJson(json: unknown): KeyFile {
  if (json && typeof json === 'object' && Array.isArray((json as { keys?: unknown }).keys)) {
    const keys = (json as { keys: unknown[] }).keys;
    if (keys.length !== 1) throw new CoseKeyInvalid('a JWK Set must hold exactly one key here');
    json = keys[0];
  }
  const key = coseKeyFromJwk(json);
  const name = (json as { alg?: unknown }).alg;
  const alg = typeof name === 'string' && Object.hasOwn(COSE_ALG, name) ? COSE_ALG[name as keyof typeof COSE_ALG] : undefined;
  return result('jwk', key, alg !== undefined ? { alg } : {});
}

function fromCbor(bytes: Uint8Array): KeyFile {
  let v;
  try {
    v = decodeCbor(bytes);
  } catch (e) {
    throw new CoseKeyInvalid('key file is neither PEM, JWK nor a COSE_Key (CBOR, hex or EDN)', { cause: e });
  }
  return fromCborValue(v);
}

function fromCborValue(v: CborValue): KeyFile {
  if (Array.isArray(v)) {
    if (v.length !== 1) throw new CoseKeyInvalid('a COSE_KeySet must hold exactly one key here');
    v = v[0]!;
  }
  return result('cose-key', coseKeyFromMap(v));
}

async function fromDer(bytes: Uint8Array): Promise<KeyFile> {
  const top = derChildren(readDerExact(bytes));
  // Certificate: SEQUENCE { tbs SEQUENCE, sigAlg SEQUENCE, BIT STRING }; PKCS#8 starts with INTEGER.
  if (top[0]?.tag === DER_TAG.INTEGER) return result('der', await coseKeyFromPkcs8(bytes));
  if (top.length === 3 && top[2]?.tag === DER_TAG.BIT_STRING) return result('der', coseKeyFromCertificate(bytes), { certificates: [bytes] });
  return result('der', coseKeyFromSpki(bytes));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined; // maybe EDN, which also starts with '{'
  }
}

/** A COSE_Key written in diagnostic notation (RFC 8610 Appendix G), as the drafts print keys. */
function parseEdn(text: string): CborValue | undefined {
  try {
    return parseDiagnostic(text);
  } catch {
    return undefined;
  }
}

function utf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** Reads a key file (format detected from the content; see the table above). */
export async function parseKeyFile(bytes: Uint8Array): Promise<KeyFile> {
  try {
    const text = utf8(bytes)?.trim();
    if (text?.includes('-----BEGIN ')) return await fromPem(text);
    const json = text?.startsWith('{') ? parseJson(text) : undefined;
    if (json !== undefined) return fromJson(json);
    const hex = text !== undefined && text.length > 0 ? fromHex(text) : undefined;
    if (hex) return fromCbor(hex);
    const edn = text !== undefined && text.length > 0 ? parseEdn(text) : undefined;
    if (edn !== undefined) return fromCborValue(edn);
    if (bytes[0] === DER_TAG.SEQUENCE && readDer(bytes).next === bytes.length) return await fromDer(bytes);
    return fromCbor(bytes);
  } catch (e) {
    if (isOtrpError(e)) throw e;
    throw new CoseKeyInvalid('unreadable key file', { cause: e });
  }
}
