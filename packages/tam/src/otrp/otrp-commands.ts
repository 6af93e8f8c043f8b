/**
 * One planned command -> its signed request (OTrP -03 §9.2.x.1, §9.3.x.1) and the store changes it
 * implies: the inventory row is marked pending when InstallTA/UpdateTA/DeleteTA is sent and confirmed
 * or cancelled with the response (§9.3.1: the TAM updates its records on the TEE's success); the
 * Security Domain row (owner = this TAM's ID, §5.4) is created/deleted on CreateSD/DeleteSD success.
 */
import { buildCommandRequest, decodeBase64Lenient, encodeBase64, otrpErrors } from '@otrp/core';
import type { BuiltRequest, CommandRequestParams, OtrpCommand, TamOptions, TeeView } from '@otrp/core';
import type { StoreRepositories } from '../store/store.js';
import type { PlannedCommand } from './otrp-plan.js';
import type { SentCommand } from './session-state.js';
import { taComponentId } from './ta-package.js';

export function sentOf(p: PlannedCommand): SentCommand {
  switch (p.command) {
    case 'CreateSD':
      return { command: p.command, key: p.key, spid: p.pkg.spid, sdname: p.pkg.sdname };
    case 'InstallTA':
    case 'UpdateTA':
      return { command: p.command, key: p.key, spid: p.pkg.spid, sdname: p.pkg.sdname, taid: p.pkg.taid, tcId: p.tcId, sequenceNumber: p.sequenceNumber };
    case 'DeleteTA':
      return { command: p.command, key: p.key, spid: p.spid, sdname: p.sdname, taid: p.taid, tcId: p.tcId };
    case 'DeleteSD':
      return { command: p.command, key: p.key, spid: p.spid, sdname: p.sdname };
  }
}

/** Builds the request and marks the inventory change pending (inside the caller's transaction). */
export async function sendCommand(tx: StoreRepositories, options: TamOptions, deviceId: string, tee: TeeView, p: PlannedCommand): Promise<BuiltRequest> {
  const build = <C extends OtrpCommand>(command: C, params: Omit<CommandRequestParams<C>, 'tee'>) =>
    buildCommandRequest(options, command, { ...params, tee } as CommandRequestParams<C>);
  const sd = await tx.securityDomains.findByName(deviceId, 'pkg' in p ? p.pkg.sdname : p.sdname);
  switch (p.command) {
    case 'CreateSD':
      return build('CreateSD', { content: { spid: p.pkg.spid, sdname: p.pkg.sdname, spcert: encodeBase64(p.pkg.spcert) } });
    case 'InstallTA':
    case 'UpdateTA': {
      // The TA is encrypted to the TEE SP AIK of its Service Provider (§7.8.1), listed in the DSI.
      const aik = tee.dsi.tee.teeaiklist.find((a) => a.spid === p.pkg.spid);
      if (!aik) throw new otrpErrors.OtrpRequestInvalid(`the DSI lists no TEE SP AIK for ${p.pkg.spid}`);
      await tx.inventory.markPending(deviceId, { componentId: taComponentId(p.pkg.taid), action: 'install', sequenceNumber: p.sequenceNumber, protocol: 'otrp', securityDomainId: sd?.id ?? null });
      const ta = { spaik: decodeBase64Lenient(aik.spaik), binary: p.pkg.binary, ...(p.pkg.pdata && { pdata: p.pkg.pdata }) };
      const content = { spid: p.pkg.spid, sdname: p.pkg.sdname, taid: p.pkg.taid };
      return p.command === 'InstallTA' ? build('InstallTA', { content, ta }) : build('UpdateTA', { content, ta });
    }
    case 'DeleteTA':
      await tx.inventory.markPending(deviceId, { componentId: taComponentId(p.taid), action: 'remove', protocol: 'otrp', securityDomainId: sd?.id ?? null });
      return build('DeleteTA', { content: { spid: p.spid, sdname: p.sdname, taid: p.taid } });
    case 'DeleteSD':
      return build('DeleteSD', { content: { spid: p.spid, sdname: p.sdname, deleteta: false } });
  }
}

/** The TEE answered `pass`: record what changed on the device. */
export async function commandSucceeded(tx: StoreRepositories, tamid: string, deviceId: string, s: SentCommand): Promise<void> {
  switch (s.command) {
    case 'CreateSD':
      if (!(await tx.securityDomains.findByName(deviceId, s.sdname))) await tx.securityDomains.create({ deviceId, name: s.sdname, ownerTam: tamid, spid: s.spid });
      return;
    case 'InstallTA':
    case 'UpdateTA':
    case 'DeleteTA':
      await tx.inventory.confirmPending(deviceId, taComponentId(s.taid!), { protocol: 'otrp' });
      return;
    case 'DeleteSD': {
      const sd = await tx.securityDomains.findByName(deviceId, s.sdname);
      if (sd) await tx.securityDomains.delete(sd.id);
      return;
    }
    default:
      return;
  }
}

/** The TEE answered `fail` (or the exchange ended): the confirmed state stays as it was. */
export async function commandFailed(tx: StoreRepositories, deviceId: string, s: SentCommand): Promise<void> {
  if (s.taid !== undefined && (s.command === 'InstallTA' || s.command === 'UpdateTA' || s.command === 'DeleteTA')) {
    await tx.inventory.cancelPending(deviceId, taComponentId(s.taid), { protocol: 'otrp' });
  }
}
