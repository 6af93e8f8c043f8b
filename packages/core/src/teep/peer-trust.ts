/**
 * A PeerTrust (ports.ts) from raw keys and/or a certificate chain validator.
 *
 * RFC 9397 §5 (certificates or raw public keys; -26 §4.1.1 leaves the COSE header to the sender):
 * here the signer of a TEEP message is identified either by an x5chain header (RFC 9360, leaf
 * first, root omitted), validated against the receiver's trust anchors, or, when the
 * receiver trusts raw keys, by `kid` = the RFC 9679 thumbprint of the signing key. An x5chain is
 * preferred when present and a validator is configured; otherwise the kid is looked up.
 */
import type { CoseKey } from '../cose/key.js';
import { publicCoseKey } from '../cose/key.js';
import { COSE_HEADER, headerValue, type CoseHeaders } from '../cose/headers.js';
import { readX5chain } from '../cose/x5.js';
import { toHex } from '../wire/hex.js';
import { coseKeyThumbprint } from '../cose/thumbprint.js';
import type { ChainValidator, PeerTrust } from './ports.js';

export interface PeerTrustOptions {
  /** Trusted raw public keys, found by their RFC 9679 thumbprint in `kid`. */
  readonly keys?: readonly CoseKey[];
  /** Validates an x5chain and returns the leaf key (the PKI layer supplies it). */
  readonly validateChain?: ChainValidator;
}

/** Builds a PeerTrust; see the module comment for the lookup order. */
export function createPeerTrust(options: PeerTrustOptions): PeerTrust {
  let byKid: Promise<Map<string, CoseKey>> | undefined;
  const table = (): Promise<Map<string, CoseKey>> =>
    (byKid ??= Promise.all(
      (options.keys ?? []).map(async (k) => [toHex(await coseKeyThumbprint(k)), publicCoseKey(k)] as const),
    ).then((entries) => new Map(entries)));
  return {
    async resolve(headers: CoseHeaders): Promise<CoseKey | undefined> {
      const chain = readX5chain(headers);
      if (chain && options.validateChain) return options.validateChain(chain);
      const kid = headerValue(headers, COSE_HEADER.kid);
      if (!(kid instanceof Uint8Array)) return undefined;
      return (await table()).get(toHex(kid));
    },
  };
}
