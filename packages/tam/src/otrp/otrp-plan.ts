/**
 * Policy -> the next OTrP command for a device (OTrP -03 §9.2, §9.3), from the TAM's policies over
 * trusted components of format `otrp-ta` (ta-package.ts) and the device's DSI, which lists the SDs
 * and TAs this TAM owns (§9.1.5):
 *
 *   required TA, its SD missing                    -> CreateSD  (SD named by the TA package)
 *   required TA, SD present, TA missing            -> InstallTA
 *   required TA installed below the TC's sequence  -> UpdateTA  (the DSI has no TA version: the inventory has it)
 *   TA with policy `remove`, present               -> DeleteTA
 *   an SD of ours with no TA and no required TA    -> DeleteSD
 *
 * One command at a time: each response carries the next DSI (nextdsi, docs/otrp-decisions.md A5), and
 * the plan is recomputed from it. `skip` holds the keys of commands that failed in this session.
 */
import type { Dsi } from '@otrp/core';
import type { StoreRepositories } from '../store/store.js';
import { decodeOtrpTaPackage, OTRP_TA_FORMAT, type OtrpTaPackage } from './ta-package.js';

export type PlannedCommand =
  | { readonly command: 'CreateSD'; readonly key: string; readonly pkg: OtrpTaPackage }
  | { readonly command: 'InstallTA' | 'UpdateTA'; readonly key: string; readonly tcId: string; readonly pkg: OtrpTaPackage; readonly sequenceNumber: number }
  | { readonly command: 'DeleteTA'; readonly key: string; readonly tcId: string; readonly spid: string; readonly sdname: string; readonly taid: string }
  | { readonly command: 'DeleteSD'; readonly key: string; readonly spid: string; readonly sdname: string };

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

export async function planNext(repos: StoreRepositories, deviceId: string, dsi: Dsi, skip: ReadonlySet<string>): Promise<PlannedCommand | undefined> {
  const sds = dsi.tee.sdlist.sd;
  const sdOf = (spid: string, name: string) => sds.find((sd) => sd.spid === spid && sd.name === name);
  const inventory = new Map((await repos.inventory.list(deviceId, { protocol: 'otrp' })).map((e) => [hex(e.componentId), e]));
  const wanted = new Set<string>();
  const plans: PlannedCommand[] = [];
  for (const p of await repos.policies.resolve(deviceId)) {
    const tc = await repos.trustedComponents.get(p.tcId);
    if (!tc || tc.format !== OTRP_TA_FORMAT) continue;
    const pkg = decodeOtrpTaPackage(tc.manifest);
    const sd = sdOf(pkg.spid, pkg.sdname);
    const present = sd?.talist.some((t) => t.taid === pkg.taid) ?? false;
    if (p.action === 'required') {
      wanted.add(`${pkg.spid}/${pkg.sdname}`);
      if (!sd) plans.push({ command: 'CreateSD', key: `CreateSD:${pkg.spid}/${pkg.sdname}`, pkg });
      else if (!present) plans.push({ command: 'InstallTA', key: `InstallTA:${pkg.taid}`, tcId: tc.id, pkg, sequenceNumber: tc.sequenceNumber });
      else {
        const installed = inventory.get(hex(tc.componentId))?.sequenceNumber;
        if (installed !== null && installed !== undefined && installed < tc.sequenceNumber) {
          plans.push({ command: 'UpdateTA', key: `UpdateTA:${pkg.taid}:${tc.sequenceNumber}`, tcId: tc.id, pkg, sequenceNumber: tc.sequenceNumber });
        }
      }
    } else if (p.action === 'remove' && sd && present) {
      plans.push({ command: 'DeleteTA', key: `DeleteTA:${pkg.taid}`, tcId: tc.id, spid: pkg.spid, sdname: pkg.sdname, taid: pkg.taid });
    }
  }
  for (const sd of sds) {
    if (sd.talist.length === 0 && !wanted.has(`${sd.spid}/${sd.name}`)) plans.push({ command: 'DeleteSD', key: `DeleteSD:${sd.spid}/${sd.name}`, spid: sd.spid, sdname: sd.name });
  }
  return plans.find((p) => !skip.has(p.key));
}
