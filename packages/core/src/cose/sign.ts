/**
 * COSE_Sign with one or more signers (RFC 9052 §4.1): create and verify.
 *
 * ```cddl
 * COSE_Sign_Tagged = #6.98(COSE_Sign)
 * COSE_Sign = [
 *     Headers,
 *     payload : bstr / nil,
 *     signatures : [+ COSE_Signature]
 * ]
 * COSE_Signature =  [
 *     Headers,
 *     signature : bstr
 * ]
 * ```
 */
import type { CborValue } from '../wire/cbor-value.js';
import { findAlgorithm, getAlgorithm, type SignAlgorithm } from './algorithms.js';
import type { ProviderOption } from './crypto-provider.js';
import type { CoseKey } from './key.js';
import { bytesEqual } from './bytes.js';
import { COSE_HEADER, buildHeaders, decodeHeaders, encodeProtected, headerValue, type CoseHeaders, type HeaderDecodeOptions, type HeaderInput } from './headers.js';
import { attachedOrDetached, decodeMessage, encodeMessage, messageItems, type MessageDecodeOptions } from './message.js';
import { encodeSigStructure } from './sig-structure.js';
import { defaultSignAlg, resolveKey, signAlgOf, signBytes, verifyBytes, type KeyInput } from './signer.js';
import { chooseAlg, type VerifyOptions } from './sign1.js';
import { readX5chain } from './x5.js';
import { CoseMalformed, CoseNoKey, CoseSignatureInvalid, CoseUnsupportedAlg } from './errors.js';
import { isOtrpError } from '../errors.js';
import { webCryptoProvider } from './webcrypto-provider.js';

export interface SignerOptions {
  key: CoseKey;
  alg?: number;
  protectedHeaders?: HeaderInput;
  unprotectedHeaders?: HeaderInput;
  includeKid?: boolean;
}

export interface CreateSignOptions extends ProviderOption {
  payload: Uint8Array;
  signers: readonly SignerOptions[];
  /** Body headers (apply to all signers). */
  protectedHeaders?: HeaderInput;
  unprotectedHeaders?: HeaderInput;
  externalAad?: Uint8Array;
  detached?: boolean;
  tagged?: boolean;
}

export interface VerifySignOptions extends VerifyOptions {
  /** Every signer must verify (default: at least one, and every signer a key was found for). */
  requireAll?: boolean;
}

export interface SignerResult {
  headers: CoseHeaders;
  /** Undefined when the signer's algorithm is not supported. */
  alg?: SignAlgorithm;
  kid?: Uint8Array;
  x5chain?: Uint8Array[];
  verified: boolean;
}

export interface VerifySignResult {
  headers: CoseHeaders;
  payload: Uint8Array;
  detached: boolean;
  signers: SignerResult[];
}

/** Signs `payload` once per signer into a COSE_Sign. */
export async function createSign(options: CreateSignOptions): Promise<Uint8Array> {
  const { payload, externalAad = new Uint8Array(0), provider = webCryptoProvider } = options;
  if (options.signers.length === 0) throw new CoseMalformed('COSE_Sign needs at least one signer');
  const body = buildHeaders(options.protectedHeaders, options.unprotectedHeaders, {});
  const bodyProtected = encodeProtected(body.protected);
  const signatures: CborValue[] = [];
  for (const s of options.signers) {
    const alg = getAlgorithm(chooseAlg(s.alg, s.protectedHeaders, s.unprotectedHeaders, () => defaultSignAlg(s.key)), 'sign');
    const h = buildHeaders(s.protectedHeaders, s.unprotectedHeaders, {
      protected: [[COSE_HEADER.alg, alg.id]],
      unprotected: s.key.kid && s.includeKid !== false ? [[COSE_HEADER.kid, s.key.kid]] : [],
    });
    const signProtected = encodeProtected(h.protected);
    const sig = await signBytes(provider, alg, s.key, encodeSigStructure(bodyProtected, signProtected, externalAad, payload));
    signatures.push([signProtected, h.unprotected as CborValue, sig]);
  }
  return encodeMessage('COSE_Sign', [bodyProtected, body.unprotected as CborValue, options.detached ? null : payload, signatures], options.tagged ?? true);
}

/** A COSE_Sign decoded but not verified. */
export interface DecodedSign {
  headers: CoseHeaders;
  payload: Uint8Array | null;
  signatures: { headers: CoseHeaders; signature: Uint8Array }[];
}

/** Decodes a COSE_Sign without verifying it. */
export function decodeSign(bytes: Uint8Array, options: HeaderDecodeOptions & MessageDecodeOptions = {}): DecodedSign {
  return signParts(decodeMessage(bytes, 'COSE_Sign', 4, options), options);
}

/** decodeSign of a CBOR item the caller has already decoded from the message bytes. */
export function decodeSignItem(item: CborValue, options: HeaderDecodeOptions & MessageDecodeOptions = {}): DecodedSign {
  return signParts(messageItems(item, 'COSE_Sign', 4, options), options);
}

function signParts([p, u, payload, sigs]: CborValue[], options: HeaderDecodeOptions): DecodedSign {
  const headers = decodeHeaders(p, u, options);
  if (payload !== null && !(payload instanceof Uint8Array)) throw new CoseMalformed('COSE_Sign payload must be a bstr or nil');
  if (!Array.isArray(sigs) || sigs.length === 0) throw new CoseMalformed('COSE_Sign needs a non-empty array of signatures');
  const signatures = sigs.map((s) => {
    if (!Array.isArray(s) || s.length !== 3) throw new CoseMalformed('COSE_Signature must be an array of 3 elements');
    if (!(s[2] instanceof Uint8Array)) throw new CoseMalformed('COSE_Signature signature must be a bstr');
    return { headers: decodeHeaders(s[0], s[1], options), signature: s[2] };
  });
  return { headers, payload: payload as Uint8Array | null, signatures };
}

/**
 * Verifies a COSE_Sign. With a fixed key, the signers whose kid (if both have one) and curve fit the
 * key are checked; with a resolver, the signers it returns a key for. Every checked signer must
 * verify and at least one must (all with `requireAll`); otherwise ERR_COSE_SIGNATURE_INVALID.
 */
export async function verifySign(bytes: Uint8Array, key: KeyInput, options: VerifySignOptions = {}): Promise<VerifySignResult> {
  return verifyDecodedSign(decodeSign(bytes, options), key, options);
}

/** verifySign of a message already decoded with decodeSign or decodeSignItem (same options). */
export async function verifyDecodedSign(decoded: DecodedSign, key: KeyInput, options: VerifySignOptions = {}): Promise<VerifySignResult> {
  const { provider = webCryptoProvider, externalAad = new Uint8Array(0) } = options;
  const { headers, payload: slot, signatures } = decoded;
  const payload = attachedOrDetached(slot, options.detachedPayload, 'COSE_Sign', 'payload');
  const signers: SignerResult[] = [];
  // The error for a signer whose algorithm is not supported, thrown only when no signer verifies. A
  // signer in a suite the verifier does not accept is normal (a TAM signs with every suite it has),
  // so that error is made only when it is thrown.
  let unsupported: (() => unknown) | undefined;
  for (const { headers: sh, signature } of signatures) {
    const kid = headerValue(sh, COSE_HEADER.kid) as Uint8Array | undefined;
    const x5chain = readX5chain(sh);
    const base = { headers: sh, ...(kid && { kid }), ...(x5chain && { x5chain }) };
    let alg: SignAlgorithm;
    try {
      alg = signAlgOf(sh);
    } catch (e) {
      if (!isOtrpError(e) || e.code !== 'ERR_COSE_UNSUPPORTED_ALG') throw e;
      unsupported = () => e;
      signers.push({ ...base, verified: false });
      continue;
    }
    if (options.algorithms && !options.algorithms.includes(alg.id)) {
      const name = alg.name;
      unsupported = () => new CoseUnsupportedAlg(`algorithm ${name} not accepted here`);
      signers.push({ ...base, verified: false });
      continue;
    }
    const k = await resolveKey(key, sh);
    const applies = k !== undefined && (typeof key === 'function' || fitsSigner(k, alg, kid));
    if (applies) await verifyBytes(provider, alg, k, encodeSigStructure(headers.protectedBytes, sh.protectedBytes, externalAad, payload.bytes), signature);
    signers.push({ ...base, alg, verified: applies });
  }
  const verified = signers.filter((s) => s.verified).length;
  if (verified === 0 || (options.requireAll && verified !== signers.length)) {
    if (unsupported !== undefined && verified === 0) throw unsupported();
    if (verified === 0) throw new CoseNoKey('no signer matches the key');
    throw new CoseSignatureInvalid();
  }
  return { headers, payload: payload.bytes, detached: payload.detached, signers };
}

function fitsSigner(key: CoseKey, alg: SignAlgorithm, kid: Uint8Array | undefined): boolean {
  if (kid && key.kid && !bytesEqual(kid, key.kid)) return false;
  return key.crv !== undefined && alg.curves.includes(key.crv) && (key.alg === undefined || findAlgorithm(key.alg) === alg);
}
