/**
 * PKI-based trust decisions for both roles, over the pki layer's validateChain.
 *
 * TEE -> TAM (§4.2, §9.1.2): the TAM chain must lead to one of the TEE's TAM anchors (role `tam`),
 * and, when an OcspVerifier is configured, the stapled `ocspdat` must prove every certificate of
 * the path good. The result is cached per TAM leaf for `ocspMaxAgeMs`, because SD/TA requests carry
 * no `ocspdat` (§7.4.1, §9.2.2.2). The TAM ID is the TAM certificate's SAN URI (notes §15 A12).
 *
 * TAM -> TEE (§4.3, §9.1.7): the TEE chain must lead to one of the TAM's device anchors (role `device`).
 */
import { OtrpTamNotTrusted } from './errors.js';
import type { OcspVerifier, TamTrust, TeeTrust, TrustedTam } from './ports.js';
import { validateChain, type TrustAnchor } from '../pki/chain.js';
import { toHex } from '../wire/hex.js';

export interface PkiTamTrustOptions {
  anchors: readonly TrustAnchor[];
  /** Stapled OCSP verification; when absent, revocation is checked with `crls` only (or not at all). */
  ocsp?: OcspVerifier;
  crls?: readonly Uint8Array[];
  /** How long a TAM whose OCSP status was proven stays trusted without new `ocspdat` (default 1 h). */
  ocspMaxAgeMs?: number;
  now?: () => Date;
}

export function createPkiTamTrust(options: PkiTamTrustOptions): TamTrust {
  const now = options.now ?? (() => new Date());
  const maxAge = options.ocspMaxAgeMs ?? 3600_000;
  const proven = new Map<string, number>();
  return {
    async validateTam(chain, ocspdat): Promise<TrustedTam> {
      const at = now();
      try {
        const v = await validateChain({ chain, anchors: options.anchors, role: 'tam', at, ...(options.crls ? { crls: options.crls } : {}) });
        const tamid = v.leaf.sanUris[0];
        if (tamid === undefined) throw new OtrpTamNotTrusted('the TAM certificate carries no TAM ID (SAN URI)');
        if (options.ocsp) {
          const leafId = toHex(new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', v.leaf.der as Uint8Array<ArrayBuffer>)));
          if (ocspdat && ocspdat.length > 0) {
            await options.ocsp.verify(v.path, ocspdat, at);
            proven.set(leafId, at.getTime());
          } else {
            const t = proven.get(leafId);
            if (t === undefined || at.getTime() - t > maxAge) throw new OtrpTamNotTrusted('no current OCSP status for the TAM certificate');
          }
        }
        return { tamid, spki: v.spki };
      } catch (e) {
        if (e instanceof OtrpTamNotTrusted) throw e;
        throw new OtrpTamNotTrusted('the TAM certificate chain is not trusted', { cause: e });
      }
    },
  };
}

export interface PkiTeeTrustOptions {
  anchors: readonly TrustAnchor[];
  crls?: readonly Uint8Array[];
  now?: () => Date;
}

/** Thrown by the TAM side for an untrusted TEE; not a wire code (the TAM does not answer the TEE). */
export function createPkiTeeTrust(options: PkiTeeTrustOptions): TeeTrust {
  return {
    async validateTee(chain) {
      const v = await validateChain({ chain, anchors: options.anchors, role: 'device', at: (options.now ?? (() => new Date()))(), ...(options.crls ? { crls: options.crls } : {}) });
      return { spki: v.spki };
    },
  };
}
