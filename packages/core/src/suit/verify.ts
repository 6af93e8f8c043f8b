/**
 * Public verification entry point: decode + authenticate + severed-member check, without processing
 * (what `otrp suit verify` does). Dependencies inside are authenticated only when processed.
 */
import type { CryptoProvider } from '../cose/crypto-provider.js';
import { authenticateEnvelope, checkSeveredMembers, type SuitAuthResult, type SuitTrust } from './authenticate.js';
import { decodeEnvelope, type SuitEnvelope } from './envelope.js';
import { decodeManifest, type SuitManifest } from './manifest.js';

export interface SuitVerifyResult extends SuitAuthResult {
  readonly envelope: SuitEnvelope;
  readonly manifest: SuitManifest;
}

/**
 * Verifies a SUIT_Envelope: digest, an authentication block from `trust`, then every severed member
 * present; `provider` (default WebCrypto) hashes and verifies.
 */
export async function verifyEnvelope(bytes: Uint8Array, trust: SuitTrust, provider?: CryptoProvider): Promise<SuitVerifyResult> {
  const envelope = decodeEnvelope(bytes);
  const auth = await authenticateEnvelope(envelope, trust, provider);
  const manifest = decodeManifest(envelope.manifestBytes);
  await checkSeveredMembers(envelope, manifest, provider);
  return { ...auth, envelope, manifest };
}
