/**
 * Public verification entry point: decode + authenticate + severed-member check, without processing
 * (what `otrp suit verify` does). Dependencies inside are authenticated only when processed.
 */
import { authenticateEnvelope, checkSeveredMembers, type SuitAuthResult, type SuitTrust } from './authenticate.js';
import { decodeEnvelope, type SuitEnvelope } from './envelope.js';
import { decodeManifest, type SuitManifest } from './manifest.js';

export interface SuitVerifyResult extends SuitAuthResult {
  readonly envelope: SuitEnvelope;
  readonly manifest: SuitManifest;
}

/** Verifies a SUIT_Envelope: digest, an authentication block from `trust`, then every severed member present. */
export async function verifyEnvelope(bytes: Uint8Array, trust: SuitTrust): Promise<SuitVerifyResult> {
  const envelope = decodeEnvelope(bytes);
  const auth = await authenticateEnvelope(envelope, trust);
  const manifest = decodeManifest(envelope.manifestBytes);
  await checkSeveredMembers(envelope, manifest);
  return { ...auth, envelope, manifest };
}
