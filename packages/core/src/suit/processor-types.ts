/**
 * What a caller plugs into the SUIT processor (draft-ietf-suit-manifest-37 §6: the processor
 * "abstract machine" leaves storage, fetching, invocation and system identity to the platform).
 * Every callback receives SUIT_Component_Identifiers; none is ever called with a write before the
 * whole procedure succeeded (writes are staged, then committed in order).
 */
import type { CoseKey } from '../cose/key.js';
import type { CryptoProvider } from '../cose/crypto-provider.js';
import type { SuitComponentId, SuitManifest } from './manifest.js';
import type { SuitEnvelope } from './envelope.js';
import type { SuitReport } from './report.js';
import type { SuitTrust } from './authenticate.js';
import type { SuitError } from './errors.js';

/** Component storage. `read` returns undefined for an empty component. */
export interface SuitStorage {
  read(componentId: SuitComponentId): Promise<Uint8Array | undefined> | Uint8Array | undefined;
  /** Called only at commit time, after the whole procedure succeeded. */
  write(componentId: SuitComponentId, data: Uint8Array): Promise<void> | void;
  /** Called only at commit time, for components unlinked by the uninstall procedure. */
  remove?(componentId: SuitComponentId): Promise<void> | void;
}

/** The properties conditions compare against (manifest-37 §8.4.9.1-8.4.9.2, §8.4.9.4). */
export interface SuitSystemProperties {
  vendorId?: Uint8Array;
  classId?: Uint8Array;
  deviceId?: Uint8Array;
  /** The slot a component currently designates (condition-component-slot), e.g. the inactive A/B slot. */
  componentSlot?: number;
}

/** Sequence-number store (rollback protection, manifest-37 §8.4.2), keyed by manifest identifier. */
export interface SuitSequenceStore {
  get(manifestId: SuitComponentId): Promise<bigint | undefined> | bigint | undefined;
  /** Called at commit time only. */
  set(manifestId: SuitComponentId, sequenceNumber: bigint): Promise<void> | void;
}

/** Keys for SUIT_Encryption_Info recipients (firmware-encryption §5-6). */
export interface SuitDecryptionKeys {
  /** Pre-shared A128KW/A256KW KEKs (COSE Symmetric keys), matched by kid when the recipient has one. */
  readonly keks?: readonly CoseKey[];
  /** ECDH-ES receiver private keys (EC2 P-256/P-384 or OKP X25519 COSE keys). */
  readonly privateKeys?: readonly CoseKey[];
}

export type SuitProcedure = 'update' | 'invoke' | 'uninstall';

export interface SuitProcessOptions {
  /** Trust anchors for the envelope and for every dependency (dependency-integrity). */
  readonly trust: SuitTrust;
  readonly storage: SuitStorage;
  /** Default 'update': dependency-resolution, payload-fetch, candidate-verification, install, validate. */
  readonly procedure?: SuitProcedure;
  /** Fetches a URI (integrated "#name" URIs are served from the envelope without calling this). */
  readonly fetch?: (uri: string, componentId: SuitComponentId) => Promise<Uint8Array> | Uint8Array;
  /** Called at commit time, in order, for each invoke directive that ran. */
  readonly invoke?: (componentId: SuitComponentId, args: Uint8Array | undefined) => Promise<void> | void;
  /** System properties of a component (or of the device when the same for all). */
  readonly system?: SuitSystemProperties | ((componentId: SuitComponentId) => SuitSystemProperties);
  readonly sequenceStore?: SuitSequenceStore;
  /** Envelope of an installed dependency that this procedure did not fetch (e.g. for uninstall). */
  readonly lookupDependency?: (prefix: SuitComponentId | undefined, index: number) => Promise<Uint8Array | undefined> | Uint8Array | undefined;
  readonly decryptionKeys?: SuitDecryptionKeys;
  /** suit-report-nonce (TEEP: the request token). */
  readonly nonce?: Uint8Array;
  /**
   * Crypto for digests, signature and MAC checks and payload decryption (default WebCrypto). The same
   * checks run whichever provider is given.
   */
  readonly provider?: CryptoProvider;
}

export interface SuitInvocation {
  readonly componentId: SuitComponentId;
  readonly args?: Uint8Array;
}

export type SuitProcessResult =
  | {
      readonly ok: true;
      readonly report: SuitReport;
      /** The envelope as authenticated and its manifest (decoded once; callers need not decode again). */
      readonly envelope: SuitEnvelope;
      readonly manifest: SuitManifest;
      /** Components written, in commit order. */
      readonly written: readonly SuitComponentId[];
      readonly invoked: readonly SuitInvocation[];
    }
  | { readonly ok: false; readonly error: SuitError; readonly report: SuitReport };
