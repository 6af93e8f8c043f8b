/**
 * The CLI side of the one key-file loader: reads a file (or `-` for standard input) and hands the
 * bytes to core's `parseKeyFile`, which detects PEM (SPKI, PKCS#8, SEC1, certificates), JWK or
 * COSE_Key (binary or hex) from the content. Every command that takes a key uses these.
 */
import { parseKeyFile, type CoseKey, type KeyFile } from '@otrp/core';
import { readInput } from './io.js';

/** Reads and parses a key file. Failures: ERR_FILE_READ, ERR_COSE_KEY_INVALID, ERR_COSE_KEY_MISMATCH. */
export async function readKeyFile(file: string): Promise<KeyFile> {
  return parseKeyFile(await readInput(file));
}

/** The key a verifier trusts: the public part of an asymmetric key file, or a symmetric key. */
export async function readPublicKeyFile(file: string): Promise<CoseKey> {
  const k = await readKeyFile(file);
  return k.publicKey ?? k.key;
}
