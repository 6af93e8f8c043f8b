/**
 * The TAM's check of an uploaded OTrP TA package (format `otrp-ta`, otrp/ta-package.ts), the OTrP
 * counterpart of upload-check.ts. OTrP -03 leaves the TA's own signature format to the TEE (§9.3), so
 * what the TAM can vouch for is the Service Provider certificate it will hand to the TEE in CreateSD
 * (`spcert`, §9.2.1.1): it must be a TC signer's, issued under the TC-Signer CA, like the signer of a
 * SUIT upload.
 *
 *   1. decode the package strictly, with its limits (ta-package.ts)        ERR_ADMIN_INVALID_UPLOAD (400)
 *   2. validate [spcert] for role 'signer' against the TC-Signer anchors    ERR_CERTIFICATE_MALFORMED (400),
 *      (+ CRLs), as checkTcUpload does for the x5chain leaf                  ERR_CERTIFICATE_ROLE, ERR_CHAIN_UNTRUSTED,
 *      (RFC 5280 §6)                                                         ERR_CERTIFICATE_REVOKED/EXPIRED, ... (422)
 *   3. read what the store keeps: component id = UTF-8 of taid, sequence number = version,
 *      the signer = the SP certificate's subject and SHA-256 thumbprint
 *
 * The package itself carries no signature: the admin token authenticates the uploader (as for every
 * admin change), and the TEE checks the TA against the SD's SP certificates (core's TaSignatureCheck).
 * The SP certificate must be issued directly by the TC-Signer CA (`pki init`'s signer, `pki issue
 * --role signer`): the package has no member for intermediates.
 */
import { parseCertificate, toHex, validateChain } from '@otrp/core';
import { decodeOtrpTaPackage, taComponentId, taPackageVersion, type OtrpTaPackage } from '../otrp/ta-package.js';
import { TamOtrpTaPackageInvalid } from '../otrp/errors.js';
import { AdminInvalidUpload } from './errors.js';
import type { SignerTrust } from './upload-check.js';

/** What an accepted TA package upload contributes to the store. */
export interface CheckedOtrpTaUpload {
  /** The package exactly as uploaded (a copy, not a view of the request buffer). */
  readonly manifest: Uint8Array;
  readonly pkg: OtrpTaPackage;
  /** UTF-8 of the taid. */
  readonly componentId: Uint8Array;
  /** The package's version (1 when it has none). */
  readonly sequenceNumber: number;
  /** Subject DN of the SP certificate (RFC 4514 string). */
  readonly signerSubject: string;
  /** SHA-256 over the SP certificate's DER. */
  readonly signerThumbprint: Uint8Array;
}

/** The package, decoded; a malformed one is ERR_ADMIN_INVALID_UPLOAD (400), not the TAM's stored-package error. */
export function decodeUploadedTaPackage(bytes: Uint8Array): OtrpTaPackage {
  try {
    return decodeOtrpTaPackage(bytes);
  } catch (e) {
    if (e instanceof TamOtrpTaPackageInvalid) throw new AdminInvalidUpload(e.message, { cause: e });
    throw e;
  }
}

/** Runs steps 1-3 above; throws the typed error of the first step that fails. */
export async function checkOtrpTaUpload(bytes: Uint8Array, trust: SignerTrust, at: Date = new Date()): Promise<CheckedOtrpTaUpload> {
  const manifest = bytes.slice();
  const pkg = decodeUploadedTaPackage(manifest);
  const signer = await validateChain({ chain: [pkg.spcert], anchors: trust.anchors, role: 'signer', ...(trust.crls ? { crls: trust.crls } : {}), at });
  const thumbprint = new Uint8Array(await crypto.subtle.digest('SHA-256', signer.leaf.der as Uint8Array<ArrayBuffer>));
  return {
    manifest,
    pkg,
    componentId: taComponentId(pkg.taid),
    sequenceNumber: taPackageVersion(pkg),
    signerSubject: signer.leaf.subject,
    signerThumbprint: thumbprint,
  };
}

/** Best effort, for the audit entry of a refused upload: the SP certificate the package claims, unverified. */
export async function presentedSpCert(bytes: Uint8Array): Promise<Record<string, string> | undefined> {
  try {
    const pkg = decodeOtrpTaPackage(bytes);
    const info = parseCertificate(pkg.spcert);
    const thumbprint = new Uint8Array(await crypto.subtle.digest('SHA-256', info.der as Uint8Array<ArrayBuffer>));
    return { taid: pkg.taid, presentedSigner: info.subject, presentedSignerThumbprint: toHex(thumbprint) };
  } catch {
    return undefined;
  }
}
