/**
 * The OTrP TA package: what the TAM stores as the `manifest` of a trusted component of format
 * `otrp-ta`. OTrP -03 does not define how a TA reaches the TAM (§9.3: "the TA binary format is TEE
 * specific"), so this is our format: UTF-8 JSON naming where the TA goes (Service Provider and
 * Security Domain, §5.3), the SP certificate the SD is created with (CreateSD `spcert`, §9.2.1.1),
 * and the TA binary and personalization data that InstallTA/UpdateTA encrypt to the TEE SP AIK.
 *
 *   { "spid": tstr, "sdname": tstr, "taid": tstr, "taname"?: tstr,
 *     "spcert": BASE64 DER, "binary": BASE64, "pdata"?: BASE64 }
 *
 * The component id of the TC is the UTF-8 of `taid`, so the inventory row and the DSI talist agree.
 */
import { decodeBase64Lenient, encodeBase64 } from '@otrp/core';
import { TamOtrpTaPackageInvalid } from './errors.js';

export interface OtrpTaPackage {
  spid: string;
  sdname: string;
  taid: string;
  taname?: string;
  spcert: Uint8Array;
  binary: Uint8Array;
  pdata?: Uint8Array;
}

export const OTRP_TA_FORMAT = 'otrp-ta' as const;

export function encodeOtrpTaPackage(p: OtrpTaPackage): Uint8Array {
  const doc: Record<string, string> = { spid: p.spid, sdname: p.sdname, taid: p.taid };
  if (p.taname !== undefined) doc['taname'] = p.taname;
  doc['spcert'] = encodeBase64(p.spcert);
  doc['binary'] = encodeBase64(p.binary);
  if (p.pdata !== undefined) doc['pdata'] = encodeBase64(p.pdata);
  return new TextEncoder().encode(JSON.stringify(doc));
}

const KEYS = new Set(['spid', 'sdname', 'taid', 'taname', 'spcert', 'binary', 'pdata']);

export function decodeOtrpTaPackage(bytes: Uint8Array): OtrpTaPackage {
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (cause) {
    throw new TamOtrpTaPackageInvalid('the TA package is not UTF-8 JSON', { cause });
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new TamOtrpTaPackageInvalid('the TA package must be a JSON object');
  const o = doc as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!KEYS.has(k)) throw new TamOtrpTaPackageInvalid(`unknown TA package member ${k}`);
  const text = (k: string, optional = false): string | undefined => {
    const v = o[k];
    if (v === undefined && optional) return undefined;
    if (typeof v !== 'string' || v.length === 0) throw new TamOtrpTaPackageInvalid(`TA package member ${k} must be a non-empty string`);
    return v;
  };
  const bin = (k: string, optional = false): Uint8Array | undefined => {
    const v = text(k, optional);
    if (v === undefined) return undefined;
    try {
      return decodeBase64Lenient(v);
    } catch (cause) {
      throw new TamOtrpTaPackageInvalid(`TA package member ${k} is not BASE64`, { cause });
    }
  };
  const taname = text('taname', true);
  const pdata = bin('pdata', true);
  return {
    spid: text('spid')!, sdname: text('sdname')!, taid: text('taid')!, spcert: bin('spcert')!, binary: bin('binary')!,
    ...(taname !== undefined && { taname }), ...(pdata !== undefined && { pdata }),
  };
}

/** The TC component id of a TA: the UTF-8 of its taid. */
export function taComponentId(taid: string): Uint8Array {
  return new TextEncoder().encode(taid);
}
