/**
 * The Agent's SUIT port (core teep/ports.ts `SuitPort`) over the sealed TC store: each procedure
 * runs core's SUIT processor against one staged TC-store transaction and lands with one commit, so
 * an install, an update or an unlink is all-or-nothing on disk (tc-store.ts), and a procedure that
 * fails leaves no trace but its SUIT report.
 *
 * update: the SUIT Update Procedure (draft-ietf-suit-manifest-37 §6; -26 §7.2.2): the envelope is
 *   authenticated against the TC-signer trust (a signer chain that does not validate is refused),
 *   the sequence number must not be lower than the stored one (rollback), then fetch, install,
 *   validate; the manifest is recorded with its signer and envelope.
 * unlink: the installed envelope's uninstall section (trust-domains-12), then its components and
 *   record are removed. A manifest that is not installed fails with a SUIT report.
 */
import {
  decodeEnvelope, decodeManifest, encodeReport, manifestIdOf, parseCertificate, processEnvelope, readX5chain, unlinkNotInstalled,
  COSE_HEADER, headerValue, toHex,
} from '@otrp/core';
import type { CoseHeaders, SuitDecryptionKeys, SuitPort, SuitPortResult, SuitProcessOptions, SuitTrust } from '@otrp/core';
import type { AgentTcStore } from './tc-store.js';

export interface SealedSuitPortOptions {
  /** TC-signer trust (keys and/or a resolver validating x5chain against the signer CA). */
  readonly trust: SuitTrust;
  readonly store: AgentTcStore;
  /** ES-DH receiver keys for encrypted payloads (the device's key-agreement key). */
  readonly decryptionKeys?: SuitDecryptionKeys;
  readonly fetch?: SuitProcessOptions['fetch'];
  readonly system?: SuitProcessOptions['system'];
  /** Clock for installed-at (default Date.now). */
  readonly now?: () => number;
}

/** A label for whoever signed: the leaf subject of an x5chain, else the kid, else the trusted key's index. */
function signerLabel(headers: CoseHeaders | undefined): string {
  if (!headers) return 'unknown';
  const chain = readX5chain(headers);
  if (chain?.[0]) {
    try {
      return parseCertificate(chain[0]).subject;
    } catch {
      return 'unparsable certificate';
    }
  }
  const kid = headerValue(headers, COSE_HEADER.kid);
  return kid instanceof Uint8Array ? `kid:${toHex(kid)}` : 'trusted key';
}

/** Wraps the trust so that the headers of the block that was resolved are remembered. */
function capturingTrust(trust: SuitTrust): { trust: SuitTrust; signer: () => string } {
  let seen: CoseHeaders | undefined;
  const resolveKey = trust.resolveKey;
  const keys = trust.keys ?? [];
  const wrapped: SuitTrust = {
    ...trust,
    // Raw keys are offered through the resolver too, so that the signer's headers are seen either way.
    resolveKey: async (headers) => {
      seen = headers;
      const k = resolveKey ? await resolveKey(headers) : undefined;
      return k ?? (keys.length === 1 ? keys[0] : undefined);
    },
    ...(keys.length > 1 ? { keys } : { keys: [] }),
  };
  return { trust: wrapped, signer: () => signerLabel(seen) };
}

export function createSealedSuitPort(options: SealedSuitPortOptions): SuitPort {
  const { store } = options;
  const base = {
    ...(options.fetch && { fetch: options.fetch }),
    ...(options.system && { system: options.system }),
    ...(options.decryptionKeys && { decryptionKeys: options.decryptionKeys }),
  };
  const now = options.now ?? Date.now;
  return {
    async update(envelope, { nonce }): Promise<SuitPortResult> {
      const tx = store.begin();
      const { trust, signer } = capturingTrust(options.trust);
      const r = await processEnvelope(envelope, { ...base, trust, storage: tx, sequenceStore: tx, procedure: 'update', ...(nonce && { nonce }) });
      const report = encodeReport(r.report);
      if (!r.ok) return { ok: false, report, error: r.error.code };
      const env = decodeEnvelope(envelope);
      const manifest = decodeManifest(env.manifestBytes);
      tx.putManifest({
        manifestId: manifestIdOf(manifest),
        componentIds: manifest.common.components,
        sequenceNumber: manifest.sequenceNumber,
        digest: env.digest.bytes,
        envelope,
        signer: signer(),
        installedAt: now(),
        ...(manifest.referenceUri !== undefined && { uri: manifest.referenceUri }),
      });
      await tx.commit(); // the commit point: before it nothing of this install is visible
      return { ok: true, report };
    },
    async unlink(manifestId, { nonce }): Promise<SuitPortResult> {
      const record = store.find(manifestId);
      const envelope = record && (await store.envelopeOf(manifestId));
      if (!record || !envelope) return unlinkNotInstalled(nonce);
      const tx = store.begin();
      const r = await processEnvelope(envelope, { ...base, trust: options.trust, storage: tx, sequenceStore: tx, procedure: 'uninstall', ...(nonce && { nonce }) });
      const report = encodeReport(r.report);
      if (!r.ok) return { ok: false, report, error: r.error.code };
      for (const id of record.componentIds) tx.remove(id);
      tx.removeManifest(manifestId);
      await tx.commit();
      return { ok: true, report };
    },
  };
}
