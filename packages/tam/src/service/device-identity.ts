/**
 * Who the Agent is: its TEEP key's certificate chain (x5chain, RFC 9360) validated against the
 * Device CA for the device role (EKU clientAuth) with the CRLs (docs/pki.md "Path validation"). A
 * device is the store row keyed by the SHA-256 of its leaf certificate; the first valid message of a
 * new certificate registers it. Blocked or decommissioned devices are refused here, and so is a
 * device whose last session is backing off (-26 §4.6) when it answers a new QueryRequest.
 */
import { createHash } from 'node:crypto';
import { coseKeyFromSpki, parseCertificate, validateChain } from '@otrp/core';
import type { ChainValidatorFn } from './chain-cache.js';
import type { ChainValidator, TamSessionState, TrustAnchor } from '@otrp/core';
import type { StoreRepositories } from '../store/store.js';
import { TamDeviceBackingOff, TamDeviceBlocked } from './errors.js';
import type { ExchangeFacts } from './exchange.js';
import { decodeSessionBlob } from './session-blob.js';

export interface DeviceTrustOptions {
  readonly anchors: readonly TrustAnchor[];
  readonly crls: () => Promise<readonly Uint8Array[]>;
  readonly now: number;
  /** Check the device's back-off (true for a QueryResponse: the start of its work in a session). */
  readonly checkBackoff: boolean;
  /** Path validation to use (default core's validateChain; the TamService passes its cache, chain-cache.ts). */
  readonly validate?: ChainValidatorFn;
}

/** The session row that remembers a device's back-off between sessions. */
export function backoffSessionId(deviceId: string): string {
  return `backoff:${deviceId}`;
}

/** SHA-256 of the leaf certificate, synchronously (a WebCrypto job per message cost ~5% of the TAM's CPU). */
function sha256(der: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(der).digest());
}

/** The ChainValidator handed to createPeerTrust for one exchange. */
export function deviceChainValidator(tx: StoreRepositories, ex: ExchangeFacts, options: DeviceTrustOptions): ChainValidator {
  return async (chain) => {
    const crls = await options.crls();
    let v;
    try {
      v = await (options.validate ?? validateChain)({ chain, anchors: options.anchors, role: 'device', ...(crls.length ? { crls } : {}), at: new Date(options.now) });
    } catch (e) {
      // The audit names who the refused chain claims to be; a valid chain's subject comes with it
      // (parsing the leaf again for every message cost as much as the rest of the exchange).
      try {
        ex.presentedSubject = parseCertificate(chain[0]!).subject;
      } catch {
        // validateChain reported the malformed certificate
      }
      throw e;
    }
    ex.presentedSubject = v.leaf.subject;
    const thumbprint = sha256(v.leaf.der);
    let device = await tx.devices.findByThumbprint(thumbprint);
    ex.deviceExisted = device !== undefined;
    device ??= await tx.devices.create({ subject: v.leaf.subject, certThumbprint: thumbprint });
    ex.device = device;
    if (device.blocked || device.decommissioned) {
      throw new TamDeviceBlocked(device.decommissioned ? 'the device is decommissioned' : 'the device is blocked');
    }
    if (options.checkBackoff) {
      const marker = await tx.sessions.get(backoffSessionId(device.id));
      const state: TamSessionState | undefined = marker ? decodeSessionBlob(marker.state).machine : undefined;
      if (state?.retryAt !== undefined && options.now < state.retryAt) throw new TamDeviceBackingOff(state.retryAt);
    }
    return coseKeyFromSpki(v.spki);
  };
}
