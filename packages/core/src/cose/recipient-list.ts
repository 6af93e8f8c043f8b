/**
 * The recipients array of COSE_Encrypt and COSE_Mac (RFC 9052 §5.1, §6.1): building all recipients
 * for one CEK, decoding them, and finding the one a key serves.
 *
 * ```cddl
 * recipients : [+COSE_recipient]
 * ```
 */
import type { CborValue } from '../wire/cbor-value.js';
import type { RecipientAlgorithm } from './algorithms.js';
import type { CryptoProvider } from './crypto-provider.js';
import { COSE_HEADER, decodeHeaders, headerValue, type CoseHeaders, type HeaderDecodeOptions } from './headers.js';
import { resolveKey, type KeyInput } from './signer.js';
import type { KdfContextOptions } from './kdf-context.js';
import { createRecipient, determinesCek, keyFitsRecipient, recipientAlgOf, recipientCek, type CekAlgorithm, type RecipientOptions } from './recipient.js';
import { CoseDecryptFailed, CoseMalformed, CoseNoKey } from './errors.js';
import { isOtrpError } from '../errors.js';

/**
 * Builds all recipients. The CEK is `cek`, or random, or, when a recipient fixes it (direct, direct
 * key agreement), derived by that recipient, which must then be the only one (RFC 9052 §5.1).
 */
export async function createRecipients(
  provider: CryptoProvider,
  target: CekAlgorithm,
  cek: Uint8Array | undefined,
  recipients: readonly RecipientOptions[],
): Promise<{ items: CborValue[]; cek: Uint8Array }> {
  if (recipients.length === 0) throw new CoseMalformed('at least one recipient is required');
  const fixing = recipients.filter((r) => determinesCek(recipientAlgOf(r.alg))).length;
  if (fixing > 0 && recipients.length > 1) throw new CoseMalformed('a direct recipient must be the only recipient');
  let key = fixing ? cek : (cek ?? provider.randomBytes(target.keyLength));
  const items: CborValue[] = [];
  for (const r of recipients) {
    const made = await createRecipient(provider, target, key, r);
    key = made.cek;
    items.push(made.item);
  }
  return { items, cek: key! };
}

/** A decoded COSE_recipient. */
export interface DecodedRecipient {
  headers: CoseHeaders;
  ciphertext: Uint8Array | null;
  recipients?: DecodedRecipient[];
}

/** Decodes the recipients array of a COSE_Encrypt / COSE_Mac (nesting limited to a few levels). */
export function decodeRecipients(v: CborValue, options: HeaderDecodeOptions, depth = 0): DecodedRecipient[] {
  if (!Array.isArray(v) || v.length === 0) throw new CoseMalformed('recipients must be a non-empty array');
  if (depth > 4) throw new CoseMalformed('recipients nested too deeply');
  return v.map((r) => {
    if (!Array.isArray(r) || (r.length !== 3 && r.length !== 4)) throw new CoseMalformed('COSE_recipient must be an array of 3 or 4 elements');
    if (r[2] !== null && !(r[2] instanceof Uint8Array)) throw new CoseMalformed('COSE_recipient ciphertext must be a bstr or nil');
    return {
      headers: decodeHeaders(r[0], r[1], options),
      ciphertext: r[2] as Uint8Array | null,
      ...(r.length === 4 && { recipients: decodeRecipients(r[3], options, depth + 1) }),
    };
  });
}

/**
 * Tries each recipient the key (or resolver) serves: recovers the CEK and hands it to `use`, which
 * decrypts or checks the MAC. Returns the first success; otherwise rethrows the last failure, or
 * ERR_COSE_UNSUPPORTED_ALG when only unsupported recipients were met, or ERR_COSE_NO_KEY.
 * Nested recipients (a recipient with its own recipients) are not used.
 */
export async function useRecipients<T>(
  provider: CryptoProvider,
  target: CekAlgorithm,
  recipients: readonly DecodedRecipient[],
  key: KeyInput,
  kdf: KdfContextOptions | undefined,
  use: (cek: Uint8Array, index: number, alg: RecipientAlgorithm) => Promise<T>,
): Promise<T> {
  let lastFailure: unknown;
  let unsupported: unknown;
  for (const [index, r] of recipients.entries()) {
    let alg: RecipientAlgorithm;
    try {
      alg = recipientAlgOf(headerValue(r.headers, COSE_HEADER.alg));
    } catch (e) {
      unsupported = e;
      continue;
    }
    if (r.ciphertext === null || r.recipients) continue;
    const k = await resolveKey(key, r.headers);
    if (!k || (typeof key !== 'function' && !keyFitsRecipient(k, alg, r.headers))) continue;
    try {
      return await use(await recipientCek(provider, target, alg, r.headers, r.ciphertext, k, kdf), index, alg);
    } catch (e) {
      if (!isOtrpError(e)) throw new CoseDecryptFailed({ cause: e });
      lastFailure = e;
    }
  }
  if (lastFailure !== undefined) throw lastFailure;
  if (unsupported !== undefined) throw unsupported;
  throw new CoseNoKey('no recipient matches the key');
}
