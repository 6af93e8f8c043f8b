/**
 * The `otrp` section of the TAM configuration file: which TAM key opens sessions and, per TEE, which
 * JWE key transport the TAM uses and accepts. OTrP advertises signature algorithms only
 * (`supportedsigalgs`, -03 §9.1.1), never key transport, so key transport is per-peer configuration
 * (issue 7; docs/otrp-decisions.md §1). RSA1_5 is never in the default: a peer gets it only when listed.
 *
 *   "otrp": {
 *     "signingAlg": "ES256" | "RS256",             default ES256 when tam/esp256 exists
 *     "keyTransport": ["ECDH-ES+A128KW", ...],     default ECDH-ES+A128KW, RSA-OAEP-256
 *     "peers": [ { "subject": "CN=...",            TEE certificate subject (RFC 4514), or
 *                  "thumbprint": "hex",            SHA-256 of the TEE certificate DER
 *                  "keyTransport": ["RSA1_5"] } ],
 *     "maxCommandsPerSession": 32
 *   }
 */
import { DEFAULT_JOSE_POLICY } from '@otrp/core';
import type { JosePolicy, JweKeyAlgorithm } from '@otrp/core';
import { TamOtrpConfigInvalid } from './errors.js';

export interface OtrpPeerConfig {
  readonly subject?: string;
  readonly thumbprint?: string;
  readonly keyTransport: readonly JweKeyAlgorithm[];
}

export interface OtrpTamConfig {
  readonly signingAlg?: 'ES256' | 'RS256';
  readonly keyTransport?: readonly JweKeyAlgorithm[];
  readonly peers?: readonly OtrpPeerConfig[];
  readonly maxCommandsPerSession?: number;
}

const KEY_TRANSPORTS: readonly JweKeyAlgorithm[] = ['ECDH-ES+A128KW', 'RSA-OAEP-256', 'RSA1_5'];
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function keyTransport(v: unknown, where: string): JweKeyAlgorithm[] {
  if (!Array.isArray(v) || v.length === 0 || !v.every((a) => KEY_TRANSPORTS.includes(a as JweKeyAlgorithm))) {
    throw new TamOtrpConfigInvalid(`${where} must be a non-empty array of ${KEY_TRANSPORTS.join(', ')}`);
  }
  return v as JweKeyAlgorithm[];
}

/** Validates the parsed `otrp` object; unknown keys are refused. */
export function parseOtrpConfig(json: unknown): OtrpTamConfig {
  if (!isObject(json)) throw new TamOtrpConfigInvalid('otrp must be an object');
  for (const k of Object.keys(json)) if (!['signingAlg', 'keyTransport', 'peers', 'maxCommandsPerSession'].includes(k)) throw new TamOtrpConfigInvalid(`unknown key otrp.${k}`);
  const out: { -readonly [K in keyof OtrpTamConfig]: OtrpTamConfig[K] } = {};
  if (json['signingAlg'] !== undefined) {
    if (json['signingAlg'] !== 'ES256' && json['signingAlg'] !== 'RS256') throw new TamOtrpConfigInvalid('otrp.signingAlg must be ES256 or RS256');
    out.signingAlg = json['signingAlg'];
  }
  if (json['keyTransport'] !== undefined) out.keyTransport = keyTransport(json['keyTransport'], 'otrp.keyTransport');
  if (json['peers'] !== undefined) {
    if (!Array.isArray(json['peers'])) throw new TamOtrpConfigInvalid('otrp.peers must be an array');
    out.peers = json['peers'].map((p, i) => {
      if (!isObject(p)) throw new TamOtrpConfigInvalid(`otrp.peers[${i}] must be an object`);
      for (const k of Object.keys(p)) if (!['subject', 'thumbprint', 'keyTransport'].includes(k)) throw new TamOtrpConfigInvalid(`unknown key otrp.peers[${i}].${k}`);
      const subject = p['subject'];
      const thumbprint = p['thumbprint'];
      if (subject !== undefined && (typeof subject !== 'string' || subject === '')) throw new TamOtrpConfigInvalid(`otrp.peers[${i}].subject must be a string`);
      if (thumbprint !== undefined && (typeof thumbprint !== 'string' || !/^[0-9a-fA-F]{64}$/.test(thumbprint))) throw new TamOtrpConfigInvalid(`otrp.peers[${i}].thumbprint must be 64 hex digits`);
      if (subject === undefined && thumbprint === undefined) throw new TamOtrpConfigInvalid(`otrp.peers[${i}] needs a subject or a thumbprint`);
      return {
        ...(subject !== undefined && { subject: subject as string }),
        ...(thumbprint !== undefined && { thumbprint: (thumbprint as string).toLowerCase() }),
        keyTransport: keyTransport(p['keyTransport'], `otrp.peers[${i}].keyTransport`),
      };
    });
  }
  if (json['maxCommandsPerSession'] !== undefined) {
    const n = json['maxCommandsPerSession'];
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n <= 0) throw new TamOtrpConfigInvalid('otrp.maxCommandsPerSession must be a positive integer');
    out.maxCommandsPerSession = n;
  }
  return out;
}

/** The JOSE policy the TAM applies to one TEE (its certificate subject and SHA-256 thumbprint, hex). */
export function peerPolicy(config: OtrpTamConfig, peer: { subject: string; thumbprint: string }): JosePolicy {
  const match = config.peers?.find((p) => (p.thumbprint === undefined || p.thumbprint === peer.thumbprint) && (p.subject === undefined || p.subject === peer.subject));
  return policyWith(match?.keyTransport ?? config.keyTransport ?? DEFAULT_JOSE_POLICY.keyManagement);
}

/**
 * What the TAM accepts before it knows the peer (the `edsi` of a GetDeviceStateResponse, whose TEE
 * certificate is inside): every key transport configured for some peer. peerPolicy is checked after.
 */
export function anyPeerPolicy(config: OtrpTamConfig): JosePolicy {
  const all = new Set<JweKeyAlgorithm>(config.keyTransport ?? DEFAULT_JOSE_POLICY.keyManagement);
  for (const p of config.peers ?? []) for (const a of p.keyTransport) all.add(a);
  return policyWith([...all]);
}

function policyWith(keyManagement: readonly JweKeyAlgorithm[]): JosePolicy {
  return { jws: ['ES256', 'RS256'], keyManagement, content: ['A128CBC-HS256'] };
}
