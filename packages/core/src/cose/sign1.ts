/**
 * COSE_Sign1 (RFC 9052 §4.2): create and verify.
 *
 * ```cddl
 * COSE_Sign1_Tagged = #6.18(COSE_Sign1)
 * COSE_Sign1 = [
 *     Headers,
 *     payload : bstr / nil,
 *     signature : bstr
 * ]
 * ```
 */
import type { CborValue } from '../wire/cbor-value.js';
import { getAlgorithm, type SignAlgorithm } from './algorithms.js';
import type { ProviderOption } from './crypto-provider.js';
import type { CoseKey } from './key.js';
import { COSE_HEADER, buildHeaders, decodeHeaders, encodeProtected, headerValue, type CoseHeaders, type HeaderDecodeOptions, type HeaderInput } from './headers.js';
import { attachedOrDetached, decodeMessage, encodeMessage, messageItems, type MessageDecodeOptions } from './message.js';
import { encodeSigStructure } from './sig-structure.js';
import { defaultSignAlg, resolveKey, signAlgOf, signBytes, verifyBytes, type KeyInput } from './signer.js';
import { readX5chain } from './x5.js';
import { CoseMalformed, CoseNoKey, CoseUnsupportedAlg } from './errors.js';
import { webCryptoProvider } from './webcrypto-provider.js';

export interface CreateSign1Options extends ProviderOption {
  payload: Uint8Array;
  /** Private signing key. */
  key: CoseKey;
  /** Algorithm id; default: the `alg` header if given, else the key's `alg`, else by curve (ES256, ES384, EdDSA). */
  alg?: number;
  /** Protected headers; `alg` is added first unless present in either bucket. */
  protectedHeaders?: HeaderInput;
  unprotectedHeaders?: HeaderInput;
  /** Put the key's kid in the unprotected `kid` header (default true when the key has a kid). */
  includeKid?: boolean;
  externalAad?: Uint8Array;
  /** Leave the payload out of the message (nil); the verifier supplies it. */
  detached?: boolean;
  /** Emit tag 18 (default true). */
  tagged?: boolean;
}

export interface VerifyOptions extends ProviderOption, HeaderDecodeOptions, MessageDecodeOptions {
  externalAad?: Uint8Array;
  /** The payload of a message whose payload is nil. */
  detachedPayload?: Uint8Array;
  /** Algorithm ids accepted (default: every signature algorithm in the table). */
  algorithms?: readonly number[];
}

export interface VerifySign1Result {
  headers: CoseHeaders;
  alg: SignAlgorithm;
  payload: Uint8Array;
  detached: boolean;
  kid?: Uint8Array;
  /** x5chain (RFC 9360) certificates, leaf first, when the header is present. */
  x5chain?: Uint8Array[];
}

/** Resolves the algorithm of a create call: explicit option, header, key default. */
export function chooseAlg(explicit: number | undefined, prot: HeaderInput, unprot: HeaderInput, fallback: () => number): number {
  const fromHeader = prot?.get(COSE_HEADER.alg) ?? unprot?.get(COSE_HEADER.alg);
  if (explicit !== undefined && fromHeader !== undefined && fromHeader !== explicit) throw new CoseMalformed('alg option and alg header differ');
  return explicit ?? (fromHeader as number | undefined) ?? fallback();
}

/** Signs `payload` into a COSE_Sign1. */
export async function createSign1(options: CreateSign1Options): Promise<Uint8Array> {
  const { key, payload, externalAad = new Uint8Array(0), provider = webCryptoProvider } = options;
  const alg = getAlgorithm(chooseAlg(options.alg, options.protectedHeaders, options.unprotectedHeaders, () => defaultSignAlg(key)), 'sign');
  const h = buildHeaders(options.protectedHeaders, options.unprotectedHeaders, {
    protected: [[COSE_HEADER.alg, alg.id]],
    unprotected: key.kid && options.includeKid !== false ? [[COSE_HEADER.kid, key.kid]] : [],
  });
  const protectedBytes = encodeProtected(h.protected);
  const signature = await signBytes(provider, alg, key, encodeSigStructure(protectedBytes, undefined, externalAad, payload));
  const items: CborValue[] = [protectedBytes, h.unprotected as CborValue, options.detached ? null : payload, signature];
  return encodeMessage('COSE_Sign1', items, options.tagged ?? true);
}

/** A COSE_Sign1 decoded but not verified. */
export interface DecodedSign1 {
  headers: CoseHeaders;
  payload: Uint8Array | null;
  signature: Uint8Array;
}

/** Decodes a COSE_Sign1 without verifying it (to read kid/x5chain before choosing a key). */
export function decodeSign1(bytes: Uint8Array, options: HeaderDecodeOptions & MessageDecodeOptions = {}): DecodedSign1 {
  return sign1Parts(decodeMessage(bytes, 'COSE_Sign1', 4, options), options);
}

/** decodeSign1 of a CBOR item the caller has already decoded from the message bytes. */
export function decodeSign1Item(item: CborValue, options: HeaderDecodeOptions & MessageDecodeOptions = {}): DecodedSign1 {
  return sign1Parts(messageItems(item, 'COSE_Sign1', 4, options), options);
}

function sign1Parts([p, u, payload, signature]: CborValue[], options: HeaderDecodeOptions): DecodedSign1 {
  const headers = decodeHeaders(p, u, options);
  if (!(signature instanceof Uint8Array)) throw new CoseMalformed('COSE_Sign1 signature must be a bstr');
  if (payload !== null && !(payload instanceof Uint8Array)) throw new CoseMalformed('COSE_Sign1 payload must be a bstr or nil');
  return { headers, payload: payload as Uint8Array | null, signature };
}

/**
 * Verifies a COSE_Sign1 with `key` (or the key a resolver picks from the headers) and returns the
 * headers and payload. Failures: ERR_COSE_MALFORMED, ERR_COSE_UNSUPPORTED_ALG,
 * ERR_COSE_KEY_MISMATCH, ERR_COSE_SIGNATURE_INVALID (fixed message).
 */
export async function verifySign1(bytes: Uint8Array, key: KeyInput, options: VerifyOptions = {}): Promise<VerifySign1Result> {
  return verifyDecodedSign1(decodeSign1(bytes, options), key, options);
}

/**
 * verifySign1 of a message already decoded with decodeSign1 or decodeSign1Item (with the same
 * header and tag options), so that a receiver that opened the message does not decode it again.
 * The signature is checked over the received protected bstr and payload all the same (RFC 9052 §4.4).
 */
export async function verifyDecodedSign1(decoded: DecodedSign1, key: KeyInput, options: VerifyOptions = {}): Promise<VerifySign1Result> {
  const { provider = webCryptoProvider, externalAad = new Uint8Array(0) } = options;
  const { headers, payload: slot, signature } = decoded;
  const alg = signAlgOf(headers);
  if (options.algorithms && !options.algorithms.includes(alg.id)) throw new CoseUnsupportedAlg(`algorithm ${alg.name} not accepted here`);
  const payload = attachedOrDetached(slot, options.detachedPayload, 'COSE_Sign1', 'payload');
  const x5chain = readX5chain(headers);
  const kid = headerValue(headers, COSE_HEADER.kid) as Uint8Array | undefined;
  const k = await resolveKey(key, headers);
  if (!k) throw new CoseNoKey('no key for this COSE_Sign1');
  await verifyBytes(provider, alg, k, encodeSigStructure(headers.protectedBytes, undefined, externalAad, payload.bytes), signature);
  return { headers, alg, payload: payload.bytes, detached: payload.detached, ...(kid && { kid }), ...(x5chain && { x5chain }) };
}
