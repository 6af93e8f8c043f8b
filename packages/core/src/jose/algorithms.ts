/**
 * The OTrP JOSE algorithm table (draft-ietf-teep-opentrustprotocol-03 §7.5, §11; notes §4.5) and
 * the policy that says which entries a party accepts. Code below this table never switches on
 * algorithm names; it looks the entry up (panva/jose's jws_algorithms.ts idea).
 *
 * `none` is in no table and so can never be selected or accepted (RFC 7518 §3.6 is not part of OTrP).
 */

/** Key types the profile handles: RSA (2048 bits or more) and EC P-256. */
export type JoseKeyType = 'RSA' | 'EC-P256';

/** JWS `alg` (RFC 7518 §3.1). */
export const JWS_ALGORITHMS = {
  /** Mandatory to implement in TEE and TAM (§7.5.1, §11). */
  RS256: { keyType: 'RSA', importParams: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, status: 'mandatory' },
  /** Optional in the draft (§7.5.1); preferred here. */
  ES256: { keyType: 'EC-P256', importParams: { name: 'ECDSA', namedCurve: 'P-256' }, status: 'optional' },
  /** Not in any OTrP draft; accepted only when a policy lists it. */
  PS256: { keyType: 'RSA', importParams: { name: 'RSA-PSS', hash: 'SHA-256' }, status: 'outside-draft' },
} as const;

/** JWE key management `alg` (RFC 7518 §4.1), carried in the per-recipient header (§7.5). */
export const JWE_KEY_ALGORITHMS = {
  /**
   * RSAES-PKCS1-v1_5, the draft's mandatory key transport (§7.5.3). Opt-in per peer only: see
   * docs/otrp-decisions.md (Bleichenbacher/Marvin) and rsa1-5.ts (implicit rejection).
   */
  RSA1_5: { keyType: 'RSA', importParams: undefined, status: 'mandatory-opt-in' },
  /** The draft's ECC option (§7.5.3; §11's "ECDH-ES+A128W" is a typo, notes §15 A20). Preferred. */
  'ECDH-ES+A128KW': { keyType: 'EC-P256', importParams: { name: 'ECDH', namedCurve: 'P-256' }, status: 'optional' },
  /** Outside the draft; the modern RSA choice, per-peer configuration. */
  'RSA-OAEP-256': { keyType: 'RSA', importParams: { name: 'RSA-OAEP', hash: 'SHA-256' }, status: 'outside-draft' },
} as const;

/** JWE content encryption `enc` (RFC 7518 §5.1), in the JWE protected header (§7.5). */
export const JWE_CONTENT_ALGORITHMS = {
  /** Mandatory (§7.5.2). */
  'A128CBC-HS256': { cekBytes: 32, status: 'mandatory' },
  A128GCM: { cekBytes: 16, status: 'outside-draft' },
  A256GCM: { cekBytes: 32, status: 'outside-draft' },
} as const;

export type JwsAlgorithm = keyof typeof JWS_ALGORITHMS;
export type JweKeyAlgorithm = keyof typeof JWE_KEY_ALGORITHMS;
export type JweContentAlgorithm = keyof typeof JWE_CONTENT_ALGORITHMS;

/** What one party accepts from a given peer. Keep RSA1_5 out unless that peer needs it. */
export interface JosePolicy {
  readonly jws: readonly JwsAlgorithm[];
  readonly keyManagement: readonly JweKeyAlgorithm[];
  readonly content: readonly JweContentAlgorithm[];
}

/** Default policy: the draft's signature algorithms, modern key transport, no RSA1_5. */
export const DEFAULT_JOSE_POLICY: JosePolicy = Object.freeze({
  jws: Object.freeze(['ES256', 'RS256'] as const),
  keyManagement: Object.freeze(['ECDH-ES+A128KW', 'RSA-OAEP-256'] as const),
  content: Object.freeze(['A128CBC-HS256', 'A128GCM', 'A256GCM'] as const),
});

/** The draft's mandatory set (RS256 + RSA1_5 + A128CBC-HS256) added to `policy`: for RSA1_5 peers. */
export function withRsa15(policy: JosePolicy = DEFAULT_JOSE_POLICY): JosePolicy {
  const jws: JwsAlgorithm[] = policy.jws.includes('RS256') ? [...policy.jws] : [...policy.jws, 'RS256'];
  const keyManagement: JweKeyAlgorithm[] = policy.keyManagement.includes('RSA1_5') ? [...policy.keyManagement] : [...policy.keyManagement, 'RSA1_5'];
  const content: JweContentAlgorithm[] = policy.content.includes('A128CBC-HS256') ? [...policy.content] : [...policy.content, 'A128CBC-HS256'];
  return Object.freeze({ jws, keyManagement, content });
}

/** Exactly the draft's mandatory set (§11): RS256, RSA1_5, A128CBC-HS256. For draft-only RSA peers. */
export const DRAFT_MANDATORY_POLICY: JosePolicy = Object.freeze({
  jws: Object.freeze(['RS256'] as const),
  keyManagement: Object.freeze(['RSA1_5'] as const),
  content: Object.freeze(['A128CBC-HS256'] as const),
});

export function isJwsAlgorithm(name: unknown): name is JwsAlgorithm {
  return typeof name === 'string' && Object.hasOwn(JWS_ALGORITHMS, name);
}
export function isJweKeyAlgorithm(name: unknown): name is JweKeyAlgorithm {
  return typeof name === 'string' && Object.hasOwn(JWE_KEY_ALGORITHMS, name);
}
export function isJweContentAlgorithm(name: unknown): name is JweContentAlgorithm {
  return typeof name === 'string' && Object.hasOwn(JWE_CONTENT_ALGORITHMS, name);
}

/** The JWS alg a key type signs with by default (the draft's RS256 for RSA, ES256 for P-256). */
export const DEFAULT_JWS_ALG: Readonly<Record<JoseKeyType, JwsAlgorithm>> = { RSA: 'RS256', 'EC-P256': 'ES256' };
