/**
 * What the admin API needs from the server assembly (`otrp tam serve`): the store, and the trust
 * anchors of TC signers. No switch to skip the upload check exists here: the check is the point of
 * the upload route, and tests sign their TCs with a test PKI instead.
 */
import type { Store } from '../store/store.js';
import type { SignerTrust } from './upload-check.js';
import { DEFAULT_MAX_UPLOAD_BYTES } from './upload-body.js';
import { InvalidArgument } from '@otrp/core';

export interface AdminApiDeps {
  readonly store: Store;
  /**
   * The TC-Signer CA (PKI layout `roleAnchorPaths('signer')`) and the CRLs (`crlPaths()`). A function
   * is called for every upload, so a server can pick up a re-signed CRL without a restart.
   */
  readonly signerTrust: SignerTrust | (() => SignerTrust | Promise<SignerTrust>);
  /** Clock for certificate validity (default: now). */
  readonly now?: () => Date;
  /** Largest SUIT envelope accepted, in bytes (default 16 MiB); larger -> 413. */
  readonly maxUploadBytes?: number;
}

/** The deps with defaults applied, as the route modules use them. */
export interface AdminContext {
  readonly store: Store;
  readonly signerTrust: () => Promise<SignerTrust>;
  readonly now: () => Date;
  readonly maxUploadBytes: number;
}

export function adminContext(deps: AdminApiDeps): AdminContext {
  const max = deps.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  if (!Number.isSafeInteger(max) || max < 1) throw new InvalidArgument('maxUploadBytes must be a positive integer');
  const trust = deps.signerTrust;
  return {
    store: deps.store,
    signerTrust: async () => (typeof trust === 'function' ? trust() : trust),
    now: deps.now ?? (() => new Date()),
    maxUploadBytes: max,
  };
}
