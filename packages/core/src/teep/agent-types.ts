/**
 * Configuration, state and results of the TEEP Agent session machine (agent-session.ts), one per
 * TAM (RFC 9397 §6.2.1). The state is a plain JSON-serialisable object (hex strings for bytes).
 */
import type { CoseKey } from '../cose/key.js';
import type { CryptoProvider } from '../cose/crypto-provider.js';
import type { AttestationVerifier } from '../eat/verifier.js';
import type { AttestationSource, PeerTrust, SuitPort, TcStore } from './ports.js';
import type { TeepCipherSuite, TeepProfileName } from './profiles.js';
import type { TeepErrorName } from './errors.js';
import type { TeepPartyConfig } from './party-config.js';
import type { TeepOutbound } from './tam-types.js';

export interface AgentConfig extends TeepPartyConfig {
  /** Signs SUIT reports; MUST differ from every TEEP key (-26 §4.5). */
  readonly suitReportKey: CoseKey;
  /** Resolves the TAM's key (raw key by kid, or x5chain via the PKI validator). */
  readonly tamTrust: PeerTrust;
  /** The TAM's key-agreement public key: EATs and SUIT reports are encrypted to it (-26 §8.2 SHOULD). */
  readonly tamKeyAgreementKey?: CoseKey;
  /** Encrypt to the TAM when its key-agreement key is configured (default true). */
  readonly encryptToTam?: boolean;
  /** Evidence or Attestation Result about this device (attestation bit of a QueryRequest). */
  readonly attestation?: AttestationSource;
  /**
   * Attest the TAM before answering (-26 §7.2.1): a QueryRequest without an attestation-payload, or
   * with one that fails, is answered with Error ERR_ATTESTATION_REQUIRED.
   */
  readonly requireTamAttestation?: {
    /** Verifiers trusted to sign the TAM's Attestation Results. */
    readonly verifierKeys?: readonly CoseKey[];
    /** Verifier for TAM Evidence (any other attestation-payload-format). */
    readonly verifier?: AttestationVerifier;
    /** The clock (ms) a result's exp / nbf is checked against (default Date.now). */
    readonly now?: () => number;
  };
  readonly tcStore: TcStore;
  readonly suit: SuitPort;
  readonly provider?: CryptoProvider;
  readonly random?: (length: number) => Uint8Array;
}

/** A requested Trusted Component (RequestTA), serialisable. */
export interface RequestedTc {
  readonly componentId: readonly string[];
  readonly tcManifestSequenceNumber?: string;
  readonly haveBinary?: boolean;
}

export interface AgentSessionState {
  readonly version: 1;
  readonly tamUri: string;
  readonly profile: TeepProfileName;
  /** RequestTA calls not yet satisfied (component ids as hex). */
  readonly requested: readonly RequestedTc[];
  /** UnrequestTA calls not yet sent: manifest component ids (hex). */
  readonly unneeded: readonly (readonly string[])[];
  /** RequestPolicyCheck has handed out this TAM's URI and no message came back since. */
  readonly policyCheckPending: boolean;
  readonly selectedSuite?: TeepCipherSuite;
  readonly selectedVersion?: number;
  /** RFC 9679 thumbprint (hex) of the TAM key that verified the last message. */
  readonly tamKid?: string;
  /** The challenge sent with Error 7, expected as eat_nonce of the TAM's attestation (hex). */
  readonly tamChallenge?: string;
  /** -26 §7.2 conditions for an unsolicited QueryResponse. */
  readonly lastQueryRequestUnfreshened?: boolean;
  readonly processErrorSinceQueryResponse?: boolean;
  /** err-code / err-msg of the last Update that carried one (the TAM refused our QueryResponse). */
  readonly lastTamError?: { readonly errCode: number; readonly name?: TeepErrorName; readonly errMsg?: string };
}

export type AgentEvent =
  | { readonly type: 'error-sent'; readonly name: TeepErrorName; readonly code: string }
  | { readonly type: 'installed'; readonly count: number }
  | { readonly type: 'unlinked'; readonly count: number }
  | { readonly type: 'tam-error'; readonly errCode: number; readonly name?: TeepErrorName; readonly errMsg?: string }
  | { readonly type: 'transport-error'; readonly detail?: string };

/** An instruction to the broker: connect to this TAM (RequestTA / RequestPolicyCheck results). */
export interface ConnectOutput {
  readonly type: 'connect';
  readonly tamUri: string;
}

export interface AgentStepResult {
  readonly state: AgentSessionState;
  readonly outputs: readonly (TeepOutbound | ConnectOutput)[];
  readonly events: readonly AgentEvent[];
}
