/**
 * What each SD/TA command does to the TEE's state (draft-ietf-teep-opentrustprotocol-03 §9.2.1.2,
 * §9.2.2.2, §9.2.3, §9.3.1, §9.3.2, §9.3.3.2). Works on a private copy of the state; the agent
 * commits it only when the command succeeded.
 */
import {
  OtrpRequestInvalid,
  OtrpSdAlreadyExists,
  OtrpSdNameAlreadyUsed,
  OtrpSdNotEmpty,
  OtrpSdNotFound,
  OtrpSpCertInvalid,
  OtrpTaAlreadyInstalled,
  OtrpTaInvalid,
  OtrpTaNotFound,
  OtrpTamNotAuthorized,
} from './errors.js';
import type { CommandContent } from './messages/contents.js';
import type { OtrpCommand } from './messages/names.js';
import type { TaMembers } from './encrypted-ta.js';
import type { JsonObject } from './fields.js';
import type { TaSignatureCheck, TeeSd, TeeSpAik, TeeState } from './ports.js';
import type { JosePrivateKey } from '../jose/keys.js';
import { decodeBase64Lenient } from '../jose/base64.js';
import { parseCertificate } from '../pki/certificate-info.js';
import { toHex } from '../wire/hex.js';

export interface CommandContext {
  state: TeeState;
  /** TAM ID of the verified TAM certificate. */
  tamid: string;
  /** Our `did`. */
  did: string;
  generateSpAik(): Promise<JosePrivateKey>;
  decryptTa(encryptedTa: JsonObject, spaik: JosePrivateKey, members: TaMembers): Promise<{ ta?: Uint8Array; pdata?: Uint8Array }>;
  taSignatureCheck?: TaSignatureCheck | undefined;
}

export interface CommandOutcome {
  sdname?: string;
  /** The SP AIK to report (`teespaik`) when it was created or renewed. */
  spaik?: TeeSpAik;
}

/** An SP certificate must be a well-formed X.509 certificate (§9.2.1.2: "signature and format only"). */
function spCert(b64: string): Uint8Array {
  try {
    const der = decodeBase64Lenient(b64);
    parseCertificate(der);
    return der;
  } catch (e) {
    throw new OtrpSpCertInvalid('the SP certificate is not a valid certificate', { cause: e });
  }
}

function findSd(state: TeeState, spid: string | undefined, name: string, tamid: string): TeeSd {
  let sds = state.sds.filter((s) => s.name === name && (spid === undefined || s.spid === spid));
  // A15: without spid, the name is looked up among this TAM's SDs and must be unambiguous.
  if (spid === undefined) sds = sds.filter((s) => s.tamid === tamid);
  if (sds.length > 1) throw new OtrpRequestInvalid('SD name is ambiguous without spid');
  const sd = sds[0];
  if (!sd) throw new OtrpSdNotFound(`no SD ${name}`);
  if (sd.tamid !== tamid) throw new OtrpTamNotAuthorized('the SD is owned by another TAM');
  return sd;
}

async function ensureSpAik(ctx: CommandContext, spid: string, renew: boolean): Promise<TeeSpAik | undefined> {
  const existing = ctx.state.spaiks.find((a) => a.spid === spid);
  if (existing && !renew) return undefined;
  const aik = { spid, key: await ctx.generateSpAik() };
  ctx.state.spaiks = [...ctx.state.spaiks.filter((a) => a.spid !== spid), aik];
  return aik;
}

/** §9.2.3: "If this is the last SD ... delete the TEE SP AIK key". */
function dropUnusedSpAik(state: TeeState, spid: string): void {
  if (!state.sds.some((s) => s.spid === spid)) state.spaiks = state.spaiks.filter((a) => a.spid !== spid);
}

function checkOwner(claimed: string, ctx: CommandContext): void {
  if (claimed !== ctx.tamid) throw new OtrpTamNotAuthorized('tamid does not match the TAM certificate');
}

export async function applyCommand<C extends OtrpCommand>(command: C, content: CommandContent[C], encryptedTa: JsonObject | undefined, ctx: CommandContext): Promise<CommandOutcome> {
  const { state } = ctx;
  switch (command) {
    case 'CreateSD': {
      const c = content as CommandContent['CreateSD'];
      checkOwner(c.tamid, ctx);
      if (c.did !== ctx.did) throw new OtrpRequestInvalid('did does not name this TEE');
      if (c.spid === '' || c.sdname === '') throw new OtrpRequestInvalid('spid and sdname must not be empty');
      if (state.sds.some((s) => s.spid === c.spid && s.name === c.sdname)) throw new OtrpSdAlreadyExists(`SD ${c.sdname} exists`);
      const der = spCert(c.spcert);
      state.sds.push({ tamid: ctx.tamid, spid: c.spid, name: c.sdname, spcerts: [der], tas: [] });
      const spaik = (await ensureSpAik(ctx, c.spid, false)) ?? state.spaiks.find((a) => a.spid === c.spid)!;
      return { sdname: c.sdname, spaik };
    }
    case 'UpdateSD': {
      const c = content as CommandContent['UpdateSD'];
      checkOwner(c.tamid, ctx);
      const sd = findSd(state, c.spid, c.sdname, ctx.tamid);
      const ch = c.changes;
      const newSpid = ch.newspid ?? sd.spid;
      const newName = ch.newsdname ?? sd.name;
      if ((newSpid !== sd.spid || newName !== sd.name) && state.sds.some((s) => s !== sd && s.spid === newSpid && s.name === newName)) {
        throw new OtrpSdNameAlreadyUsed(`SD name ${newName} is already used`);
      }
      const added = (ch.spcert ?? []).map(spCert);
      const remove = new Set((ch.deloldspcert ?? []).map((h) => h.toLowerCase()));
      const kept: Uint8Array[] = [];
      for (const der of sd.spcerts) {
        const h = toHex(new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', der as Uint8Array<ArrayBuffer>)));
        if (!remove.has(h)) kept.push(der);
      }
      const oldSpid = sd.spid;
      sd.spcerts = [...kept, ...added];
      sd.spid = newSpid;
      sd.name = newName;
      // "a new SPID for an SD will always trigger a new teespaik generation"
      const spaik = await ensureSpAik(ctx, sd.spid, ch.renewteespaik === true || newSpid !== oldSpid);
      if (newSpid !== oldSpid) dropUnusedSpAik(state, oldSpid);
      return spaik ? { sdname: sd.name, spaik } : { sdname: sd.name };
    }
    case 'DeleteSD': {
      const c = content as CommandContent['DeleteSD'];
      checkOwner(c.tamid, ctx);
      const sd = findSd(state, c.spid, c.sdname, ctx.tamid);
      if (sd.tas.length > 0 && c.deleteta !== true) throw new OtrpSdNotEmpty(`SD ${sd.name} still holds TAs`);
      state.sds = state.sds.filter((s) => s !== sd);
      dropUnusedSpAik(state, sd.spid);
      return { sdname: sd.name };
    }
    case 'InstallTA':
    case 'UpdateTA': {
      const c = content as CommandContent['InstallTA'];
      checkOwner(c.tamid, ctx);
      const sd = findSd(state, c.spid, c.sdname, ctx.tamid);
      const existing = sd.tas.find((t) => t.taid === c.taid);
      if (command === 'InstallTA' && existing) throw new OtrpTaAlreadyInstalled(`TA ${c.taid} is installed`);
      if (command === 'UpdateTA' && !existing) throw new OtrpTaNotFound(`TA ${c.taid} is not installed`);
      const aik = state.spaiks.find((a) => a.spid === sd.spid);
      if (!aik) throw new OtrpTaInvalid('no TEE SP AIK for the SP');
      const opened = await ctx.decryptTa(encryptedTa!, aik.key, command === 'InstallTA' ? 'install' : 'update');
      if (command === 'InstallTA' && (!opened.ta || opened.ta.length === 0)) throw new OtrpTaInvalid('InstallTA needs a TA binary');
      const spcerts = c.spcert !== undefined ? [...sd.spcerts, spCert(c.spcert)] : sd.spcerts;
      if (opened.ta && ctx.taSignatureCheck) await ctx.taSignatureCheck(opened.ta, spcerts);
      sd.spcerts = spcerts;
      if (existing) {
        if (opened.ta) existing.binary = opened.ta;
        if (opened.pdata) existing.pdata = opened.pdata;
      } else {
        sd.tas.push(opened.pdata ? { taid: c.taid, binary: opened.ta!, pdata: opened.pdata } : { taid: c.taid, binary: opened.ta! });
      }
      return { sdname: sd.name };
    }
    case 'DeleteTA': {
      const c = content as CommandContent['DeleteTA'];
      checkOwner(c.tamid, ctx);
      const sd = findSd(state, c.spid, c.sdname, ctx.tamid);
      if (!sd.tas.some((t) => t.taid === c.taid)) throw new OtrpTaNotFound(`TA ${c.taid} is not installed`);
      // §9.3.3.2: the TA's personalization data goes with it.
      sd.tas = sd.tas.filter((t) => t.taid !== c.taid);
      return { sdname: sd.name };
    }
    default:
      throw new OtrpRequestInvalid(`unknown command ${String(command)}`);
  }
}
