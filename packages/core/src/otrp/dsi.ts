/**
 * Device State Information (draft-ietf-teep-opentrustprotocol-03 §9.1.5) and `dsihash`.
 *
 *   { "dsi": { "tfwdata": { "tbs", "cert", "sigalg", "sig" },
 *              "tee": { "name", "ver", "cert", "cacert": [..],
 *                       "sdlist": { "cnt", "sd": [ { "name", "spid", "talist": [ { "taid", "taname"? } ] } ] },
 *                       "teeaiklist": [ { "spaik", "spaiktype": "RSA | ECC", "spid" } ] } } }
 *
 * dsihash (notes §15 A5, A6; docs/otrp-decisions.md): BASE64 of SHA-256 over the UTF-8 of
 * JSON.stringify({"dsi": dsi}) with members in the order the TEE built them (JSON.parse keeps that
 * order, so the TAM recomputes the same bytes from what it received). The TEE compares with the
 * hash of the DSI it would return now for that TAM ("its current state", §9.2.1.2).
 */
import { OtrpRequestInvalid } from './errors.js';
import { b64, bytes, object, onlyMembers, optStr, str, type JsonObject } from './fields.js';
import { decodeBase64Lenient } from '../jose/base64.js';

export interface DsiTa {
  taid: string;
  taname?: string;
}
export interface DsiSd {
  name: string;
  spid: string;
  talist: DsiTa[];
}
export interface DsiSpAik {
  /** BASE64 DER SubjectPublicKeyInfo (A9). */
  spaik: string;
  spaiktype: 'RSA' | 'ECC';
  spid: string;
}
export interface TfwData {
  tbs: string;
  cert: string;
  sigalg: string;
  sig: string;
}
export interface Dsi {
  tfwdata?: TfwData;
  tee: {
    name: string;
    ver: string;
    /** BASE64 DER TEE certificate. */
    cert: string;
    cacert: string[];
    sdlist: { cnt: string; sd: DsiSd[] };
    teeaiklist: DsiSpAik[];
  };
}

const W = 'dsi';

/** Validates a decoded `dsi` object (the value of the "dsi" member). */
export function decodeDsi(v: unknown): Dsi {
  const d = object(v, W);
  onlyMembers(d, ['tfwdata', 'tee'], W);
  const tee = object(d.tee, 'dsi.tee');
  onlyMembers(tee, ['name', 'ver', 'cert', 'cacert', 'sdlist', 'teeaiklist'], 'dsi.tee');
  bytes(tee, 'cert', 'dsi.tee');
  const cacert = tee.cacert === undefined ? [] : tee.cacert;
  if (!Array.isArray(cacert) || !cacert.every((c) => typeof c === 'string')) throw new OtrpRequestInvalid('dsi.tee.cacert must be an array of strings');
  const sdlist = object(tee.sdlist, 'dsi.tee.sdlist');
  onlyMembers(sdlist, ['cnt', 'sd'], 'dsi.tee.sdlist');
  if (!Array.isArray(sdlist.sd)) throw new OtrpRequestInvalid('dsi.tee.sdlist.sd must be an array');
  const sd = sdlist.sd.map((x, i) => {
    const w = `dsi.tee.sdlist.sd[${i}]`;
    const o = object(x, w);
    onlyMembers(o, ['name', 'spid', 'talist'], w);
    if (!Array.isArray(o.talist ?? [])) throw new OtrpRequestInvalid(`${w}.talist must be an array`);
    const talist = ((o.talist ?? []) as unknown[]).map((t, j) => {
      const tw = `${w}.talist[${j}]`;
      const to = object(t, tw);
      onlyMembers(to, ['taid', 'taname'], tw);
      const ta: DsiTa = { taid: str(to, 'taid', tw) };
      const taname = optStr(to, 'taname', tw);
      if (taname !== undefined) ta.taname = taname;
      return ta;
    });
    return { name: str(o, 'name', w), spid: str(o, 'spid', w), talist };
  });
  const aiks = tee.teeaiklist ?? [];
  if (!Array.isArray(aiks)) throw new OtrpRequestInvalid('dsi.tee.teeaiklist must be an array');
  const teeaiklist = aiks.map((x, i) => {
    const w = `dsi.tee.teeaiklist[${i}]`;
    const o = object(x, w);
    onlyMembers(o, ['spaik', 'spaiktype', 'spid'], w);
    const t = str(o, 'spaiktype', w);
    if (t !== 'RSA' && t !== 'ECC') throw new OtrpRequestInvalid(`${w}.spaiktype must be RSA or ECC`);
    bytes(o, 'spaik', w);
    return { spaik: str(o, 'spaik', w), spaiktype: t, spid: str(o, 'spid', w) } as DsiSpAik;
  });
  const cnt = sdlist.cnt === undefined ? String(sd.length) : String(sdlist.cnt); // A18: informational
  const out: Dsi = {
    tee: { name: str(tee, 'name', 'dsi.tee'), ver: str(tee, 'ver', 'dsi.tee'), cert: str(tee, 'cert', 'dsi.tee'), cacert: cacert as string[], sdlist: { cnt, sd }, teeaiklist },
  };
  if (d.tfwdata !== undefined) {
    const t = object(d.tfwdata, 'dsi.tfwdata');
    onlyMembers(t, ['tbs', 'cert', 'sigalg', 'sig'], 'dsi.tfwdata');
    out.tfwdata = { tbs: str(t, 'tbs', 'dsi.tfwdata'), cert: str(t, 'cert', 'dsi.tfwdata'), sigalg: str(t, 'sigalg', 'dsi.tfwdata'), sig: str(t, 'sig', 'dsi.tfwdata') };
  }
  return out;
}

/** `{"dsi": dsi}` as UTF-8 JSON (the `edsi` plaintext). */
export function encodeDsiDocument(dsi: Dsi): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ dsi }));
}

/** dsihash: BASE64(SHA-256(UTF-8 JSON of {"dsi": dsi})). */
export async function dsiHash(dsi: Dsi): Promise<string> {
  return b64(new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', encodeDsiDocument(dsi) as Uint8Array<ArrayBuffer>)));
}

/** Compares two dsihash values by their bytes (BASE64 or BASE64URL on input, A6). */
export function dsiHashEquals(a: string, b: string): boolean {
  let x: Uint8Array;
  let y: Uint8Array;
  try {
    x = decodeBase64Lenient(a);
    y = decodeBase64Lenient(b);
  } catch {
    return false;
  }
  if (x.length !== y.length) return false;
  let d = 0;
  for (let i = 0; i < x.length; i++) d |= x[i]! ^ y[i]!;
  return d === 0;
}

/** `did` (§9.2.1.1): BASE64 of SHA-256 of the DER TEE certificate. */
export async function deviceId(teeCertificate: Uint8Array): Promise<string> {
  return b64(new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', teeCertificate as Uint8Array<ArrayBuffer>)));
}

export type { JsonObject };
