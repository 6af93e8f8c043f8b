/**
 * The interfaces the pure OTrP roles need from their hosts (device/tam packages): keys and
 * certificates, trust decisions, the TEE's state store and rid/tid persistence. Implementations
 * in this layer: trust.ts (PKI-based TamTrust/TeeTrust), memory-tee-store.ts (in-memory TeeStore,
 * memory RidTidStore).
 */
import type { JosePrivateKey } from '../jose/keys.js';

/** A party's key and its certificate chain (DER, leaf first, optionally up to the root). */
export interface OtrpIdentity {
  readonly key: JosePrivateKey;
  readonly chain: readonly Uint8Array[];
}

/**
 * rid/tid uniqueness (§9.1.1: "The combination of rid and tid MUST be made unique"). The store
 * persists each pair; `recordOnce` is atomic and returns false for a pair seen before in `scope`
 * (the TEE uses the TAM's tamid as scope).
 */
export interface RidTidStore {
  recordOnce(scope: string, rid: string, tid: string): Promise<boolean>;
}

/**
 * Stapled OCSP checking (§9.1.1, §9.1.2, §14.9: `ocspdat`, "OCSP stapling data respectively for the TAM
 * certificate and each of the CA certificates up to the root certificate"). Throws when a
 * certificate of `path` (leaf first, anchor last) is revoked, or its status is not proven by one
 * of `responses` (DER OCSPResponse) at `at`. ocsp.ts implements it with pkijs.
 */
export interface OcspVerifier {
  verify(path: readonly Uint8Array[], responses: readonly Uint8Array[], at: Date): Promise<void>;
}

/** What the TEE learns from a trusted TAM chain. */
export interface TrustedTam {
  /** TAM ID (notes §15 A12: the TAM certificate's SAN URI). */
  tamid: string;
  /** DER SPKI of the TAM key (verifies its requests, receives the encrypted responses). */
  spki: Uint8Array;
}

/**
 * The TEE's trust decision on a TAM chain (§4.2, §9.1.2). `ocspdat` is the request's stapled OCSP
 * data (GetDeviceState), undefined for later requests, which carry none: the implementation then
 * relies on the status it cached (§9.2.2.2: "status check is generally not needed anymore").
 * Throws OtrpTamNotTrusted.
 */
export interface TamTrust {
  validateTam(chain: readonly Uint8Array[], ocspdat: readonly Uint8Array[] | undefined): Promise<TrustedTam>;
}

/** The TAM's trust decision on a TEE certificate chain (§4.3, §9.1.7). Throws on distrust. */
export interface TeeTrust {
  validateTee(chain: readonly Uint8Array[]): Promise<{ spki: Uint8Array }>;
}

/** One installed TA inside an SD. */
export interface TeeTa {
  taid: string;
  taname?: string;
  /** The decrypted TA binary (the TEE seals it in its own storage). */
  binary: Uint8Array;
  pdata?: Uint8Array;
}

/** One Security Domain (§5.3-§5.5): owned by exactly one TAM, identified by SP + name. */
export interface TeeSd {
  tamid: string;
  spid: string;
  name: string;
  /** DER SP (TA signer) certificates assigned to the SD. */
  spcerts: Uint8Array[];
  tas: TeeTa[];
}

/** The TEE SP AIK of one SP (§7.8.1: one key pair per SP per device). */
export interface TeeSpAik {
  spid: string;
  key: JosePrivateKey;
}

/** Everything the TEE keeps for OTrP. */
export interface TeeState {
  sds: TeeSd[];
  spaiks: TeeSpAik[];
}

/**
 * The TEE's state store. The agent loads a snapshot, computes the next one and commits it in one
 * step, so a failing request changes nothing and a TA is never half installed. `commit` may throw
 * OtrpTeeResourceFull (storage full).
 */
export interface TeeStore {
  load(): Promise<TeeState>;
  commit(next: TeeState): Promise<void>;
}

/** Optional Trusted Firmware signer (§9.1.3): signs the UTF-8 `tid` of GetDeviceStateTBSRequest. */
export interface TfwSigner {
  sign(tbs: Uint8Array): Promise<{ cert: Uint8Array; sigalg: string; sig: Uint8Array }>;
}

/**
 * Optional check of a TA binary against the SD's SP certificates (§9.3.1: "check the TA signer is
 * the newly given SP cert or one already trusted by the SD"). The TA signing format is TEE-specific
 * and not defined by OTrP, so the host supplies it; throw OtrpTaInvalid to refuse.
 */
export type TaSignatureCheck = (binary: Uint8Array, spcerts: readonly Uint8Array[]) => Promise<void>;
