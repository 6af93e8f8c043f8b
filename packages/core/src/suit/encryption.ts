/**
 * SUIT payload encryption (draft-ietf-suit-firmware-encryption §4-6): SUIT_Encryption_Info is a
 * COSE_Encrypt (tag 96) with a detached ciphertext and one recipient per device or KEK.
 *
 * ```cddl
 * SUIT_Encryption_Info = #6.96(COSE_Encrypt)
 * COSE_recipient_AESKW = [ protected: bstr .size 0 / bstr .cbor {}, unprotected: {? 1 => alg, ? 4 => kid}, ciphertext: bstr ]
 * COSE_recipient_ESDH  = [ protected: bstr .cbor {? 1 => alg}, unprotected: {? 4 => kid, -1 => COSE_Key}, ciphertext: bstr ]
 * COSE_KDF_Context = [ AlgorithmID: int, PartyUInfo: [nil, nil, nil], PartyVInfo: [nil, nil, nil],
 *                      SuppPubInfo: [ keyDataLength: uint, protected: bstr, other: 'SUIT Payload Encryption' ] ]
 * ```
 * The COSE layer does the work (cose/encrypt.ts); this file fixes the SUIT profile: detached
 * ciphertext, the KDF `other` string, A128KW or ECDH-ES+A128KW recipients, and typed SUIT errors.
 */
import { decodeCbor, encodeCbor } from '../wire/cbor.js';
import { CborTag } from '../wire/cbor-value.js';
import { createEncrypt, decryptEncrypt } from '../cose/encrypt.js';
import { COSE_ALG } from '../cose/algorithms.js';
import type { CoseKey } from '../cose/key.js';
import type { CryptoProvider } from '../cose/crypto-provider.js';
import { isOtrpError } from '../errors.js';
import { SuitDecryptionFailed, SuitInvalidSpec, SuitMalformed } from './errors.js';
import type { SuitDecryptionKeys } from './processor-types.js';

/** firmware-encryption §5.2.4: the KDF context `other` for payloads. */
export const SUIT_PAYLOAD_KDF_OTHER = 'SUIT Payload Encryption';

/**
 * Decrypts a detached payload with SUIT_Encryption_Info (bstr .cbor content), trying each key.
 * Key or integrity failures are SuitDecryptionFailed (fixed message); structure errors SuitMalformed.
 */
export async function decryptPayload(
  encryptionInfo: Uint8Array, ciphertext: Uint8Array, keys: SuitDecryptionKeys, provider?: CryptoProvider,
): Promise<Uint8Array> {
  let last: unknown;
  for (const key of [...(keys.keks ?? []), ...(keys.privateKeys ?? [])]) {
    try {
      const r = await decryptEncrypt(encryptionInfo, key, {
        detachedCiphertext: ciphertext,
        kdf: { suppPubOther: SUIT_PAYLOAD_KDF_OTHER },
        tag: 'required',
        ...(provider ? { provider } : {}),
      });
      return r.plaintext;
    } catch (e) {
      if (isOtrpError(e) && e.code === 'ERR_COSE_MALFORMED') throw new SuitMalformed('SUIT_Encryption_Info is malformed', { cause: e });
      last = e;
    }
  }
  throw new SuitDecryptionFailed(last === undefined ? {} : { cause: last });
}

export interface EncryptPayloadOptions {
  /** Content algorithm: A128GCM (1, default) or A128CTR (-65534). */
  readonly contentAlg?: number;
  /** Recipient: a shared A128KW KEK (Symmetric COSE key) or an ECDH-ES+A128KW public key. */
  readonly recipient: CoseKey;
  readonly provider?: CryptoProvider;
}

/** Encrypts a payload for one recipient; returns SUIT_Encryption_Info (bstr content) and the detached ciphertext. */
export async function encryptPayload(plaintext: Uint8Array, options: EncryptPayloadOptions): Promise<{ encryptionInfo: Uint8Array; ciphertext: Uint8Array }> {
  const contentAlg = options.contentAlg ?? COSE_ALG.A128GCM;
  if (contentAlg !== COSE_ALG.A128GCM && contentAlg !== COSE_ALG.A128CTR) throw new SuitInvalidSpec(`content algorithm ${contentAlg} is not a SUIT payload algorithm`);
  const r = options.recipient;
  if (r.kty === 'Symmetric' && r.k?.length !== 16) throw new SuitInvalidSpec('A128KW needs a 16-byte KEK');
  const recipientAlg = r.kty === 'Symmetric' ? COSE_ALG.A128KW : COSE_ALG['ECDH-ES+A128KW'];
  const attached = await createEncrypt({
    plaintext,
    alg: contentAlg,
    recipients: [{ alg: recipientAlg, key: r, ...(recipientAlg === COSE_ALG['ECDH-ES+A128KW'] ? { kdf: { suppPubOther: SUIT_PAYLOAD_KDF_OTHER } } : {}) }],
    tagged: true,
    ...(options.provider ? { provider: options.provider } : {}),
  });
  // Build attached, then detach: the ciphertext travels separately (firmware-encryption §5), and
  // re-encoding keeps the protected bstr as received, so the AAD is unchanged.
  const msg = decodeCbor(attached);
  if (!(msg instanceof CborTag) || !Array.isArray(msg.value) || !(msg.value[2] instanceof Uint8Array)) throw new SuitMalformed('unexpected COSE_Encrypt');
  const items = [...msg.value];
  const ciphertext = items[2] as Uint8Array;
  items[2] = null;
  return { encryptionInfo: encodeCbor(new CborTag(msg.tag, items)), ciphertext };
}
