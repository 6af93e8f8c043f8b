/**
 * The SUIT port (ports.ts) over this library's SUIT processor (suit/processor.ts).
 *
 * update: the SUIT Update Procedure for one envelope (authentication, rollback check against the
 * sequence store, dependency resolution, fetch, install, validate), with suit-report-nonce = the
 * Update's token; on success the manifest is recorded in the TC store with the digests of the
 * images it wrote (for tc-list).
 * unlink: the manifest's uninstall procedure (trust-domains: suit-uninstall), then its components
 * are removed from storage and the manifest from the TC store. Unlinking a manifest that is not
 * installed fails with a SUIT report (ERR_SUIT_COMPONENT_UNSUPPORTED names "no such component").
 */
import { computeDigest, encodeDigest } from '../suit/digest.js';
import { manifestIdOf, processEnvelope } from '../suit/processor.js';
import { encodeReport, suitResultCode } from '../suit/report.js';
import { SUIT_REPORT_REASON } from '../suit/errors.js';
import type { SuitTrust } from '../suit/authenticate.js';
import type { SuitProcessOptions, SuitSequenceStore, SuitStorage } from '../suit/processor-types.js';
import type { CryptoProvider } from '../cose/crypto-provider.js';
import type { SuitPort, SuitPortResult } from './ports.js';
import type { MemoryTcStore } from './tc-store.js';

export interface SuitProcessorPortOptions {
  /**
   * TC signer trust anchors: the Agent runs the SUIT Update Procedure (-26 §7.2.2), which verifies
   * the manifest's signature (RFC 9397 §5.2, trust anchors in a TEE).
   */
  readonly trust: SuitTrust;
  readonly storage: SuitStorage;
  readonly sequenceStore: SuitSequenceStore;
  readonly tcStore: MemoryTcStore;
  readonly fetch?: SuitProcessOptions['fetch'];
  readonly system?: SuitProcessOptions['system'];
  /** Crypto for the processor's digests and signature checks (default WebCrypto). */
  readonly provider?: CryptoProvider;
}

export function createSuitProcessorPort(options: SuitProcessorPortOptions): SuitPort {
  const { trust, storage, sequenceStore, tcStore, provider } = options;
  const base = {
    trust, storage, sequenceStore,
    ...(options.fetch && { fetch: options.fetch }), ...(options.system && { system: options.system }), ...(provider && { provider }),
  };
  return {
    async update(envelope, { nonce }): Promise<SuitPortResult> {
      const r = await processEnvelope(envelope, { ...base, procedure: 'update', ...(nonce && { nonce }) });
      const report = encodeReport(r.report);
      if (!r.ok) return { ok: false, report, error: r.error.code };
      const { envelope: env, manifest } = r;
      const componentIds = manifest.common.components;
      const imageDigests = await Promise.all(
        componentIds.map(async (id) => {
          const data = await storage.read(id);
          return data ? encodeDigest(await computeDigest(-16, data, provider)) : encodeDigest(env.digest);
        }),
      );
      tcStore.put({
        manifestId: manifestIdOf(manifest),
        componentIds,
        sequenceNumber: manifest.sequenceNumber,
        ...(manifest.referenceUri !== undefined && { uri: manifest.referenceUri }),
        digest: env.digest.bytes,
        imageDigests,
        envelope,
      });
      return { ok: true, report };
    },
    async unlink(manifestId, { nonce }): Promise<SuitPortResult> {
      const tc = tcStore.get(manifestId);
      if (!tc) return unlinkNotInstalled(nonce);
      const r = await processEnvelope(tc.envelope, { ...base, procedure: 'uninstall', ...(nonce && { nonce }) });
      const report = encodeReport(r.report);
      if (!r.ok) return { ok: false, report, error: r.error.code };
      for (const id of tc.componentIds) await storage.remove?.(id);
      tcStore.delete(manifestId);
      return { ok: true, report };
    },
  };
}

/**
 * The answer to an unlink of a manifest that is not installed: a failed SUIT report (component
 * unsupported) naming no manifest, so the Agent's Error carries a report like every other failure.
 */
export function unlinkNotInstalled(nonce: Uint8Array | undefined): SuitPortResult {
  const empty = { algorithmId: -16, bytes: new Uint8Array(32) };
  const record = { manifestId: [], section: 0, offset: 0, componentIndex: 0, properties: new Map() };
  const report = encodeReport({
    reference: { uri: '', digest: empty },
    ...(nonce && { nonce }),
    records: [],
    result: { code: suitResultCode('ERR_SUIT_COMPONENT_UNSUPPORTED'), record, reason: SUIT_REPORT_REASON.componentUnsupported },
  });
  return { ok: false, report, error: 'ERR_SUIT_COMPONENT_UNSUPPORTED' };
}
