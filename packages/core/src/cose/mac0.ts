/**
 * COSE_Mac0 (RFC 9052 §6.2) with HMAC (RFC 9053 §3.1): create and verify.
 *
 * ```cddl
 * COSE_Mac0_Tagged = #6.17(COSE_Mac0)
 * COSE_Mac0 = [
 *    Headers,
 *    payload : bstr / nil,
 *    tag : bstr,
 * ]
 * ```
 */
import type { CborValue } from '../wire/cbor-value.js';
import { COSE_ALG, getAlgorithm, type MacAlgorithm } from './algorithms.js';
import type { CryptoProvider, ProviderOption } from './crypto-provider.js';
import { checkCoseKey, type CoseKey } from './key.js';
import { COSE_HEADER, buildHeaders, decodeHeaders, encodeProtected, headerValue, type CoseHeaders, type HeaderDecodeOptions, type HeaderInput } from './headers.js';
import { attachedOrDetached, decodeMessage, encodeMessage, type MessageDecodeOptions } from './message.js';
import { encodeMacStructure } from './sig-structure.js';
import { resolveKey, type KeyInput } from './signer.js';
import { chooseAlg, type VerifyOptions } from './sign1.js';
import { timingSafeEqual } from './bytes.js';
import { CoseKeyMismatch, CoseMacInvalid, CoseMalformed, CoseNoKey, CoseUnsupportedAlg } from './errors.js';
import { guardAsync } from './guard.js';
import { webCryptoProvider } from './webcrypto-provider.js';

export interface CreateMac0Options extends ProviderOption {
  payload: Uint8Array;
  /** Symmetric key. */
  key: CoseKey;
  /** Default: the alg header, the key's alg, else HMAC 256/256. */
  alg?: number;
  protectedHeaders?: HeaderInput;
  unprotectedHeaders?: HeaderInput;
  includeKid?: boolean;
  externalAad?: Uint8Array;
  detached?: boolean;
  tagged?: boolean;
}

export interface VerifyMac0Result {
  headers: CoseHeaders;
  alg: MacAlgorithm;
  payload: Uint8Array;
  detached: boolean;
  kid?: Uint8Array;
}

function macKey(alg: MacAlgorithm, key: CoseKey): Uint8Array {
  checkCoseKey(key);
  if (key.kty !== 'Symmetric') throw new CoseKeyMismatch(`${alg.name} needs a symmetric key`);
  if (key.alg !== undefined && key.alg !== alg.id) throw new CoseKeyMismatch(`key is restricted to algorithm ${key.alg}`);
  return key.k!;
}

/** HMAC over the MAC_structure, truncated to the algorithm's tag length (RFC 9053 §3.1). */
export async function computeMac(provider: CryptoProvider, alg: MacAlgorithm, key: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  const full = await guardAsync(
    () => provider.hmac(alg.hash, key, data),
    (e) => new CoseKeyMismatch('MAC computation failed', { cause: e }),
  );
  return full.subarray(0, alg.tagLength);
}

/** MACs `payload` into a COSE_Mac0. */
export async function createMac0(options: CreateMac0Options): Promise<Uint8Array> {
  const { key, payload, externalAad = new Uint8Array(0), provider = webCryptoProvider } = options;
  const alg = getAlgorithm(chooseAlg(options.alg, options.protectedHeaders, options.unprotectedHeaders, () => key.alg ?? COSE_ALG['HMAC 256/256']), 'mac');
  const k = macKey(alg, key);
  const h = buildHeaders(options.protectedHeaders, options.unprotectedHeaders, {
    protected: [[COSE_HEADER.alg, alg.id]],
    unprotected: key.kid && options.includeKid !== false ? [[COSE_HEADER.kid, key.kid]] : [],
  });
  const protectedBytes = encodeProtected(h.protected);
  const tag = await computeMac(provider, alg, k, encodeMacStructure('MAC0', protectedBytes, externalAad, payload));
  const items: CborValue[] = [protectedBytes, h.unprotected as CborValue, options.detached ? null : payload, tag];
  return encodeMessage('COSE_Mac0', items, options.tagged ?? true);
}

/** Verifies a COSE_Mac0 and returns its headers and payload; ERR_COSE_MAC_INVALID on a wrong tag. */
export async function verifyMac0(bytes: Uint8Array, key: KeyInput, options: VerifyOptions = {}): Promise<VerifyMac0Result> {
  const { provider = webCryptoProvider, externalAad = new Uint8Array(0) } = options;
  const [p, u, slot, tag] = decodeMessage(bytes, 'COSE_Mac0', 4, options as MessageDecodeOptions);
  const headers = decodeHeaders(p, u, options as HeaderDecodeOptions);
  if (!(tag instanceof Uint8Array)) throw new CoseMalformed('COSE_Mac0 tag must be a bstr');
  const id = headerValue(headers, COSE_HEADER.alg);
  if (id === undefined) throw new CoseMalformed('alg header missing');
  const alg = getAlgorithm(id, 'mac');
  if (options.algorithms && !options.algorithms.includes(alg.id)) throw new CoseUnsupportedAlg(`algorithm ${alg.name} not accepted here`);
  const payload = attachedOrDetached(slot, options.detachedPayload, 'COSE_Mac0', 'payload');
  const k = await resolveKey(key, headers);
  if (!k) throw new CoseNoKey('no key for this COSE_Mac0');
  const expected = await computeMac(provider, alg, macKey(alg, k), encodeMacStructure('MAC0', headers.protectedBytes, externalAad, payload.bytes));
  if (!timingSafeEqual(expected, tag)) throw new CoseMacInvalid();
  const kid = headerValue(headers, COSE_HEADER.kid) as Uint8Array | undefined;
  return { headers, alg, payload: payload.bytes, detached: payload.detached, ...(kid && { kid }) };
}
