/**
 * The records the TAM store keeps, as the TAM sees them: ids are strings, bytes are Uint8Array,
 * times are epoch milliseconds (numbers), booleans are booleans. Backends convert at their edge
 * (Buffer, 0/1 integers and PostgreSQL int8 strings never reach callers).
 *
 * TEEP (draft-ietf-teep-protocol-26) and OTrP (draft-ietf-teep-opentrustprotocol-03) share this
 * model: a trusted component is a TEEP TC (SUIT manifest) or an OTrP TA, inventory rows carry their
 * protocol, and OTrP's Security Domains have their own repository.
 */

/** Epoch milliseconds (UTC). */
export type EpochMs = number;

/** The provisioning protocol a record belongs to. */
export type Protocol = 'teep' | 'otrp';

/** JSON values as stored in audit details and attestation details. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A device (one TEE) known to the TAM, identified by its certificate and its attestation claims. */
export interface DeviceRecord {
  readonly id: string;
  /** Subject DN of the device certificate (RFC 4514 string), when one was presented. */
  readonly subject: string | null;
  /** SHA-256 thumbprint of the device certificate (or of its raw public key). */
  readonly certThumbprint: Uint8Array | null;
  /** EAT `ueid` claim (RFC 9711 §4.2.1). */
  readonly ueid: Uint8Array | null;
  /** EAT `hwmodel` claim (RFC 9711 §4.2.4), the key of per-hwmodel policies. */
  readonly hwmodel: Uint8Array | null;
  /** EAT `hwversion` claim's version string (RFC 9711 §4.2.5). */
  readonly hwversion: string | null;
  /** The last attestation result (e.g. an AR4SI tier such as `affirming`), null before the first. */
  readonly lastAttestationResult: string | null;
  /** Extra facts of the last appraisal (claims, reasons), as JSON. */
  readonly lastAttestationDetail: JsonValue;
  readonly lastAttestationAt: EpochMs | null;
  readonly lastSeenAt: EpochMs | null;
  readonly blocked: boolean;
  readonly decommissioned: boolean;
  readonly decommissionedAt: EpochMs | null;
  readonly createdAt: EpochMs;
  readonly updatedAt: EpochMs;
}

/** The identity facts of a device; every field optional and nullable. */
export interface DeviceIdentity {
  subject?: string | null;
  certThumbprint?: Uint8Array | null;
  ueid?: Uint8Array | null;
  hwmodel?: Uint8Array | null;
  hwversion?: string | null;
}

export interface NewDevice extends DeviceIdentity {
  /** Defaults to a random UUID. */
  id?: string;
}

/** What a trusted component's bytes are: a TEEP SUIT envelope or an OTrP TA package. */
export type TcFormat = 'suit' | 'otrp-ta';

/** A trusted component (TEEP TC or OTrP TA) the TAM can install; one row per component. */
export interface TrustedComponentRecord {
  /** A UUID or the component id in hex, the caller's choice. */
  readonly id: string;
  /** The SUIT component identifier (its CBOR encoding), or the OTrP TA id's bytes. Unique. */
  readonly componentId: Uint8Array;
  readonly name: string | null;
  readonly format: TcFormat;
  /** The signed SUIT envelope (or OTrP TA package) exactly as uploaded. */
  readonly manifest: Uint8Array;
  readonly signerSubject: string;
  readonly signerThumbprint: Uint8Array;
  /** suit-manifest-sequence-number (a safe integer here). */
  readonly sequenceNumber: number;
  readonly deprecated: boolean;
  readonly createdAt: EpochMs;
  readonly updatedAt: EpochMs;
}

/** A trusted component without its manifest: what a policy decision lists for every TC. */
export type TrustedComponentSummary = Omit<TrustedComponentRecord, 'manifest'>;

export interface NewTrustedComponent {
  id?: string;
  componentId: Uint8Array;
  name?: string | null;
  format?: TcFormat;
  manifest: Uint8Array;
  signerSubject: string;
  signerThumbprint: Uint8Array;
  sequenceNumber: number;
}

/** A newer manifest for an existing component; `sequenceNumber` must be higher than the stored one. */
export interface TrustedComponentUpdate {
  manifest: Uint8Array;
  sequenceNumber: number;
  signerSubject: string;
  signerThumbprint: Uint8Array;
}

/** What a policy asks for a TC: install it, allow it on request, or remove it. */
export type PolicyAction = 'required' | 'optional' | 'remove';

/** Who a policy applies to; the most specific scope wins (device > hwmodel > all). */
export type PolicyScope =
  | { readonly kind: 'device'; readonly deviceId: string }
  | { readonly kind: 'hwmodel'; readonly hwmodel: Uint8Array }
  | { readonly kind: 'all' };

export interface PolicyRecord {
  readonly id: string;
  readonly tcId: string;
  readonly action: PolicyAction;
  readonly scope: PolicyScope;
  readonly createdAt: EpochMs;
  readonly updatedAt: EpochMs;
}

export interface PolicyInput {
  tcId: string;
  action: PolicyAction;
  scope: PolicyScope;
}

/** The winning policy for one TC on one device. */
export interface ResolvedPolicy {
  readonly tcId: string;
  readonly componentId: Uint8Array;
  readonly action: PolicyAction;
  readonly scope: PolicyScope;
  readonly policyId: string;
  readonly deprecated: boolean;
}

/** Kinds of single-use values a session can hold (TEEP token/challenge, OTrP rid/tid, nonces). */
export type SessionTokenKind = 'token' | 'challenge' | 'nonce' | 'rid' | 'tid';

export interface SessionRecord {
  readonly id: string;
  readonly protocol: Protocol;
  readonly deviceId: string | null;
  /** The protocol state machine's serialized state, opaque to the store. */
  readonly state: Uint8Array;
  readonly createdAt: EpochMs;
  readonly updatedAt: EpochMs;
  /** After this time the session may be purged. */
  readonly expiresAt: EpochMs;
}

export interface NewSession {
  id?: string;
  protocol: Protocol;
  deviceId?: string | null;
  state: Uint8Array;
  expiresAt: EpochMs;
}

export interface SessionUpdate {
  state?: Uint8Array;
  deviceId?: string | null;
  expiresAt?: EpochMs;
}

export interface SessionTokenRecord {
  readonly kind: SessionTokenKind;
  readonly value: Uint8Array;
  readonly sessionId: string;
  readonly createdAt: EpochMs;
  readonly expiresAt: EpochMs;
  readonly consumedAt: EpochMs | null;
}

export interface NewSessionToken {
  kind: SessionTokenKind;
  value: Uint8Array;
  expiresAt: EpochMs;
}

/** The result of a successful `consume`. */
export interface ConsumedToken {
  readonly token: SessionTokenRecord;
  readonly session: SessionRecord;
}

/** Where an inventory entry stands: confirmed installed, or waiting for confirmation of a change. */
export type InventoryState = 'installed' | 'pending-install' | 'pending-remove';

export interface InventoryEntry {
  readonly deviceId: string;
  readonly protocol: Protocol;
  readonly componentId: Uint8Array;
  /** The TAM's TC with this component id, when it has one. */
  readonly tcId: string | null;
  readonly state: InventoryState;
  /** Confirmed installed (by a tc-list or a Success with its SUIT report). */
  readonly installed: boolean;
  /** The confirmed sequence number, when known. */
  readonly sequenceNumber: number | null;
  /** The change sent and not yet confirmed. */
  readonly pending: { readonly action: 'install' | 'remove'; readonly sequenceNumber: number | null; readonly since: EpochMs } | null;
  /** OTrP: the Security Domain holding the TA. */
  readonly securityDomainId: string | null;
  readonly updatedAt: EpochMs;
}

export interface PendingChange {
  componentId: Uint8Array;
  action: 'install' | 'remove';
  sequenceNumber?: number | null;
  protocol?: Protocol;
  securityDomainId?: string | null;
}

/** One tc-list entry of an attested QueryResponse (draft-26 §4.3 tc-list) or an OTrP DSI TA. */
export interface TcListEntry {
  componentId: Uint8Array;
  sequenceNumber?: number | null;
}

/** An OTrP Security Domain on a device (draft-ietf-teep-opentrustprotocol-03 §5). */
export interface SecurityDomainRecord {
  readonly id: string;
  readonly deviceId: string;
  readonly name: string;
  /** The TAM that owns the SD, as named in that TAM's certificate. */
  readonly ownerTam: string;
  /** The Service Provider id, when known. */
  readonly spid: string | null;
  readonly createdAt: EpochMs;
}

export interface NewSecurityDomain {
  id?: string;
  deviceId: string;
  name: string;
  ownerTam: string;
  spid?: string | null;
}

export type AuditDecision = 'allow' | 'deny' | 'error' | 'info';

export interface AuditEntry {
  /** Increasing with time of insertion; also the paging cursor. */
  readonly id: string;
  readonly at: EpochMs;
  readonly deviceId: string | null;
  readonly actor: string;
  readonly action: string;
  readonly decision: AuditDecision;
  readonly code: string | null;
  readonly detail: JsonValue;
}

export interface NewAuditEntry {
  at?: EpochMs;
  deviceId?: string | null;
  actor: string;
  action: string;
  decision: AuditDecision;
  code?: string | null;
  detail?: JsonValue;
}

/** Offset paging for admin lists. */
export interface ListOptions {
  /** 1..1000, default 100. */
  limit?: number;
  offset?: number;
}
