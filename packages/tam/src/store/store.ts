/**
 * The TAM's store: the domain interface the TAM needs (STYLE.md "Storage"), not SQL. SQLite and
 * PostgreSQL implement it with the same kysely query code and the same migrations.
 *
 * Lifecycle: `openStore(url)` -> `init()` (runs pending migrations; the server calls it in its
 * startup hook) -> repositories -> `close()` (in the shutdown hook). Every failure is a StoreError
 * (store/errors.ts). Inside `transaction(fn)`, use only the repositories passed to `fn`: on SQLite
 * the transaction holds the single connection, so the outer store would wait for it forever.
 */
import type {
  AuditDecision,
  AuditEntry,
  ConsumedToken,
  DeviceIdentity,
  DeviceRecord,
  EpochMs,
  InventoryEntry,
  JsonValue,
  ListOptions,
  NewAuditEntry,
  NewDevice,
  NewSecurityDomain,
  NewSession,
  NewSessionToken,
  NewTrustedComponent,
  PendingChange,
  PolicyInput,
  PolicyRecord,
  PolicyScope,
  Protocol,
  ResolvedPolicy,
  SecurityDomainRecord,
  SessionRecord,
  SessionTokenKind,
  SessionTokenRecord,
  SessionUpdate,
  TcListEntry,
  TrustedComponentRecord,
  TrustedComponentSummary,
  TrustedComponentUpdate,
} from './records.js';

export interface DeviceRepository {
  /** Registers a device; ERR_STORE_CONFLICT when the id, thumbprint or UEID is taken. */
  create(input: NewDevice): Promise<DeviceRecord>;
  get(id: string): Promise<DeviceRecord | undefined>;
  findByThumbprint(certThumbprint: Uint8Array): Promise<DeviceRecord | undefined>;
  findByUeid(ueid: Uint8Array): Promise<DeviceRecord | undefined>;
  /** Oldest first. */
  list(options?: ListOptions & { blocked?: boolean; includeDecommissioned?: boolean }): Promise<DeviceRecord[]>;
  /** Changes the given identity fields only. */
  updateIdentity(id: string, identity: DeviceIdentity): Promise<DeviceRecord>;
  /**
   * Stores the result of an appraisal and counts as a sighting. Like `touch`, it runs for every
   * message and returns nothing (`get` reads the row): returning it cost more than the write.
   */
  recordAttestation(id: string, result: string, detail?: JsonValue, at?: EpochMs): Promise<void>;
  /** Records a sighting (last seen at `at`, default now). */
  touch(id: string, at?: EpochMs): Promise<void>;
  setBlocked(id: string, blocked: boolean): Promise<DeviceRecord>;
  /** Marks the device decommissioned (one-way; the row stays for the audit trail). */
  decommission(id: string, at?: EpochMs): Promise<DeviceRecord>;
}

export interface TrustedComponentRepository {
  add(input: NewTrustedComponent): Promise<TrustedComponentRecord>;
  get(id: string): Promise<TrustedComponentRecord | undefined>;
  findByComponentId(componentId: Uint8Array): Promise<TrustedComponentRecord | undefined>;
  /** Ordered by id. */
  list(options?: ListOptions & { includeDeprecated?: boolean }): Promise<TrustedComponentRecord[]>;
  /** As `list`, without the manifests (which can be large): the per-message policy lists every TC. */
  listSummaries(options?: ListOptions & { includeDeprecated?: boolean }): Promise<TrustedComponentSummary[]>;
  /** Replaces the manifest; ERR_STORE_CONFLICT unless the sequence number is higher (no rollback). */
  updateManifest(id: string, update: TrustedComponentUpdate): Promise<TrustedComponentRecord>;
  setDeprecated(id: string, deprecated: boolean): Promise<TrustedComponentRecord>;
  /** ERR_STORE_CONFLICT while a policy still names the TC. */
  delete(id: string): Promise<void>;
}

export interface PolicyRepository {
  /** Creates or replaces the policy for (scope, tcId); ERR_STORE_NOT_FOUND for an unknown TC. */
  set(input: PolicyInput): Promise<PolicyRecord>;
  get(id: string): Promise<PolicyRecord | undefined>;
  list(filter?: { tcId?: string; scope?: PolicyScope }): Promise<PolicyRecord[]>;
  delete(id: string): Promise<void>;
  /** The winning policy per TC for a device: device scope > its hwmodel > all. Ordered by tcId. */
  resolve(deviceId: string): Promise<ResolvedPolicy[]>;
}

export interface SessionRepository {
  create(input: NewSession, tokens?: readonly NewSessionToken[]): Promise<SessionRecord>;
  get(id: string): Promise<SessionRecord | undefined>;
  update(id: string, update: SessionUpdate): Promise<SessionRecord>;
  /** Adds a single-use value; ERR_STORE_CONFLICT when the same kind and value exist anywhere. */
  addToken(sessionId: string, token: NewSessionToken): Promise<SessionTokenRecord>;
  listTokens(sessionId: string): Promise<SessionTokenRecord[]>;
  /**
   * Atomically uses a single-use value: succeeds exactly once, also under concurrency and across
   * TAM nodes. Then ERR_STORE_TOKEN_USED; after expiry ERR_STORE_TOKEN_EXPIRED; unknown values
   * ERR_STORE_NOT_FOUND. Time is the store's clock, never the caller's.
   */
  consume(kind: SessionTokenKind, value: Uint8Array): Promise<ConsumedToken>;
  /**
   * As `consume`, for a value of one of `kinds` (one or two) that belongs to session `sessionId`:
   * ERR_STORE_NOT_FOUND when that session holds no such value, so another session's value stays
   * unused. One statement when it succeeds.
   */
  consumeInSession(sessionId: string, kinds: readonly SessionTokenKind[], value: Uint8Array): Promise<SessionTokenRecord>;
  delete(id: string): Promise<void>;
  /** Deletes sessions (and their tokens) whose expiry is before `at`; returns how many. */
  purgeExpired(at?: EpochMs): Promise<number>;
}

export interface InventoryRepository {
  /** The device's entries, by protocol then component id; ERR_STORE_NOT_FOUND for an unknown device. */
  list(deviceId: string, options?: { protocol?: Protocol }): Promise<InventoryEntry[]>;
  /** Records a change sent to the device (an Update / InstallTA / DeleteTA), not yet confirmed. */
  markPending(deviceId: string, change: PendingChange, at?: EpochMs): Promise<InventoryEntry>;
  /**
   * A Success with its SUIT report (or an OTrP success response) confirms the pending change:
   * an install becomes installed at its sequence number, a remove deletes the entry (returns null).
   */
  confirmPending(deviceId: string, componentId: Uint8Array, options?: { protocol?: Protocol; at?: EpochMs }): Promise<InventoryEntry | null>;
  /** Drops a pending change that failed (an Error message); the confirmed state stays. */
  cancelPending(deviceId: string, componentId: Uint8Array, options?: { protocol?: Protocol }): Promise<InventoryEntry | null>;
  /**
   * Rebuilds the device's confirmed inventory of one protocol from an attested tc-list, atomically:
   * listed components become installed at the listed sequence number, others stop being installed.
   * A pending install is confirmed when the list shows its sequence number (or higher); a pending
   * remove when the component is gone. Other pending changes stay pending. An entry the list leaves
   * as it was is not written (its updatedAt stays).
   */
  replaceFromTcList(deviceId: string, tcList: readonly TcListEntry[], options?: { protocol?: Protocol; at?: EpochMs }): Promise<InventoryEntry[]>;
}

export interface SecurityDomainRepository {
  /** ERR_STORE_CONFLICT when the device already has an SD of that name. */
  create(input: NewSecurityDomain): Promise<SecurityDomainRecord>;
  get(id: string): Promise<SecurityDomainRecord | undefined>;
  findByName(deviceId: string, name: string): Promise<SecurityDomainRecord | undefined>;
  listForDevice(deviceId: string): Promise<SecurityDomainRecord[]>;
  delete(id: string): Promise<void>;
}

/** Filters and cursor for reading the audit log, newest first. */
export interface AuditQuery {
  /** 1..1000, default 100. */
  limit?: number;
  /** The `next` cursor of the previous page. */
  before?: string;
  deviceId?: string;
  action?: string;
  decision?: AuditDecision;
}

export interface AuditPage {
  readonly entries: AuditEntry[];
  /** Cursor of the next (older) page, null on the last page. */
  readonly next: string | null;
}

/** The append-only audit log: entries are never changed or deleted through the store. */
export interface AuditLog {
  append(entry: NewAuditEntry): Promise<AuditEntry>;
  list(query?: AuditQuery): Promise<AuditPage>;
}

/** The repositories, as seen inside and outside a transaction. */
export interface StoreRepositories {
  readonly devices: DeviceRepository;
  readonly trustedComponents: TrustedComponentRepository;
  readonly policies: PolicyRepository;
  readonly sessions: SessionRepository;
  readonly inventory: InventoryRepository;
  readonly securityDomains: SecurityDomainRepository;
  readonly audit: AuditLog;
}

export interface Store extends StoreRepositories {
  readonly backend: 'sqlite' | 'postgres';
  /** Connects and applies pending migrations; safe to call on an up-to-date database. */
  init(): Promise<void>;
  /** Releases connections; idempotent. Calls after close fail with ERR_STORE_UNAVAILABLE. */
  close(): Promise<void>;
  /**
   * Runs `fn` in one database transaction: commits when it resolves, rolls back and rethrows its
   * error unchanged when it throws, so no state changes.
   */
  transaction<T>(fn: (tx: StoreRepositories) => Promise<T>): Promise<T>;
}

/** Options common to every backend. */
export interface StoreOptions {
  /** The clock used for timestamps and expiry (tests pass a fake one). Default `Date.now`. */
  clock?: () => EpochMs;
}
