/**
 * Configuration, state and results of the TAM session machine (tam-session.ts).
 *
 * The state is a plain JSON-serialisable object (hex strings for bytes): the TAM server stores it
 * between HTTP requests, and every call returns a new one (the old one is never mutated).
 */
import type { CoseKey } from '../cose/key.js';
import type { CryptoProvider } from '../cose/crypto-provider.js';
import type { AttestationVerifier } from '../eat/verifier.js';
import type { EatClaims } from '../eat/claims.js';
import type { SuitReport } from '../suit/report.js';
import type { TeepMessage } from './messages/teep-message.js';
import type { OpenedTeepMessage } from './secured-message.js';
import type { AttestationSource, PeerTrust, TamPolicy, TokenStore } from './ports.js';
import type { SuitCoseProfile, TeepCipherSuite, TeepMessageKind, TeepProfileName } from './profiles.js';
import type { TeepErrorName } from './errors.js';
import type { TeepPartyConfig } from './party-config.js';

/** How the TAM asks for attestation (-26 §9, RFC 9334): Passport = token as nonce, AR from a Verifier; Background-Check = challenge, Evidence to a Verifier. */
export type AttestationModel = 'passport' | 'background-check' | 'none';

export interface TamConfig extends TeepPartyConfig {
  /**
   * What the first QueryRequest offers when the TAM has a hint or prefers a subset (-26 §8.1 "If the
   * TAM does have specific knowledge ..."); the Agent's Error 3/4/5/8 then widens it to the common
   * part of the full lists. Default: the full lists.
   */
  readonly initialOffer?: {
    readonly cipherSuites?: readonly TeepCipherSuite[];
    readonly versions?: readonly number[];
    readonly freshnessMechanisms?: readonly number[];
  };
  readonly attestation: AttestationModel;
  /** data-item-requested (default: attestation + trusted-components, or trusted-components with 'none'). */
  readonly dataItemRequested?: number;
  /** Resolves the Agents' TEEP keys (raw keys by kid, or x5chain via the PKI validator). */
  readonly agentTrust: PeerTrust;
  /** Resolves the Agents' SUIT-report keys (default agentTrust). */
  readonly reportTrust?: PeerTrust;
  /** Background-Check: the Verifier Evidence is handed to. */
  readonly verifier?: AttestationVerifier;
  /** Passport: public keys of trusted Verifiers that sign Attestation Results. */
  readonly verifierKeys?: readonly CoseKey[];
  /** The TAM's own attestation, sent after the Agent's ERR_ATTESTATION_REQUIRED (-26 §7.1.2). */
  readonly attestationSource?: AttestationSource;
  /** The TAM's key-agreement private key: decrypts EATs and SUIT reports encrypted to the TAM (-26 §8.2). */
  readonly keyAgreementKey?: CoseKey;
  readonly policy: TamPolicy;
  readonly tokens: TokenStore;
  /** Token / challenge lifetime (default 6 h: "several hours", -26 §7.1). */
  readonly tokenLifetimeMs?: number;
  /** QueryRequests per session before backing off (default 4). */
  readonly maxAttempts?: number;
  /** Back-off after a permanent error (default 1 h, -26 §4.6 ERR_PERMANENT_ERROR). */
  readonly backoffMs?: number;
  /** Retry delay after ERR_TEMPORARY_ERROR (default 5 min, "a more aggressive retry"). */
  readonly temporaryRetryMs?: number;
  readonly provider?: CryptoProvider;
  /** Random bytes (default crypto.getRandomValues). */
  readonly random?: (length: number) => Uint8Array;
}

/** Per call: the current time (the machines read no clock). */
export interface TamContext {
  /** Milliseconds since the epoch. */
  readonly now: number;
}

export interface MessageContext extends TamContext {
  /**
   * The message as the caller already opened and decoded it from the same bytes with the session's
   * profile (the TAM service does, to find the session): it is not decoded again. The signature is
   * verified over `opened` as always, and `message` is used only when it was decoded from the
   * payload that verified.
   */
  readonly decoded?: { readonly opened: OpenedTeepMessage; readonly message: TeepMessage };
}

export interface ConnectContext extends TamContext {
  /** Session id for the new session (default random). */
  readonly sessionId?: string;
  /** The device's previous session state, to honour its back-off. */
  readonly previous?: TamSessionState;
}

export type TamPhase = 'awaiting-query-response' | 'awaiting-result' | 'closed' | 'backing-off';

/** A request waiting for its answer. Hex strings for bytes. */
export interface OutstandingRequest {
  readonly kind: 'query-request' | 'update';
  readonly token?: string;
  readonly challenge?: string;
  readonly dataItemRequested?: number;
  readonly expiresAt: number;
}

export interface TamSessionState {
  readonly version: 1;
  readonly id: string;
  readonly profile: TeepProfileName;
  readonly phase: TamPhase;
  /** What the next QueryRequest offers; narrowed by the Agent's negotiation errors. */
  readonly offer: {
    readonly cipherSuites: readonly TeepCipherSuite[];
    readonly versions: readonly number[];
    readonly freshnessMechanisms: readonly number[];
    readonly suitCoseProfiles: readonly SuitCoseProfile[];
  };
  /** The suite the Agent signs with, once known: later messages use it as a COSE_Sign1 (-26 §8.1). */
  readonly signWith?: TeepCipherSuite;
  /** RFC 9679 thumbprint (hex) of the Agent's TEEP key, fixed by the first verified message. */
  readonly agentKid?: string;
  readonly outstanding?: OutstandingRequest;
  /** QueryRequests sent in this session. */
  readonly attempts: number;
  /** When the device may be contacted again (backing-off, or after a temporary error). */
  readonly retryAt?: number;
  /** The last Error the Agent sent. */
  readonly lastError?: { readonly errCode: number; readonly name?: TeepErrorName; readonly errMsg?: string; readonly errLang?: string };
}

/** A message to send to the peer, decoded and encoded (signed). */
export interface TeepOutbound {
  readonly type: TeepMessageKind;
  readonly message: TeepMessage;
  readonly bytes: Uint8Array;
}

export type TamEvent =
  | { readonly type: 'attestation-verified'; readonly claims: EatClaims }
  | { readonly type: 'query-response-refused'; readonly errName: TeepErrorName; readonly reason: string }
  | { readonly type: 'nothing-to-do' }
  | { readonly type: 'update-succeeded'; readonly reports: readonly SuitReport[] }
  | { readonly type: 'agent-error'; readonly errCode: number; readonly name?: TeepErrorName; readonly errMsg?: string; readonly errLang?: string; readonly reports: readonly SuitReport[] }
  | { readonly type: 'retry'; readonly reason: TeepErrorName }
  | { readonly type: 'backoff'; readonly until: number };

export interface TamStepResult {
  readonly state: TamSessionState;
  /** Zero or one message (an empty list maps to HTTP 204 in the binding). */
  readonly outputs: readonly TeepOutbound[];
  readonly events: readonly TamEvent[];
}
