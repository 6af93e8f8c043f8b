/**
 * The TAM's check of an uploaded Trusted Component (issue 5: "accepted only if its signer chains to
 * the TC-Signer CA"). The TAM is a relying party like the Agent: it refuses to distribute what the
 * Agent would refuse to install, and keeps the refusal in the audit log.
 *
 *   1. decode the SUIT_Envelope (suit-manifest-37 §8.2)                       ERR_SUIT_MALFORMED (400)
 *   2. take the x5chain (RFC 9360, leaf first) of each COSE_Sign1 block     ERR_ADMIN_SIGNER_CHAIN_MISSING
 *   3. validate it for role 'signer' against the TC-Signer anchors (+ CRLs)   ERR_CERTIFICATE_ROLE,
 *      (RFC 5280 §6; a device certificate lacks codeSigning and fails here)  ERR_CHAIN_UNTRUSTED, ... (422)
 *   4. verify the envelope with that leaf key ONLY (manifest-37 §8.3: digest  ERR_SUIT_AUTHENTICATION_FAILED,
 *      over the received manifest bstr, then the signature over the digest)  ERR_SUIT_DIGEST_MISMATCH (422)
 *   5. read what the store keeps: the manifest's component id (manifest-component-id, else its first
 *      component, as the Agent keys sequence numbers), the sequence number, the signer
 *
 * The chain is validated before any signature is checked, so the reported code names the trust
 * problem (a wrong-role certificate is ERR_CERTIFICATE_ROLE, not a generic authentication failure).
 */
import {
  CborTag, coseKeyFromSpki, decodeCbor, decodeEnvelope, decodeSign1, encodeCbor, formatComponentId, manifestIdOf, parseCertificate,
  readX5chain, toHex, validateChain, verifyEnvelope,
} from '@otrp/core';
import type { TrustAnchor } from '@otrp/core';
import { AdminSignerChainMissing, AdminUnsupportedManifest } from './errors.js';

/** Who may sign TCs: the TC-Signer CA (PKI layout `roleAnchorPaths('signer')`) and, optionally, CRLs. */
export interface SignerTrust {
  readonly anchors: readonly TrustAnchor[];
  /** When given, every certificate of the signer's path must be covered by a current CRL (fail closed). */
  readonly crls?: readonly (Uint8Array | string)[];
}

/** What an accepted upload contributes to the store. */
export interface CheckedTcUpload {
  /** The envelope exactly as uploaded (a copy, not a view of the request buffer). */
  readonly envelope: Uint8Array;
  /** CBOR encoding of the manifest's SUIT_Component_Identifier. */
  readonly componentId: Uint8Array;
  /** The same identifier in diagnostic-like text, e.g. `['TEEP-Device', 'SecureFS', h'8d82...']`. */
  readonly componentIdText: string;
  readonly sequenceNumber: number;
  /** Subject DN of the signer's certificate (RFC 4514 string). */
  readonly signerSubject: string;
  /** SHA-256 over the signer certificate's DER. */
  readonly signerThumbprint: Uint8Array;
}

const COSE_SIGN1_TAG = 18;

/** Runs steps 1-5 above; throws the typed error of the first step that fails. */
export async function checkTcUpload(bytes: Uint8Array, trust: SignerTrust, at: Date = new Date()): Promise<CheckedTcUpload> {
  const envelope = bytes.slice();
  const chains = signerChains(envelope);
  if (chains.length === 0) throw new AdminSignerChainMissing();

  let firstError: unknown;
  for (const chain of chains) {
    try {
      const signer = await validateChain({ chain, anchors: trust.anchors, role: 'signer', ...(trust.crls ? { crls: trust.crls } : {}), at });
      // Only the validated leaf key may authenticate the manifest.
      const { manifest } = await verifyEnvelope(envelope, { keys: [coseKeyFromSpki(signer.spki)] });
      const id = manifestIdOf(manifest);
      if (id.length === 0) throw new AdminUnsupportedManifest('the manifest names no component');
      if (manifest.sequenceNumber > BigInt(Number.MAX_SAFE_INTEGER)) {
        throw new AdminUnsupportedManifest('the sequence number is above 2^53-1, which the TAM cannot store');
      }
      const thumbprint = new Uint8Array(await crypto.subtle.digest('SHA-256', signer.leaf.der as Uint8Array<ArrayBuffer>));
      return {
        envelope,
        componentId: encodeCbor([...id]),
        componentIdText: formatComponentId(id),
        sequenceNumber: Number(manifest.sequenceNumber),
        signerSubject: signer.leaf.subject,
        signerThumbprint: thumbprint,
      };
    } catch (e) {
      firstError ??= e;
    }
  }
  throw firstError;
}

/** The x5chain of every COSE_Sign1 authentication block (COSE_Mac0 and COSE_Sign blocks name no signer chain). */
function signerChains(envelope: Uint8Array): Uint8Array[][] {
  const chains: Uint8Array[][] = [];
  for (const block of decodeEnvelope(envelope).authenticationBlocks) {
    const item = decodeCbor(block);
    if (!(item instanceof CborTag) || Number(item.tag) !== COSE_SIGN1_TAG) continue;
    const chain = readX5chain(decodeSign1(block, { tag: 'required' }).headers);
    if (chain !== undefined) chains.push(chain);
  }
  return chains;
}

/**
 * Best effort, for the audit entry of a refused upload: who the envelope CLAIMS signed it (the first
 * x5chain leaf), unverified. Undefined when nothing can be read.
 */
export async function presentedSigner(bytes: Uint8Array): Promise<{ presentedSigner: string; presentedSignerThumbprint: string } | undefined> {
  try {
    const leaf = signerChains(bytes)[0]?.[0];
    if (leaf === undefined) return undefined;
    const info = parseCertificate(leaf);
    const thumbprint = new Uint8Array(await crypto.subtle.digest('SHA-256', info.der as Uint8Array<ArrayBuffer>));
    return { presentedSigner: info.subject, presentedSignerThumbprint: toHex(thumbprint) };
  } catch {
    return undefined;
  }
}
