/**
 * Content encryption shared by COSE_Encrypt0 and COSE_Encrypt (RFC 9052 §5.3): IV handling, the
 * Enc_structure as AAD for AEADs, and the non-AEAD rules of RFC 9459 §4 for A128CTR (empty
 * protected bucket, no external AAD: nothing would authenticate them).
 */
import { getAlgorithm, type ContentAlgorithm } from './algorithms.js';
import type { CryptoProvider } from './crypto-provider.js';
import { COSE_HEADER, headerValue, type CoseHeaders, type HeaderInput } from './headers.js';
import { bytesEqual } from './bytes.js';
import { encodeEncStructure } from './sig-structure.js';
import { CoseDecryptFailed, CoseHeaderUnsupported, CoseKeyMismatch, CoseMalformed, CoseUnsupportedAlg } from './errors.js';
import { guardAsync } from './guard.js';

export type EncContext = 'Encrypt' | 'Encrypt0';

/** The content algorithm named by `headers`. */
export function contentAlgOf(headers: CoseHeaders, accepted?: readonly number[]): ContentAlgorithm {
  const id = headerValue(headers, COSE_HEADER.alg);
  if (id === undefined) throw new CoseMalformed('alg header missing');
  const alg = getAlgorithm(id, 'content');
  if (accepted && !accepted.includes(alg.id)) throw new CoseUnsupportedAlg(`algorithm ${alg.name} not accepted here`);
  return alg;
}

/** The IV of a received message (RFC 9052 §3.1); Partial IV needs a context IV this layer does not keep. */
export function ivOf(headers: CoseHeaders, alg: ContentAlgorithm): Uint8Array {
  const iv = headerValue(headers, COSE_HEADER.iv);
  if (iv === undefined) {
    if (headerValue(headers, COSE_HEADER.partialIv) !== undefined) throw new CoseHeaderUnsupported('Partial IV is not supported');
    throw new CoseMalformed('IV header missing');
  }
  if (!(iv instanceof Uint8Array) || iv.length !== alg.ivLength) throw new CoseMalformed(`${alg.name} needs a ${alg.ivLength}-byte IV`);
  return iv;
}

/** The IV of a create call: the option, else an `iv` header the caller gave, else random. */
export function chooseIv(provider: CryptoProvider, alg: ContentAlgorithm, explicit: Uint8Array | undefined, prot: HeaderInput, unprot: HeaderInput): Uint8Array {
  const fromHeader = prot?.get(COSE_HEADER.iv) ?? unprot?.get(COSE_HEADER.iv);
  if (fromHeader !== undefined && !(fromHeader instanceof Uint8Array)) throw new CoseMalformed('iv header must be a bstr');
  if (explicit && fromHeader && !bytesEqual(explicit, fromHeader)) throw new CoseMalformed('iv option and iv header differ');
  return explicit ?? fromHeader ?? provider.randomBytes(alg.ivLength);
}

/** Checks the non-AEAD restrictions (RFC 9459 §4). */
export function checkNonAead(alg: ContentAlgorithm, protectedBytes: Uint8Array, externalAad: Uint8Array): void {
  if (alg.aead) return;
  if (protectedBytes.length !== 0) throw new CoseMalformed(`${alg.name} requires an empty protected header`);
  if (externalAad.length !== 0) throw new CoseMalformed(`${alg.name} cannot authenticate external AAD`);
}

export function checkCekLength(alg: ContentAlgorithm, cek: Uint8Array): void {
  if (cek.length !== alg.keyLength) throw new CoseKeyMismatch(`${alg.name} needs a ${alg.keyLength}-byte key`);
}

export async function encryptContent(
  provider: CryptoProvider,
  alg: ContentAlgorithm,
  cek: Uint8Array,
  iv: Uint8Array,
  plaintext: Uint8Array,
  context: EncContext,
  protectedBytes: Uint8Array,
  externalAad: Uint8Array,
): Promise<Uint8Array> {
  checkCekLength(alg, cek);
  checkNonAead(alg, protectedBytes, externalAad);
  if (iv.length !== alg.ivLength) throw new CoseMalformed(`${alg.name} needs a ${alg.ivLength}-byte IV`);
  const aad = alg.aead ? encodeEncStructure(context, protectedBytes, externalAad) : new Uint8Array(0);
  return guardAsync(
    () => provider.encrypt(alg, cek, iv, plaintext, aad),
    (e) => new CoseKeyMismatch('encryption failed', { cause: e }),
  );
}

/** Decrypts or throws CoseDecryptFailed (fixed message). */
export async function decryptContent(
  provider: CryptoProvider,
  alg: ContentAlgorithm,
  cek: Uint8Array,
  iv: Uint8Array,
  ciphertext: Uint8Array,
  context: EncContext,
  protectedBytes: Uint8Array,
  externalAad: Uint8Array,
): Promise<Uint8Array> {
  checkNonAead(alg, protectedBytes, externalAad);
  if (cek.length !== alg.keyLength || ciphertext.length < alg.tagLength) throw new CoseDecryptFailed();
  const aad = alg.aead ? encodeEncStructure(context, protectedBytes, externalAad) : new Uint8Array(0);
  try {
    return await provider.decrypt(alg, cek, iv, ciphertext, aad);
  } catch (e) {
    throw new CoseDecryptFailed({ cause: e });
  }
}
