/**
 * The OTrP implementation inside the simulated TEE (draft-ietf-teep-opentrustprotocol-03 §9): core's
 * `processOtrpRequest` (core otrp/tee-agent.ts) wired to this TEE's key, certificate, trust anchors
 * and sealed stores. The Broker hands it one TAM message at a time (-02 §5.3 "ProcessOTrPMessage").
 *
 * Identity (docs/otrp-decisions.md §6): the TEE's OTrP key is its TEEP signing key, P-256, with the
 * TEEP certificate chain from the Device CA (EKU clientAuth; keyUsage digitalSignature and, for
 * devices enrolled by this version, keyAgreement, since OTrP also decrypts with it: ECDH-ES+A128KW).
 * One key and one certificate per device means the TAM sees one device, whose inventory holds its
 * TEEP TCs and its OTrP TAs side by side. An Ed25519 device has no OTrP identity (OTrP has no EdDSA):
 * ERR_OTRP_UNAVAILABLE. A device given `--otrp-alg RS256` at init has a dedicated RSA key instead
 * (otrp-identity.ts), on any TEEP algorithm.
 *
 * TAM trust (-03 §4.2, §9.1.2): the TAM chain must lead to the TAM anchors the device got at init
 * (the PKI's TAM CA; or a raw TAM key given with --tam-key) and the stapled OCSP data (`ocspdat`)
 * must prove the TAM certificate good (createOcspVerifier, required). Algorithms: DEFAULT_JOSE_POLICY
 * (ES256, ECDH-ES+A128KW; RSA1_5 stays off).
 */
import * as nodeCrypto from 'node:crypto';
import {
  coseKeyToJwk, coseKeyToSpki, createNodeRawRsa, createOcspVerifier, createPkiTamTrust, processOtrpRequest, withRsa15, DEFAULT_JOSE_POLICY,
  type JosePolicy, type JosePrivateKey, type OtrpIdentity, type TeeAgentOptions, type TrustAnchor,
} from '@otrp/core';
import { OtrpUnavailable } from '../errors.js';
import type { DeviceCredentials } from './device-credentials.js';
import type { DeviceKeySet } from './device-keys.js';
import { SealedOtrpStore, SealedRidTidStore, type OtrpChange } from './otrp-store.js';
import { readOtrpKey } from './otrp-identity.js';
import type { SealedStorage } from './sealed-storage.js';

/** The TEE's version string in the DSI (`tee.ver`). */
export const OTRP_TEE_VERSION = 'otrp-simulated-tee 1';

/** What one ProcessOTrPMessage call returns to the REE. */
export interface OtrpProcessResult {
  /** The TEE's response message (signed; its content encrypted to the TAM). */
  readonly response: Uint8Array;
  /** The TAM request's message name (e.g. CreateSDRequest). */
  readonly request: string;
  /** The draft's error code when the response reports a failure (status "fail"). */
  readonly error?: string;
  /** The local error code behind it (e.g. ERR_OTRP_REPLAY). */
  readonly errorCode?: string;
  /** What the request changed in the TEE (empty for GetDeviceState and failures). */
  readonly changes: readonly OtrpChange[];
}

/** The TEEP key as the JOSE layer holds private keys (PKCS#8 + SPKI); P-256 only. */
export function otrpKeyOf(keys: DeviceKeySet): JosePrivateKey {
  if (keys.alg !== 'ESP256') throw new OtrpUnavailable(`OTrP needs a P-256 device key (ES256); this device was initialised with ${keys.alg}`);
  const jwk = coseKeyToJwk(keys.keys.teep) as nodeCrypto.JsonWebKey;
  const pkcs8 = new Uint8Array(nodeCrypto.createPrivateKey({ key: jwk, format: 'jwk' }).export({ type: 'pkcs8', format: 'der' }));
  return { pkcs8, spki: coseKeyToSpki(keys.keys.teep) };
}

export class OtrpTa {
  readonly store: SealedOtrpStore;
  readonly ridTid: SealedRidTidStore;
  readonly #options: TeeAgentOptions | undefined;
  readonly #unavailable: string;

  private constructor(store: SealedOtrpStore, ridTid: SealedRidTidStore, options: TeeAgentOptions | undefined, unavailable: string) {
    this.store = store;
    this.ridTid = ridTid;
    this.#options = options;
    this.#unavailable = unavailable;
  }

  /** Opens the sealed OTrP stores; the agent (identity, trust) only when `keys` are given. */
  static async open(storage: SealedStorage, keys: DeviceKeySet | undefined, credentials: DeviceCredentials): Promise<OtrpTa> {
    const store = await SealedOtrpStore.open(storage);
    const ridTid = await SealedRidTidStore.open(storage);
    let options: TeeAgentOptions | undefined;
    let unavailable = 'the TEE has no keys yet (run device init)';
    const dedicated = await readOtrpKey(storage);
    const teepChain = credentials.certificates.teep;
    let identity: OtrpIdentity | undefined;
    let policy: JosePolicy = DEFAULT_JOSE_POLICY;
    if (dedicated) {
      if (dedicated.chain?.length) identity = { key: dedicated.key, chain: [...dedicated.chain] };
      else unavailable = 'the OTrP key has no certificate (run device init again)';
      // RSA1_5 only when asked for at init (docs/otrp-decisions.md §1: opt-in per peer).
      if (dedicated.rsa15) policy = withRsa15(DEFAULT_JOSE_POLICY);
    } else if (keys && keys.alg !== 'ESP256') unavailable = `OTrP needs a P-256 device key (ES256) or --otrp-alg RS256 at init; this device was initialised with ${keys.alg}`;
    else if (keys && !teepChain?.length) unavailable = 'the TEE has no certificate for its OTrP key';
    else if (keys && teepChain) identity = { key: otrpKeyOf(keys), chain: [...teepChain] };
    if (keys && identity) {
      const anchors: TrustAnchor[] = [
        ...credentials.tamAnchors.map((certificate) => ({ certificate })),
        ...credentials.tamKeys.map((k) => ({ publicKey: coseKeyToSpki(k) })),
      ];
      options = {
        identity,
        teeName: keys.name,
        teeVersion: OTRP_TEE_VERSION,
        store,
        ridTid,
        tamTrust: createPkiTamTrust({ anchors, ocsp: createOcspVerifier() }),
        policy,
        rawRsa: createNodeRawRsa(nodeCrypto),
      };
    }
    return new OtrpTa(store, ridTid, options, unavailable);
  }

  /** ProcessOTrPMessage (-02 §5.3): one TAM request in, the TEE's response out. */
  async process(message: Uint8Array): Promise<OtrpProcessResult> {
    if (!this.#options) throw new OtrpUnavailable(this.#unavailable);
    this.store.takeChanges();
    const r = await processOtrpRequest(this.#options, message);
    const changes = r.error ? [] : this.store.takeChanges();
    return {
      response: new TextEncoder().encode(r.response),
      request: r.request,
      ...(r.error && { error: r.error.wireCode, errorCode: r.error.code }),
      changes,
    };
  }
}
