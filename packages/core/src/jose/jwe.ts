/**
 * JWE for OTrP encrypted members (`content`, `edsi`), in the general JSON serialization with one
 * recipient, as draft-ietf-teep-opentrustprotocol-03 §7.5 shows it:
 *
 *   { "protected": "<BASE64URL of {\"enc\":\"A128CBC-HS256\"}>",
 *     "recipients": [ { "header": { "alg": "RSA1_5" }, "encrypted_key": "<BASE64URL>" } ],
 *     "iv": "<BASE64URL>", "ciphertext": "<BASE64URL>", "tag": "<BASE64URL>" }
 *
 * `enc` is integrity protected, `alg` sits in the per-recipient header, no AAD ("each message is
 * always signed after the message is encrypted", §7.5). The flattened form is accepted on input.
 *
 * ECDH-ES+A128KW and RSA-OAEP-256 are panva/jose's. RSA1_5 (which jose lacks) wraps the CEK here
 * (rsa1-5.ts, implicit rejection) and hands the content to jose as `dir` with that CEK: the AAD is
 * only the protected header, which does not change, so the result is an ordinary RSA1_5 JWE.
 */
import { FlattenedEncrypt, flattenedDecrypt } from 'jose';
import {
  JWE_CONTENT_ALGORITHMS,
  JWE_KEY_ALGORITHMS,
  DEFAULT_JOSE_POLICY,
  isJweContentAlgorithm,
  isJweKeyAlgorithm,
  type JweContentAlgorithm,
  type JweKeyAlgorithm,
  type JosePolicy,
} from './algorithms.js';
import { JoseAlgorithmRefused, JoseError, JoseKeyUnsupported, JoseMalformed, JweDecryptionFailed } from './errors.js';
import { describeSpki, checkStrength, importPrivate, importPublic, type JosePrivateKey } from './keys.js';
import { decodeBase64url, encodeBase64url } from './base64.js';
import { decodeJsonHeader, isObject, optionalObject, requireString, type JsonObject } from './json-object.js';
import { unwrapRsa15, wrapRsa15 } from './rsa1-5.js';
import type { RawRsa } from './raw-rsa.js';

/** A JWE in the general JSON serialization with exactly one recipient (the OTrP shape). */
export interface OtrpJwe {
  protected: string;
  unprotected?: JsonObject;
  recipients: [{ header: JsonObject; encrypted_key?: string }];
  iv: string;
  ciphertext: string;
  tag: string;
}

export interface EncryptJweOptions {
  /** The recipient's DER SubjectPublicKeyInfo. */
  recipient: Uint8Array;
  alg: JweKeyAlgorithm;
  enc?: JweContentAlgorithm;
}

/** Encrypts `plaintext` to one recipient; `enc` defaults to the draft's A128CBC-HS256. */
export async function encryptJwe(plaintext: Uint8Array, options: EncryptJweOptions): Promise<OtrpJwe> {
  const enc = options.enc ?? 'A128CBC-HS256';
  const entry = JWE_KEY_ALGORITHMS[options.alg];
  let flat;
  if (options.alg === 'RSA1_5') {
    const d = await describeSpki(options.recipient);
    if (d.type !== 'RSA') throw new JoseKeyUnsupported('RSA1_5 needs an RSA key');
    checkStrength(d);
    const cek = globalThis.crypto.getRandomValues(new Uint8Array(JWE_CONTENT_ALGORITHMS[enc].cekBytes));
    flat = await new FlattenedEncrypt(plaintext).setProtectedHeader({ enc }).setUnprotectedHeader({ alg: 'dir' }).encrypt(cek);
    flat = { ...flat, header: { alg: 'RSA1_5' }, encrypted_key: encodeBase64url(await wrapRsa15(options.recipient, cek)) };
  } else {
    const key = await importPublic(options.recipient, entry.keyType, entry.importParams!, ['encrypt']);
    flat = await new FlattenedEncrypt(plaintext).setProtectedHeader({ enc }).setUnprotectedHeader({ alg: options.alg }).encrypt(key);
  }
  const recipient: { header: JsonObject; encrypted_key?: string } = { header: flat.header as JsonObject };
  if (flat.encrypted_key !== undefined) recipient.encrypted_key = flat.encrypted_key;
  return { protected: flat.protected!, recipients: [recipient], iv: flat.iv!, ciphertext: flat.ciphertext, tag: flat.tag! };
}

/** Checks the JSON shape of a JWE (general with one recipient, or flattened) and normalizes it. */
export function parseJwe(value: unknown): OtrpJwe {
  if (!isObject(value)) throw new JoseMalformed('JWE: not a JSON object');
  let recipient: JsonObject;
  if (value.recipients !== undefined) {
    if (!Array.isArray(value.recipients) || value.recipients.length !== 1 || !isObject(value.recipients[0])) {
      throw new JoseMalformed('JWE: OTrP uses exactly one recipient');
    }
    recipient = value.recipients[0];
  } else {
    recipient = value;
  }
  const header = optionalObject(recipient, 'header', 'JWE recipient') ?? {};
  const r: { header: JsonObject; encrypted_key?: string } = { header };
  if (recipient.encrypted_key !== undefined) r.encrypted_key = requireString(recipient, 'encrypted_key', 'JWE recipient');
  if (value.aad !== undefined) throw new JoseMalformed('JWE: OTrP uses no AAD (§7.5)');
  const out: OtrpJwe = {
    protected: requireString(value, 'protected', 'JWE'),
    recipients: [r],
    iv: requireString(value, 'iv', 'JWE'),
    ciphertext: requireString(value, 'ciphertext', 'JWE'),
    tag: requireString(value, 'tag', 'JWE'),
  };
  const unprotected = optionalObject(value, 'unprotected', 'JWE');
  if (unprotected) out.unprotected = unprotected;
  return out;
}

/** The `alg` and `enc` of a JWE (joint header, RFC 7516 §7.2.1), refused unless in `policy`. */
export function jweAlgorithms(jwe: OtrpJwe, policy: JosePolicy = DEFAULT_JOSE_POLICY): { alg: JweKeyAlgorithm; enc: JweContentAlgorithm } {
  const p = decodeJsonHeader(jwe.protected, 'JWE', decodeBase64url);
  const joint = { ...jwe.unprotected, ...jwe.recipients[0].header, ...p };
  const { alg, enc } = joint as { alg?: unknown; enc?: unknown };
  if (typeof alg !== 'string' || typeof enc !== 'string') throw new JoseMalformed('JWE: "alg" and "enc" are required');
  if (!isJweKeyAlgorithm(alg) || !policy.keyManagement.includes(alg)) throw new JoseAlgorithmRefused(`JWE alg "${alg}" is not allowed`);
  if (!isJweContentAlgorithm(enc) || !policy.content.includes(enc)) throw new JoseAlgorithmRefused(`JWE enc "${enc}" is not allowed`);
  return { alg, enc };
}

export interface DecryptJweOptions {
  key: JosePrivateKey;
  policy?: JosePolicy;
  /** Required for RSA1_5 (see raw-rsa.ts). */
  rawRsa?: RawRsa;
}

export interface DecryptJweResult {
  plaintext: Uint8Array;
  alg: JweKeyAlgorithm;
  enc: JweContentAlgorithm;
}

/** Decrypts a JWE with our private key; any cryptographic failure is ERR_JWE_DECRYPTION_FAILED. */
export async function decryptJwe(jwe: OtrpJwe, options: DecryptJweOptions): Promise<DecryptJweResult> {
  const { alg, enc } = jweAlgorithms(jwe, options.policy);
  const entry = JWE_KEY_ALGORITHMS[alg];
  const r = jwe.recipients[0];
  const flat = { protected: jwe.protected, iv: jwe.iv, ciphertext: jwe.ciphertext, tag: jwe.tag } as Parameters<typeof flattenedDecrypt>[0];
  try {
    if (alg === 'RSA1_5') {
      if (!options.rawRsa) throw new JoseKeyUnsupported('RSA1_5 needs a raw RSA primitive');
      const d = await describeSpki(options.key.spki);
      if (d.type !== 'RSA') throw new JweDecryptionFailed();
      checkStrength(d);
      if (r.encrypted_key === undefined) throw new JoseMalformed('JWE: RSA1_5 needs "encrypted_key"');
      const encryptedKey = decodeBase64url(r.encrypted_key);
      const cek = await unwrapRsa15(options.rawRsa, options.key, encryptedKey, JWE_CONTENT_ALGORITHMS[enc].cekBytes);
      const res = await flattenedDecrypt({ ...flat, header: { alg: 'dir' } }, cek, { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: [enc] });
      return { plaintext: res.plaintext, alg, enc };
    }
    const d = await describeSpki(options.key.spki);
    if (d.type !== entry.keyType) throw new JweDecryptionFailed(); // a JWE to another key type: as a wrong key
    const usages: KeyUsage[] = entry.importParams!.name === 'ECDH' ? ['deriveBits'] : ['decrypt'];
    const key = await importPrivate(options.key, entry.keyType, entry.importParams!, usages);
    const full = { ...flat, header: r.header, ...(r.encrypted_key !== undefined ? { encrypted_key: r.encrypted_key } : {}) };
    const res = await flattenedDecrypt(full, key, { keyManagementAlgorithms: [alg], contentEncryptionAlgorithms: [enc] });
    return { plaintext: res.plaintext, alg, enc };
  } catch (e) {
    if (e instanceof JoseError) throw e;
    throw new JweDecryptionFailed({ cause: e });
  }
}

/** The key management algorithm to use for a recipient key under a peer's policy (first match). */
export async function chooseKeyAlgorithm(recipient: Uint8Array, policy: JosePolicy): Promise<JweKeyAlgorithm> {
  const d = await describeSpki(recipient);
  const alg = policy.keyManagement.find((a) => JWE_KEY_ALGORITHMS[a].keyType === d.type);
  if (!alg) throw new JoseAlgorithmRefused(`no key management algorithm in the policy for a ${d.type} key`);
  return alg;
}
