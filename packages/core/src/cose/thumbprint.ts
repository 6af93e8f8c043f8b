/**
 * COSE Key thumbprint (RFC 9679 §3): the hash of the deterministic CBOR encoding (RFC 8949
 * §4.2.1) of a map holding only the key's required parameters: EC2 {kty, crv, x, y}, OKP
 * {kty, crv, x}, Symmetric {kty, k}. SHA-256 by default (RFC 9679 §5 uses it in the example).
 * The same value for a private key and its public part, by construction.
 *
 * Thumbprints of EC2/OKP keys are memoized, because otrp names every TEEP signer by its thumbprint
 * (the kid of the -26 §5 EAT profile, used for messages too: -26 §4.1.1 leaves the header to the
 * sender) and the same few keys sign and verify every message. The memo is exact: a thumbprint
 * is a pure function of (hash, thumbprintInput(key)). Per key object, the entry keeps a copy of the
 * public members it was computed from and is used only while they are unchanged; keys rebuilt from
 * the wire hit a small LRU keyed by the hash name and the thumbprint input itself. Symmetric keys
 * (secret `k`) are never memoized, so no secret outlives its key object here.
 */
import { encodeCbor } from '../wire/cbor.js';
import { toHex } from '../wire/hex.js';
import type { CborMap, CborValue } from '../wire/cbor-value.js';
import type { HashName } from './algorithms.js';
import { bytesEqual } from './bytes.js';
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

/** What a per-key-object memo entry was computed from (copies, so in-place changes are seen). */
interface KeyMemo {
  readonly hash: HashName;
  readonly kty: CoseKey['kty'];
  readonly crv: CoseKey['crv'];
  readonly x: Uint8Array | undefined;
  readonly y: Uint8Array | undefined;
  readonly print: Uint8Array;
}

const byKeyObject = new WeakMap<CoseKey, KeyMemo>();
/** Thumbprints of public key material by `${hash}:${hex(thumbprintInput)}`, least recently used first. */
const byInput = new Map<string, Uint8Array>();
const LRU_SIZE = 4096;

const copy = (b: Uint8Array | undefined) => (b === undefined ? undefined : b.slice());
const same = (a: Uint8Array | undefined, b: Uint8Array | undefined) => (a === undefined ? b === undefined : b !== undefined && bytesEqual(a, b));

function memoFor(key: CoseKey, hash: HashName): Uint8Array | undefined {
  const m = byKeyObject.get(key);
  if (m === undefined || m.hash !== hash || m.kty !== key.kty || m.crv !== key.crv || !same(m.x, key.x) || !same(m.y, key.y)) return undefined;
  return m.print;
}

/** RFC 9679 thumbprint of `key` (a new array on every call: callers may keep or change it). */
export async function coseKeyThumbprint(key: CoseKey, hash: HashName = 'SHA-256', provider: CryptoProvider = webCryptoProvider): Promise<Uint8Array> {
  // checkCoseKey first, so a memo never answers for a key that thumbprintInput would refuse.
  const memo = checkCoseKey(key).kty !== 'Symmetric' ? memoFor(key, hash) : undefined;
  if (memo !== undefined) return memo.slice();
  const input = thumbprintInput(key);
  if (key.kty === 'Symmetric') return provider.digest(hash, input);
  const id = `${hash}:${toHex(input)}`;
  let print = byInput.get(id);
  if (print === undefined) {
    print = (await provider.digest(hash, input)).slice();
    if (byInput.size >= LRU_SIZE) byInput.delete(byInput.keys().next().value!);
  } else byInput.delete(id);
  byInput.set(id, print);
  byKeyObject.set(key, { hash, kty: key.kty, crv: key.crv, x: copy(key.x), y: copy(key.y), print });
  return print.slice();
}
