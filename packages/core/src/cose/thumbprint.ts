/**
 * COSE Key thumbprint (RFC 9679 §3): the hash of the deterministic CBOR encoding (RFC 8949
 * §4.2.1) of a map holding only the key's required parameters: EC2 {kty, crv, x, y}, OKP
 * {kty, crv, x}, Symmetric {kty, k}. SHA-256 by default (RFC 9679 §5 uses it in the example).
 * The same value for a private key and its public part, by construction.
 */
import { encodeCbor } from '../wire/cbor.js';
import type { CborMap, CborValue } from '../wire/cbor-value.js';
import type { HashName } from './algorithms.js';
import type { CryptoProvider } from './crypto-provider.js';
import { COSE_CRV, COSE_KEY_LABEL, COSE_KTY, checkCoseKey, type CoseKey } from './key.js';
import { webCryptoProvider } from './webcrypto-provider.js';

/** The bytes that are hashed: the required members, deterministically encoded. */
export function thumbprintInput(key: CoseKey): Uint8Array {
  checkCoseKey(key);
  const m: CborMap = new Map<CborValue, CborValue>([[COSE_KEY_LABEL.kty, COSE_KTY[key.kty]]]);
  if (key.kty === 'Symmetric') m.set(COSE_KEY_LABEL.k, key.k!);
  else {
    m.set(COSE_KEY_LABEL.crv, COSE_CRV[key.crv!]);
    m.set(COSE_KEY_LABEL.x, key.x!);
    if (key.kty === 'EC2') m.set(COSE_KEY_LABEL.y, key.y!);
  }
  return encodeCbor(m, { deterministic: true });
}

/** RFC 9679 thumbprint of `key`. */
export async function coseKeyThumbprint(key: CoseKey, hash: HashName = 'SHA-256', provider: CryptoProvider = webCryptoProvider): Promise<Uint8Array> {
  return provider.digest(hash, thumbprintInput(key));
}
