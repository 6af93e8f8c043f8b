/**
 * The encrypted `content` of each SD/TA request and response (draft-ietf-teep-opentrustprotocol-03):
 *
 * CreateSD §9.2.1.1:  { "spid", "sdname", "spcert", "tamid", "did" }
 * UpdateSD §9.2.2.1:  { "tamid", "spid", "sdname", "changes": { "newsdname"?, "newspid"?,
 *                        "spcert"?: [..], "deloldspcert"?: [..], "renewteespaik"?: true | false } }
 * DeleteSD §9.2.3.1:  { "tamid", "sdname", "deleteta": true | false }   (A15: "spid" accepted too)
 * InstallTA §9.3.1.1: { "tamid", "spid", "sdname", "spcert"?, "taid" }
 * UpdateTA §9.3.2.1:  { "tamid", "spid", "sdname", "spcert"?, "taid" }
 * DeleteTA §9.3.3.1:  { "tamid", "sdname", "taid" }                     ("spid" accepted too)
 *
 * Responses (§9.2.1.3 ... §9.3.3.3): { "reason"?, "did", "sdname"?, "cert"?, "teespaik"?,
 *                                      "teespaiktype"?, "dsi"? }
 */
import { OtrpRequestInvalid } from '../errors.js';
import { compact, object, onlyMembers, optBool, optStr, optStrList, str, type JsonObject } from '../fields.js';
import { decodeDsi, type Dsi } from '../dsi.js';
import type { OtrpCommand } from './names.js';

export interface CreateSdContent {
  spid: string;
  sdname: string;
  spcert: string;
  tamid: string;
  did: string;
}
export interface UpdateSdChanges {
  newsdname?: string;
  newspid?: string;
  spcert?: string[];
  deloldspcert?: string[];
  renewteespaik?: boolean;
}
export interface UpdateSdContent {
  tamid: string;
  spid: string;
  sdname: string;
  changes: UpdateSdChanges;
}
export interface DeleteSdContent {
  tamid: string;
  sdname: string;
  spid?: string;
  deleteta?: boolean;
}
export interface TaContent {
  tamid: string;
  spid: string;
  sdname: string;
  spcert?: string;
  taid: string;
}
export interface DeleteTaContent {
  tamid: string;
  sdname: string;
  spid?: string;
  taid: string;
}

export interface CommandContent {
  CreateSD: CreateSdContent;
  UpdateSD: UpdateSdContent;
  DeleteSD: DeleteSdContent;
  InstallTA: TaContent;
  UpdateTA: TaContent;
  DeleteTA: DeleteTaContent;
}

/** Validates the decrypted request content of `command`. */
export function decodeRequestContent<C extends OtrpCommand>(command: C, v: unknown): CommandContent[C] {
  const w = `${command} content`;
  const o = object(v, w);
  switch (command) {
    case 'CreateSD':
      onlyMembers(o, ['spid', 'sdname', 'spcert', 'tamid', 'did'], w);
      return { spid: str(o, 'spid', w), sdname: str(o, 'sdname', w), spcert: str(o, 'spcert', w), tamid: str(o, 'tamid', w), did: str(o, 'did', w) } as CommandContent[C];
    case 'UpdateSD': {
      onlyMembers(o, ['tamid', 'spid', 'sdname', 'changes'], w);
      const c = object(o.changes ?? {}, `${w}.changes`);
      onlyMembers(c, ['newsdname', 'newspid', 'spcert', 'deloldspcert', 'renewteespaik'], `${w}.changes`);
      const changes = compact({
        newsdname: optStr(c, 'newsdname', w),
        newspid: optStr(c, 'newspid', w),
        spcert: optStrList(c, 'spcert', w),
        deloldspcert: optStrList(c, 'deloldspcert', w),
        renewteespaik: optBool(c, 'renewteespaik', w),
      });
      return { tamid: str(o, 'tamid', w), spid: str(o, 'spid', w), sdname: str(o, 'sdname', w), changes } as CommandContent[C];
    }
    case 'DeleteSD':
      onlyMembers(o, ['tamid', 'sdname', 'spid', 'deleteta'], w);
      return compact({ tamid: str(o, 'tamid', w), sdname: str(o, 'sdname', w), spid: optStr(o, 'spid', w), deleteta: optBool(o, 'deleteta', w) }) as CommandContent[C];
    case 'InstallTA':
    case 'UpdateTA':
      onlyMembers(o, ['tamid', 'spid', 'sdname', 'spcert', 'taid'], w);
      return compact({ tamid: str(o, 'tamid', w), spid: str(o, 'spid', w), sdname: str(o, 'sdname', w), spcert: optStr(o, 'spcert', w), taid: str(o, 'taid', w) }) as CommandContent[C];
    case 'DeleteTA':
      onlyMembers(o, ['tamid', 'sdname', 'spid', 'taid'], w);
      return compact({ tamid: str(o, 'tamid', w), sdname: str(o, 'sdname', w), spid: optStr(o, 'spid', w), taid: str(o, 'taid', w) }) as CommandContent[C];
    default:
      throw new OtrpRequestInvalid(`unknown command ${String(command)}`);
  }
}

export interface ResponseContent {
  reason?: string;
  did: string;
  sdname?: string;
  cert?: string;
  teespaik?: string;
  teespaiktype?: 'RSA' | 'ECC';
  dsi?: Dsi;
}

export function decodeResponseContent(command: OtrpCommand, v: unknown): ResponseContent {
  const w = `${command} response content`;
  const o = object(v, w);
  onlyMembers(o, ['reason', 'did', 'sdname', 'cert', 'teespaik', 'teespaiktype', 'dsi'], w);
  const t = optStr(o, 'teespaiktype', w);
  if (t !== undefined && t !== 'RSA' && t !== 'ECC') throw new OtrpRequestInvalid(`${w}: teespaiktype must be RSA or ECC`);
  return compact({
    reason: o.reason === undefined ? undefined : typeof o.reason === 'string' ? o.reason : str(object(o.reason, w), 'error-code', w),
    did: str(o, 'did', w),
    sdname: optStr(o, 'sdname', w),
    cert: optStr(o, 'cert', w),
    teespaik: optStr(o, 'teespaik', w),
    teespaiktype: t as 'RSA' | 'ECC' | undefined,
    dsi: o.dsi === undefined ? undefined : decodeDsi(o.dsi),
  });
}

export function encodeContent(c: object): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(compact(c as JsonObject)));
}

