/**
 * What both TEEP parties configure alike, and its defaults: the TAM's TamConfig (tam-types.ts) and
 * the Agent's AgentConfig (agent-types.ts) extend TeepPartyConfig; resolveTamConfig and
 * resolveAgentConfig start from resolvePartyConfig.
 */
import type { CoseKey } from '../cose/key.js';
import { InvalidArgument } from '../errors.js';
import { suitesForKeys, type TeepSigningKeys } from './cipher-suites.js';
import { resolveTeepProfile, TEEP_FRESHNESS, type SuitCoseProfile, type TeepCipherSuite, type TeepProfile, type TeepProfileName } from './profiles.js';

export interface TeepPartyConfig {
  /** Wire numbering spoken with the peer (default draft-26). */
  readonly profile?: TeepProfileName;
  /**
   * The party's TEEP signing keys (private), one per algorithm it offers (-26 §8.1: at least one of
   * ESP256 / Ed25519).
   */
  readonly keys: readonly CoseKey[];
  /** Certificate chain of each key (same order; leaf first, root omitted), sent as x5chain. */
  readonly certificateChains?: readonly (readonly Uint8Array[] | undefined)[];
  /** Suites supported, preferred first (default: the profile's suites the keys can sign). */
  readonly cipherSuites?: readonly TeepCipherSuite[];
  /** Protocol versions supported (default [0], -26 §4.2). */
  readonly versions?: readonly number[];
  /**
   * Freshness mechanisms supported (default [0], nonce: the one every implementation MUST support,
   * -26 §9). Only the nonce is implemented: the timestamp mechanism (1, a MAY) would need `iat`
   * appraised against a clock window, which nothing does, so a list with any other value is refused
   * (InvalidArgument) rather than offered and then not honoured.
   */
  readonly freshnessMechanisms?: readonly number[];
  /** SUIT COSE profiles supported for SUIT reports (default: the profile's). */
  readonly suitCoseProfiles?: readonly SuitCoseProfile[];
}

/** The defaults of a TeepPartyConfig, filled in. */
export interface ResolvedPartyConfig {
  readonly teepProfile: TeepProfile;
  readonly signing: TeepSigningKeys;
  readonly suites: readonly TeepCipherSuite[];
  readonly allVersions: readonly number[];
  readonly allFreshness: readonly number[];
  readonly allSuitProfiles: readonly SuitCoseProfile[];
}

export function resolvePartyConfig(config: TeepPartyConfig): ResolvedPartyConfig {
  const teepProfile = resolveTeepProfile(config.profile);
  const freshness = config.freshnessMechanisms;
  if (freshness !== undefined && (freshness.length === 0 || freshness.some((m) => m !== TEEP_FRESHNESS.nonce))) {
    throw new InvalidArgument(`freshness mechanisms [${freshness.join(', ')}]: only the nonce mechanism (0) is implemented (-26 §9)`);
  }
  return {
    teepProfile,
    signing: { keys: config.keys, ...(config.certificateChains && { chains: config.certificateChains }) },
    suites: config.cipherSuites ?? suitesForKeys(teepProfile.cipherSuites, config.keys),
    allVersions: config.versions ?? [0],
    allFreshness: config.freshnessMechanisms ?? [TEEP_FRESHNESS.nonce],
    allSuitProfiles: config.suitCoseProfiles ?? teepProfile.suitCoseProfiles,
  };
}
