/**
 * Encryption of EATs and SUIT reports to the TAM (draft-ietf-teep-protocol-26 §8.2): the Agent
 * "SHOULD encrypt it using the TAM as the recipient" with ES-DH: a COSE_Encrypt (two layers, content
 * never detached) whose recipient uses ECDH-ES+A128KW, and whose COSE_KDF_Context
 * SuppPubInfo.other is "EAT Encryption" for an EAT and "SUIT Report Encryption" for a SUIT report.
 * The content algorithm completes the -26 §8.2 suite of the signature inside: A128GCM after ESP256
 * (suit-sha256-esp256-ecdh-a128gcm), ChaCha20/Poly1305 after Ed25519
 * (suit-sha256-ed25519-ecdh-chacha-poly). The TAM decrypts whichever the header names.
 */
import { COSE_ALG } from '../cose/algorithms.js';
import { createEncrypt, decryptEncrypt } from '../cose/encrypt.js';
import type { CoseKey } from '../cose/key.js';
import type { CryptoProvider } from '../cose/crypto-provider.js';
import { COSE_TAG } from '../cose/message.js';
import { decodeSign1 } from '../cose/sign1.js';
import { COSE_HEADER, headerValue } from '../cose/headers.js';
import { MT, readHead } from '../wire/head.js';

/** KDF context `other` strings (-26 §8.2). */
export const TEEP_KDF_OTHER = { eat: 'EAT Encryption', suitReport: 'SUIT Report Encryption' } as const;
export type TeepEncryptedContent = keyof typeof TEEP_KDF_OTHER;

/**
 * Encrypts `plaintext` (a signed EAT or SUIT report) to the TAM's key-agreement public key.
 * `signAlg` is the algorithm that signed it, when the caller knows it; otherwise it is read from the
 * plaintext's header.
 */
export async function encryptToTam(
  plaintext: Uint8Array, tamKey: CoseKey, content: TeepEncryptedContent, provider?: CryptoProvider, signAlg: unknown = signAlgOf(plaintext),
): Promise<Uint8Array> {
  return createEncrypt({
    plaintext,
    alg: signAlg === COSE_ALG.Ed25519 || signAlg === COSE_ALG.EdDSA ? COSE_ALG['ChaCha20/Poly1305'] : COSE_ALG.A128GCM,
    recipients: [{ alg: COSE_ALG['ECDH-ES+A128KW'], key: tamKey, kdf: { suppPubOther: TEEP_KDF_OTHER[content] } }],
    ...(provider && { provider }),
  });
}

/** The signature algorithm of a COSE_Sign1 (undefined when it is not one: the content is then A128GCM). */
function signAlgOf(signed: Uint8Array): unknown {
  try {
    return headerValue(decodeSign1(signed).headers, COSE_HEADER.alg);
  } catch {
    return undefined;
  }
}

/**
 * True when `bytes` starts with the COSE_Encrypt tag (96, in any encoding of its head, as the decoder
 * accepts): how an encrypted payload is told from a signed one. Only the head is read; the path that
 * takes the bytes decodes and checks all of them (a malformed item is refused there).
 */
export function isEncryptedToTam(bytes: Uint8Array): boolean {
  try {
    const h = readHead(bytes, 0);
    return h.major === MT.TAG && h.arg === COSE_TAG.COSE_Encrypt;
  } catch {
    return false;
  }
}

/** Decrypts what `encryptToTam` produced with the TAM's key-agreement private key. */
export async function decryptFromAgent(bytes: Uint8Array, tamPrivateKey: CoseKey, content: TeepEncryptedContent, provider?: CryptoProvider): Promise<Uint8Array> {
  const r = await decryptEncrypt(bytes, tamPrivateKey, { kdf: { suppPubOther: TEEP_KDF_OTHER[content] }, ...(provider && { provider }) });
  return r.plaintext;
}
