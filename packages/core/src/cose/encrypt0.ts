/**
 * COSE_Encrypt0 (RFC 9052 §5.2): the key is known to the recipient (no recipients layer).
 *
 * ```cddl
 * COSE_Encrypt0_Tagged = #6.16(COSE_Encrypt0)
 * COSE_Encrypt0 = [
 *     Headers,
 *     ciphertext : bstr / nil,
 * ]
 * ```
 */
import type { CborValue } from '../wire/cbor-value.js';
import { getAlgorithm, type ContentAlgorithm } from './algorithms.js';
import type { ProviderOption } from './crypto-provider.js';
import { checkCoseKey, type CoseKey } from './key.js';
import { COSE_HEADER, buildHeaders, decodeHeaders, encodeProtected, headerValue, type CoseHeaders, type CoseLabel, type HeaderDecodeOptions, type HeaderInput } from './headers.js';
import { attachedOrDetached, decodeMessage, encodeMessage, type MessageDecodeOptions } from './message.js';
import { resolveKey, type KeyInput } from './signer.js';
import { chooseAlg } from './sign1.js';
import { chooseIv, contentAlgOf, decryptContent, encryptContent, ivOf } from './content.js';
import { CoseKeyMismatch, CoseNoKey } from './errors.js';
import { webCryptoProvider } from './webcrypto-provider.js';

export interface CreateEncrypt0Options extends ProviderOption {
  plaintext: Uint8Array;
  /** Symmetric content key. */
  key: CoseKey;
  /** Content algorithm id; default the alg header or the key's alg. */
  alg?: number;
  /** IV; default random of the algorithm's IV length. Goes to the unprotected `iv` header. */
  iv?: Uint8Array;
  protectedHeaders?: HeaderInput;
  unprotectedHeaders?: HeaderInput;
  includeKid?: boolean;
  externalAad?: Uint8Array;
  detached?: boolean;
  tagged?: boolean;
}

export interface DecryptOptions extends ProviderOption, HeaderDecodeOptions, MessageDecodeOptions {
  externalAad?: Uint8Array;
  /** The ciphertext of a message whose ciphertext is nil. */
  detachedCiphertext?: Uint8Array;
  /** Content algorithm ids accepted (default: all in the table). */
  algorithms?: readonly number[];
}

export interface DecryptEncrypt0Result {
  headers: CoseHeaders;
  alg: ContentAlgorithm;
  plaintext: Uint8Array;
  kid?: Uint8Array;
}

/** Where create functions put `alg`: protected for AEADs, unprotected for A128CTR (RFC 9459 §4). */
export function algPlacement(alg: ContentAlgorithm, extra: [CoseLabel, CborValue][]) {
  const a: [CoseLabel, CborValue] = [COSE_HEADER.alg, alg.id];
  return alg.aead ? { protected: [a], unprotected: extra } : { unprotected: [a, ...extra] };
}

function symmetricKey(key: CoseKey): Uint8Array {
  checkCoseKey(key);
  if (key.kty !== 'Symmetric') throw new CoseKeyMismatch('COSE_Encrypt0 needs a symmetric key');
  return key.k!;
}

/** Encrypts `plaintext` into a COSE_Encrypt0. */
export async function createEncrypt0(options: CreateEncrypt0Options): Promise<Uint8Array> {
  const { key, plaintext, externalAad = new Uint8Array(0), provider = webCryptoProvider } = options;
  const alg = getAlgorithm(
    chooseAlg(options.alg, options.protectedHeaders, options.unprotectedHeaders, () => {
      if (key.alg === undefined) throw new CoseKeyMismatch('no content algorithm given');
      return key.alg;
    }),
    'content',
  );
  const iv = chooseIv(provider, alg, options.iv, options.protectedHeaders, options.unprotectedHeaders);
  const extra: [CoseLabel, CborValue][] = [[COSE_HEADER.iv, iv]];
  if (key.kid && options.includeKid !== false) extra.push([COSE_HEADER.kid, key.kid]);
  const h = buildHeaders(options.protectedHeaders, options.unprotectedHeaders, algPlacement(alg, extra));
  const protectedBytes = encodeProtected(h.protected);
  const ciphertext = await encryptContent(provider, alg, symmetricKey(key), iv, plaintext, 'Encrypt0', protectedBytes, externalAad);
  return encodeMessage('COSE_Encrypt0', [protectedBytes, h.unprotected as CborValue, options.detached ? null : ciphertext], options.tagged ?? true);
}

/** Decodes a COSE_Encrypt0 without decrypting it. */
export function decodeEncrypt0(bytes: Uint8Array, options: HeaderDecodeOptions & MessageDecodeOptions = {}) {
  const [p, u, ciphertext] = decodeMessage(bytes, 'COSE_Encrypt0', 3, options);
  return { headers: decodeHeaders(p, u, options), ciphertext };
}

/** Decrypts a COSE_Encrypt0; ERR_COSE_DECRYPT_FAILED (fixed message) when authentication fails. */
export async function decryptEncrypt0(bytes: Uint8Array, key: KeyInput, options: DecryptOptions = {}): Promise<DecryptEncrypt0Result> {
  const { provider = webCryptoProvider, externalAad = new Uint8Array(0) } = options;
  const { headers, ciphertext: slot } = decodeEncrypt0(bytes, options);
  const alg = contentAlgOf(headers, options.algorithms);
  const iv = ivOf(headers, alg);
  const ciphertext = attachedOrDetached(slot, options.detachedCiphertext, 'COSE_Encrypt0', 'ciphertext');
  const k = await resolveKey(key, headers);
  if (!k) throw new CoseNoKey('no key for this COSE_Encrypt0');
  const plaintext = await decryptContent(provider, alg, symmetricKey(k), iv, ciphertext.bytes, 'Encrypt0', headers.protectedBytes, externalAad);
  const kid = headerValue(headers, COSE_HEADER.kid) as Uint8Array | undefined;
  return { headers, alg, plaintext, ...(kid && { kid }) };
}
