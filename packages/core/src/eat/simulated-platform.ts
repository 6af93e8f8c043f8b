/**
 * Evidence claims for a **simulated** platform: otrp's simulated TEE (device package) and the TAM
 * attesting itself (tam package) run on no attestable hardware, so what their Evidence says names
 * the simulation, in fixed values a Verifier's reference values can list.
 *
 * The TEEP EAT profile (draft-ietf-teep-protocol-26 §5) requires ueid, oemid, hwmodel, hwversion and
 * manifests (cnf and eat_nonce are added per message by core's Evidence source). Here: ueid = type
 * 0x01 (RAND, RFC 9711 §4.2.1) and 16 bytes of SHA-256 over the SPKI of the key the platform is known
 * by; oemid = 16 bytes (the random form, RFC 9711 §4.2) derived from a label; one manifests entry,
 * a SUIT reference (URI and SHA-256 digest) naming this build of the simulation.
 */
import { coseKeyToSpki } from '../cose/key-pem.js';
import { publicCoseKey, type CoseKey } from '../cose/key.js';
import type { CryptoProvider } from '../cose/crypto-provider.js';
import { webCryptoProvider } from '../cose/webcrypto-provider.js';
import type { EatClaims } from './claims.js';
import { suitReferenceManifest } from './teep-profile.js';

/** What names one simulated platform; the byte values are derived from these labels. */
export interface SimulatedPlatform {
  /** hwmodel, UTF-8 (1..32 bytes, as eat/claims.ts decodes it); it should say "simulated". */
  readonly hwmodel: string;
  /** hwversion (default '1.0'). */
  readonly hwversion?: string;
  /** Hashed into the 16-byte oemid. */
  readonly oemidLabel: string;
  /** The software the manifests claim names: this build of the simulation. */
  readonly manifestUri: string;
  /** Hashed into that manifest reference's SHA-256 digest. */
  readonly manifestLabel: string;
}

const utf8 = (s: string) => new TextEncoder().encode(s);

/**
 * The platform's claims, with the ueid of `identityKey` (public or private: only its public part is
 * hashed). Compute them once per key and reuse them: every value is fixed.
 */
export async function simulatedPlatformClaims(platform: SimulatedPlatform, identityKey: CoseKey, provider: CryptoProvider = webCryptoProvider): Promise<EatClaims> {
  const [spkiHash, oemidHash, manifestDigest] = await Promise.all([
    provider.digest('SHA-256', coseKeyToSpki(publicCoseKey(identityKey))),
    provider.digest('SHA-256', utf8(platform.oemidLabel)),
    provider.digest('SHA-256', utf8(platform.manifestLabel)),
  ]);
  return {
    ueid: new Uint8Array([0x01, ...spkiHash.subarray(0, 16)]),
    oemid: oemidHash.slice(0, 16),
    hwmodel: utf8(platform.hwmodel),
    hwversion: { version: platform.hwversion ?? '1.0' },
    manifests: [suitReferenceManifest({ uri: platform.manifestUri, digest: { algorithmId: -16, bytes: manifestDigest } })],
  };
}
