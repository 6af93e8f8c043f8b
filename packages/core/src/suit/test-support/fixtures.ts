/**
 * Test fixtures for suit/: the example keys of the drafts (vectors/suit/keys, vectors/teep/keys) and
 * an in-memory component storage / sequence store that records every call.
 */
import { decodeCoseKey, publicCoseKey, type CoseKey } from '../../cose/key.js';
import { readVectorHex } from '../../test-support/vectors.js';
import { componentKey } from '../machine-context.js';
import type { SuitComponentId } from '../manifest.js';
import type { SuitSequenceStore, SuitStorage } from '../processor-types.js';

const enc = new TextEncoder();

export const keys = {
  /** The SUIT example signer (suit-manifest-37 App. B, trust-domains-12, firmware-encryption §9, TEEP App. E). */
  signerPriv: (): CoseKey => decodeCoseKey(readVectorHex('suit', 'keys', 'suit-example-signer-p256.priv.cose_key.hex')),
  signer: (): CoseKey => decodeCoseKey(readVectorHex('suit', 'keys', 'suit-example-signer-p256.pub.cose_key.hex')),
  /** firmware-encryption §9: the dependent manifest's signer. */
  fwencDependencySigner: (): CoseKey => decodeCoseKey(readVectorHex('suit', 'keys', 'fwenc-dependency-signer-p256.pub.cose_key.hex')),
  esdhReceiverPriv: (): CoseKey => decodeCoseKey(readVectorHex('suit', 'keys', 'esdh-receiver-p256.priv.cose_key.hex')),
  esdhReceiver: (): CoseKey => publicCoseKey(decodeCoseKey(readVectorHex('suit', 'keys', 'esdh-receiver-p256.priv.cose_key.hex'))),
  /** A128KW KEK 'aaaaaaaaaaaaaaaa', kid 'kid-1'. */
  aeskwKek: (): CoseKey => ({ kty: 'Symmetric', k: enc.encode('a'.repeat(16)), kid: enc.encode('kid-1') }),
  /** HMAC 256/256 key of the COSE_Mac0 blocks: 32 x 'a'. */
  hmac: (): CoseKey => ({ kty: 'Symmetric', k: enc.encode('a'.repeat(32)) }),
};

export function text(s: string): Uint8Array {
  return enc.encode(s);
}

export function id(...parts: (string | Uint8Array)[]): SuitComponentId {
  return parts.map((p) => (typeof p === 'string' ? enc.encode(p) : p));
}

/** In-memory storage: `data` holds committed contents by componentKey. */
export class MemoryStorage implements SuitStorage {
  readonly data = new Map<string, Uint8Array>();
  writes = 0;
  read(componentId: SuitComponentId): Uint8Array | undefined {
    return this.data.get(componentKey(componentId));
  }
  write(componentId: SuitComponentId, data: Uint8Array): void {
    this.writes++;
    this.data.set(componentKey(componentId), data);
  }
  remove(componentId: SuitComponentId): void {
    this.writes++;
    this.data.delete(componentKey(componentId));
  }
  get(...parts: (string | Uint8Array)[]): Uint8Array | undefined {
    return this.read(id(...parts));
  }
}

export class MemorySequenceStore implements SuitSequenceStore {
  readonly data = new Map<string, bigint>();
  sets = 0;
  get(manifestId: SuitComponentId): bigint | undefined {
    return this.data.get(componentKey(manifestId));
  }
  set(manifestId: SuitComponentId, seq: bigint): void {
    this.sets++;
    this.data.set(componentKey(manifestId), seq);
  }
}

export function hex(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
}

export const M37_SYSTEM = { vendorId: hex('fa6b4a53d5ad5fdfbe9de663e4d41ffe'), classId: hex('1492af1425695e48bf429b2d51f2ab45'), componentSlot: 0 };
export const TEEP_SYSTEM = { vendorId: hex('C0DDD5F15243566087DB4F5B0AA26C2F'), classId: hex('DB42F7093D8C55BAA8C5265FC5820F4E') };
export const TC_ID = id('TEEP-Device', 'SecureFS', hex('8D82573A926D4754935332DC29997F74'), 'ta');
export const TC_MANIFEST_ID = id('TEEP-Device', 'SecureFS', hex('8D82573A926D4754935332DC29997F74'), 'suit');

/** Index of `needle` in `hay` (throws when absent, so a test never edits the wrong bytes). */
export function indexOf(hay: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  throw new Error('pattern not found in vector');
}

/** A copy of `bytes` with one bit flipped at `offset`. */
export function flipBit(bytes: Uint8Array, offset: number, bit = 0): Uint8Array {
  const out = bytes.slice();
  out[offset] = out[offset]! ^ (1 << bit);
  return out;
}
