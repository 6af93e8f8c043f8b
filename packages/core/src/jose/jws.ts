/**
 * JWS in the flattened JSON serialization (RFC 7515 §7.2.2), the only JWS form OTrP uses
 * (draft-ietf-teep-opentrustprotocol-03 §7.3-§7.4):
 *
 *   { "payload": "<BASE64URL>", "protected": "<BASE64URL of {\"alg\":...}>",
 *     "header": { "x5c": [...] }, "signature": "<BASE64URL>" }
 *
 * `protected` carries only `alg` (§7.4: "OTrP signed messages only require the signing algorithm as
 * the mandate header"). Signing and verification are panva/jose's; this file adds the OTrP policy:
 * the alg must be in the caller's policy table (never `none`), RSA keys must have 2048 bits or more.
 */
import { FlattenedSign, flattenedVerify } from 'jose';
import { JWS_ALGORITHMS, isJwsAlgorithm, DEFAULT_JOSE_POLICY, type JwsAlgorithm, type JosePolicy } from './algorithms.js';
import { JoseAlgorithmRefused, JoseMalformed, JoseError, JwsSignatureInvalid } from './errors.js';
import { importPrivate, importPublic, type JosePrivateKey } from './keys.js';
import { decodeBase64Lenient, decodeBase64url, encodeBase64 } from './base64.js';
import { decodeJsonHeader, isObject, optionalObject, requireString, type JsonObject } from './json-object.js';

/** A flattened JWS JSON object. */
export interface FlattenedJws {
  payload: string;
  protected: string;
  header?: JsonObject;
  signature: string;
}

export interface SignJwsOptions {
  alg: JwsAlgorithm;
  key: JosePrivateKey;
  /** Unprotected header members (e.g. `x5c`). */
  header?: JsonObject;
}

/** Signs `payload` (the UTF-8 TBS JSON) into a flattened JWS with `{"alg": alg}` as protected header. */
export async function signJws(payload: Uint8Array, options: SignJwsOptions): Promise<FlattenedJws> {
  const entry = JWS_ALGORITHMS[options.alg];
  const key = await importPrivate(options.key, entry.keyType, entry.importParams, ['sign']);
  const s = new FlattenedSign(payload).setProtectedHeader({ alg: options.alg });
  if (options.header) s.setUnprotectedHeader(options.header);
  const jws = await s.sign(key);
  const out: FlattenedJws = { payload: jws.payload, protected: jws.protected!, signature: jws.signature };
  if (options.header) out.header = options.header;
  return out;
}

/** Checks the JSON shape of a flattened JWS (strings where RFC 7515 §7.2.2 wants them). */
export function parseFlattenedJws(value: unknown): FlattenedJws {
  if (!isObject(value)) throw new JoseMalformed('JWS: not a JSON object');
  if ('signatures' in value) throw new JoseMalformed('JWS: general serialization is not used by OTrP (flattened only)');
  const header = optionalObject(value, 'header', 'JWS');
  const out: FlattenedJws = {
    payload: requireString(value, 'payload', 'JWS'),
    protected: requireString(value, 'protected', 'JWS'),
    signature: requireString(value, 'signature', 'JWS'),
  };
  if (header) out.header = header;
  return out;
}

/** The JWS `alg` of the protected header, refused unless in `policy` (so `none` always is). */
export function jwsAlgorithm(jws: FlattenedJws, policy: JosePolicy = DEFAULT_JOSE_POLICY): JwsAlgorithm {
  const h = decodeJsonHeader(jws.protected, 'JWS', decodeBase64url);
  const alg = h.alg;
  if (typeof alg !== 'string') throw new JoseMalformed('JWS: protected header has no "alg"');
  if (!isJwsAlgorithm(alg) || !policy.jws.includes(alg)) throw new JoseAlgorithmRefused(`JWS alg "${alg}" is not allowed`);
  return alg;
}

export interface VerifyJwsOptions {
  /** The signer's DER SubjectPublicKeyInfo (from its certificate). */
  spki: Uint8Array;
  policy?: JosePolicy;
}

export interface VerifyJwsResult {
  alg: JwsAlgorithm;
  /** The verified payload bytes (BASE64URL-decoded `payload`). */
  payload: Uint8Array;
}

/** Verifies a flattened JWS with the signer's public key under `policy`. */
export async function verifyJws(jws: FlattenedJws, options: VerifyJwsOptions): Promise<VerifyJwsResult> {
  const alg = jwsAlgorithm(jws, options.policy);
  const entry = JWS_ALGORITHMS[alg];
  const key = await importPublic(options.spki, entry.keyType, entry.importParams, ['verify']);
  try {
    const r = await flattenedVerify(jws as Parameters<typeof flattenedVerify>[0], key, { algorithms: [alg] });
    return { alg, payload: r.payload };
  } catch (e) {
    if (e instanceof JoseError) throw e;
    const code = (e as { code?: unknown }).code;
    if (code === 'ERR_JWS_INVALID') throw new JoseMalformed('JWS: invalid', { cause: e });
    throw new JwsSignatureInvalid({ cause: e });
  }
}

/**
 * The signer certificate chain carried in the unprotected header (leaf first, DER): `x5c` as
 * RFC 7515 §4.1.6 has it (array of BASE64 DER), or, as the draft's samples do (notes §15 A3), a single
 * `x5c` string or a `signer` member with a BASE64URL DER certificate. Empty when none is present.
 */
export function readSignerChain(jws: FlattenedJws): Uint8Array[] {
  const h = jws.header;
  if (!h) return [];
  const decode = (v: unknown): Uint8Array => {
    if (typeof v !== 'string') throw new JoseMalformed('JWS: certificate in the header must be a string');
    try {
      return decodeBase64Lenient(v);
    } catch (e) {
      throw new JoseMalformed('JWS: certificate in the header is not BASE64', { cause: e });
    }
  };
  if (Array.isArray(h.x5c)) {
    if (h.x5c.length > 16) throw new JoseMalformed('JWS: x5c has too many certificates');
    return h.x5c.map(decode);
  }
  if (h.x5c !== undefined) return [decode(h.x5c)];
  if (h.signer !== undefined) return [decode(h.signer)];
  return [];
}

/** The `x5c` header member for a chain (RFC 7515 §4.1.6: BASE64, not BASE64URL). */
export function x5cHeader(chain: readonly Uint8Array[]): { x5c: string[] } {
  return { x5c: chain.map(encodeBase64) };
}
