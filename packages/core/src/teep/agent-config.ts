/** An AgentConfig with every default filled in (agent-types.ts documents each option). */
import { bytesEqual } from '../cose/bytes.js';
import { publicCoseKey, type CoseKey } from '../cose/key.js';
import { InvalidArgument } from '../errors.js';
import { resolvePartyConfig, type ResolvedPartyConfig } from './party-config.js';
import { randomBytes } from './session-util.js';
import type { AgentConfig } from './agent-types.js';

export interface ResolvedAgentConfig extends AgentConfig, ResolvedPartyConfig {
  /** The key EATs and SUIT reports are encrypted to, when encryption is on. */
  readonly encryptionKey?: CoseKey;
  readonly randomBytes: (length: number) => Uint8Array;
}

function sameKey(a: CoseKey, b: CoseKey): boolean {
  return a.x !== undefined && b.x !== undefined && bytesEqual(a.x, b.x);
}

export function resolveAgentConfig(config: AgentConfig): ResolvedAgentConfig {
  // -26 §4.5: "the cryptographic key used MUST be distinct from the key used for the TEEP message".
  if (config.keys.some((k) => sameKey(k, config.suitReportKey))) throw new InvalidArgument('the SUIT report key must differ from the TEEP message keys');
  const party = resolvePartyConfig(config);
  if (party.suites.length === 0) throw new InvalidArgument('the Agent has no key for any TEEP cipher suite');
  const encrypt = config.encryptToTam ?? true;
  return {
    ...config,
    ...party,
    ...(encrypt && config.tamKeyAgreementKey && { encryptionKey: config.tamKeyAgreementKey }),
    randomBytes: (n) => randomBytes(config.random, n),
  };
}

const publicMemo = new WeakMap<CoseKey, CoseKey>();

/**
 * publicCoseKey(key), the same object for the same key object (a public key is its own public part):
 * the thumbprint and KeyObject caches work per key object, and the Agent's keys are long-lived.
 * A memo entry is used only while kty, crv, x and y are the same values as when it was made.
 */
export function publicKeyOf(key: CoseKey): CoseKey {
  if (key.d === undefined && key.kty !== 'Symmetric') return key;
  const p = publicMemo.get(key);
  if (p !== undefined && p.kty === key.kty && p.crv === key.crv && p.x === key.x && p.y === key.y && p.kid === key.kid && p.alg === key.alg) return p;
  const fresh = publicCoseKey(key);
  publicMemo.set(key, fresh);
  return fresh;
}
