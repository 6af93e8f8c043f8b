/**
 * COSE_Encrypt with recipients (RFC 9052 §5.1): create and decrypt. One recipient layer; nested
 * recipients (a recipient with its own recipients) are decoded but not used for decryption.
 *
 * ```cddl
 * COSE_Encrypt_Tagged = #6.96(COSE_Encrypt)
 * COSE_Encrypt = [
 *     Headers,
 *     ciphertext : bstr / nil,
 *     recipients : [+COSE_recipient]
 * ]
 * ```
 */
import type { CborValue } from '../wire/cbor-value.js';
import { getAlgorithm, type ContentAlgorithm, type RecipientAlgorithm } from './algorithms.js';
import type { ProviderOption } from './crypto-provider.js';
import { COSE_HEADER, buildHeaders, decodeHeaders, encodeProtected, type CoseHeaders, type CoseLabel, type HeaderDecodeOptions, type HeaderInput } from './headers.js';
import { attachedOrDetached, decodeMessage, encodeMessage, type MessageDecodeOptions } from './message.js';
import type { KeyInput } from './signer.js';
import { chooseAlg } from './sign1.js';
import { chooseIv, contentAlgOf, decryptContent, encryptContent, ivOf, checkCekLength } from './content.js';
import { algPlacement, type DecryptOptions } from './encrypt0.js';
import type { RecipientOptions } from './recipient.js';
import { createRecipients, decodeRecipients, useRecipients } from './recipient-list.js';
import type { KdfContextOptions } from './kdf-context.js';
import { CoseMalformed } from './errors.js';
import { webCryptoProvider } from './webcrypto-provider.js';

export interface CreateEncryptOptions extends ProviderOption {
  plaintext: Uint8Array;
  /** Content algorithm id (A128GCM, A256GCM, A128CTR, ChaCha20/Poly1305); default the alg header. */
  alg?: number;
  recipients: readonly RecipientOptions[];
  /** Content key; default random (or derived, for a direct / direct key agreement recipient). */
  cek?: Uint8Array;
  /** IV; default random. Goes to the unprotected `iv` header. */
  iv?: Uint8Array;
  protectedHeaders?: HeaderInput;
  unprotectedHeaders?: HeaderInput;
  externalAad?: Uint8Array;
  detached?: boolean;
  tagged?: boolean;
}

export interface DecryptEncryptOptions extends DecryptOptions {
  /** COSE_KDF_Context inputs for ECDH-ES recipients, e.g. `{ suppPubOther: 'SUIT Payload Encryption' }`. */
  kdf?: KdfContextOptions;
}

export interface DecryptEncryptResult {
  headers: CoseHeaders;
  alg: ContentAlgorithm;
  plaintext: Uint8Array;
  /** The recipient that yielded the CEK. */
  recipient: { index: number; headers: CoseHeaders; alg: RecipientAlgorithm };
}

/** Encrypts `plaintext` for each recipient into a COSE_Encrypt. */
export async function createEncrypt(options: CreateEncryptOptions): Promise<Uint8Array> {
  const { plaintext, externalAad = new Uint8Array(0), provider = webCryptoProvider } = options;
  const alg = getAlgorithm(
    chooseAlg(options.alg, options.protectedHeaders, options.unprotectedHeaders, () => {
      throw new CoseMalformed('no content algorithm given');
    }),
    'content',
  );
  const { items, cek } = await createRecipients(provider, alg, options.cek, options.recipients);
  checkCekLength(alg, cek);
  const iv = chooseIv(provider, alg, options.iv, options.protectedHeaders, options.unprotectedHeaders);
  const extra: [CoseLabel, CborValue][] = [[COSE_HEADER.iv, iv]];
  const h = buildHeaders(options.protectedHeaders, options.unprotectedHeaders, algPlacement(alg, extra));
  const protectedBytes = encodeProtected(h.protected);
  const ciphertext = await encryptContent(provider, alg, cek, iv, plaintext, 'Encrypt', protectedBytes, externalAad);
  return encodeMessage('COSE_Encrypt', [protectedBytes, h.unprotected as CborValue, options.detached ? null : ciphertext, items], options.tagged ?? true);
}

/** Decodes a COSE_Encrypt without decrypting it. */
export function decodeEncrypt(bytes: Uint8Array, options: HeaderDecodeOptions & MessageDecodeOptions = {}) {
  const [p, u, ciphertext, recipients] = decodeMessage(bytes, 'COSE_Encrypt', 4, options);
  const headers = decodeHeaders(p, u, options);
  if (ciphertext !== null && !(ciphertext instanceof Uint8Array)) throw new CoseMalformed('COSE_Encrypt ciphertext must be a bstr or nil');
  return { headers, ciphertext: ciphertext as Uint8Array | null, recipients: decodeRecipients(recipients, options) };
}

/**
 * Decrypts a COSE_Encrypt: finds a recipient the key (or resolver) serves, recovers the CEK and
 * decrypts. ERR_COSE_DECRYPT_FAILED (fixed message) when no usable recipient yields a CEK that
 * authenticates the content; ERR_COSE_NO_KEY when no recipient fits the key.
 */
export async function decryptEncrypt(bytes: Uint8Array, key: KeyInput, options: DecryptEncryptOptions = {}): Promise<DecryptEncryptResult> {
  const { provider = webCryptoProvider, externalAad = new Uint8Array(0) } = options;
  const { headers, ciphertext: slot, recipients } = decodeEncrypt(bytes, options);
  const alg = contentAlgOf(headers, options.algorithms);
  const iv = ivOf(headers, alg);
  const ciphertext = attachedOrDetached(slot, options.detachedCiphertext, 'COSE_Encrypt', 'ciphertext');
  return useRecipients(provider, alg, recipients, key, options.kdf, async (cek, index, ralg) => {
    const plaintext = await decryptContent(provider, alg, cek, iv, ciphertext.bytes, 'Encrypt', headers.protectedBytes, externalAad);
    return { headers, alg, plaintext, recipient: { index, headers: recipients[index]!.headers, alg: ralg } };
  });
}
