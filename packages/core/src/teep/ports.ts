/**
 * The interfaces through which the TAM and the TEEP Agent session machines reach policy, storage,
 * trust and the SUIT processor (RFC 9397 §6.2.1 leaves all of them to the implementation). The
 * machines themselves stay pure: they never do I/O, never read a clock (time comes in as `now`),
 * and keep their own state in a plain serialisable object.
 */
import type { CoseKey } from '../cose/key.js';
import type { CoseHeaders } from '../cose/headers.js';
import type { CborMap } from '../wire/cbor-value.js';
import type { EatClaims } from '../eat/claims.js';
import type { SuitComponentIdentifier } from './messages/fields.js';
import type { RequestedTcInfo } from './messages/requested-tc-info.js';

type MaybePromise<T> = T | Promise<T>;

// ---- both sides ----

/**
 * Who the peer is: the key that verifies its TEEP messages (or its SUIT reports). Built by
 * `createPeerTrust` from raw keys (looked up by RFC 9679 thumbprint kid) and/or a chain validator
 * the PKI layer supplies (x5chain, RFC 9360). Returns undefined for an unknown signer; a chain that
 * fails validation throws the validator's error (a PkiError carries the TEEP err-code 6 or 9).
 */
export interface PeerTrust {
  resolve(headers: CoseHeaders): MaybePromise<CoseKey | undefined>;
}

/** Validates an x5chain (leaf first) and returns the leaf's public key; throws when invalid. */
export type ChainValidator = (x5chain: readonly Uint8Array[]) => MaybePromise<CoseKey>;

/** An attestation payload and its media type (absent = the TEEP EAT profile, -26 §4.2). */
export interface AttestationPayload {
  readonly format?: string;
  readonly payload: Uint8Array;
}

/** What an attestation source is asked for: the freshness nonce and the key the EAT's cnf names. */
export interface AttestationRequest {
  /** The challenge (Background-Check) or the token (Passport), -26 §9; absent with timestamps. */
  readonly nonce?: Uint8Array;
  /** The public TEEP key of the party being attested (cnf.kid is its thumbprint, -26 §5). */
  readonly teepKey: CoseKey;
}

/** Produces Evidence or an Attestation Result about the local party (Agent, or TAM after Error 7). */
export interface AttestationSource {
  attest(request: AttestationRequest): MaybePromise<AttestationPayload>;
}

// ---- TAM side ----

/** One outstanding token or challenge (-26 §4.2: single use, with an expiry). */
export interface TokenRecord {
  /** Hex of the token or challenge bytes. */
  readonly value: string;
  readonly kind: 'token' | 'challenge';
  readonly sessionId: string;
  /** Milliseconds since the epoch. */
  readonly expiresAt: number;
}

export type TokenConsumeResult =
  | { readonly status: 'ok'; readonly record: TokenRecord }
  | { readonly status: 'used' | 'expired' | 'unknown' };

/**
 * Outstanding tokens and challenges. `consume` is single-use: the first call for a value of the
 * given session answers `ok` and every later one `used` (until the record is purged after expiry);
 * a value of another session is `unknown` and stays untouched.
 */
export interface TokenStore {
  issue(record: TokenRecord): MaybePromise<void>;
  consume(value: string, now: number, sessionId: string): MaybePromise<TokenConsumeResult>;
}

/** What the TAM knows about the device when it applies policy (-26 §7.1.1). */
export interface PolicyInput {
  readonly sessionId: string;
  /** RFC 9679 thumbprint (hex) of the Agent's TEEP key. */
  readonly agentKid: string;
  /** Claims of the verified attestation (absent when attestation was not requested). */
  readonly claims?: EatClaims;
  readonly tcList: readonly CborMap[];
  readonly requestedTcList: readonly RequestedTcInfo[];
  readonly unneededManifestList: readonly SuitComponentIdentifier[];
}

/** The TAM's decision: manifests to send and manifests to unlink (none = no Update). */
export interface PolicyDecision {
  /** SUIT_Envelope bytes for manifest-list. */
  readonly manifests: readonly Uint8Array[];
  /** SUIT manifest component ids for unneeded-manifest-list. */
  readonly unneeded: readonly SuitComponentIdentifier[];
}

/** The outcome of an Update, reported by the Agent (Success or Error with SUIT reports). */
export interface UpdateOutcome {
  readonly sessionId: string;
  readonly agentKid: string;
  readonly ok: boolean;
  /** err-code name when the Agent answered with an Error. */
  readonly errorName?: string;
  /** Encoded SUIT_Report payloads, authenticated and decrypted. */
  readonly reports: readonly Uint8Array[];
}

/** Which Trusted Components a device should have (TAM policy, -26 §7.1.1 "implementation specific"). */
export interface TamPolicy {
  decide(input: PolicyInput): MaybePromise<PolicyDecision>;
  /** Told about each Success / Error that answers an Update (optional bookkeeping). */
  recordOutcome?(outcome: UpdateOutcome): MaybePromise<void>;
}

// ---- Agent side ----

/** One installed manifest, as the Agent's TC store knows it. */
export interface InstalledTc {
  /** The manifest's own component id (trust-domains: manifest-component-id), used for unlinking. */
  readonly manifestId: SuitComponentIdentifier;
  /** Components the manifest installed. */
  readonly componentIds: readonly SuitComponentIdentifier[];
  readonly sequenceNumber: bigint;
  /** suit-reference-uri of the manifest, if any. */
  readonly uri?: string;
  /** SHA-256 digest of the manifest (its SUIT_Digest bytes). */
  readonly digest: Uint8Array;
  /** Per component (same order as componentIds): the encoded SUIT_Digest of the installed image. */
  readonly imageDigests?: readonly Uint8Array[];
}

/** The Agent's view of what is installed (read-only: the SUIT port changes it). */
export interface TcStore {
  list(): MaybePromise<readonly InstalledTc[]>;
}

/** The outcome of one SUIT procedure: ok, and the encoded SUIT_Report (unsigned) it produced. */
export interface SuitPortResult {
  readonly ok: boolean;
  /** SUIT_Report (suit-report §4), encoded; the Agent signs it with its report key. */
  readonly report: Uint8Array;
  /** The SUIT error code when not ok. */
  readonly error?: string;
}

/**
 * Runs SUIT procedures for the Agent (-26 §7.2.2): the Update Procedure for one envelope, and the
 * unlinking of one manifest. `nonce` is the Update's token, to be copied into suit-report-nonce.
 */
export interface SuitPort {
  update(envelope: Uint8Array, options: { readonly nonce?: Uint8Array }): MaybePromise<SuitPortResult>;
  unlink(manifestId: SuitComponentIdentifier, options: { readonly nonce?: Uint8Array }): MaybePromise<SuitPortResult>;
}
