/**
 * GetDeviceState (draft-ietf-teep-opentrustprotocol-03 §9.1).
 *
 * §9.1.1:
 *   { "GetDeviceStateTBSRequest": { "ver": "1.0", "rid": "<Unique request ID>",
 *       "tid": "<transaction ID>", "ocspdat": [<a list of OCSP stapling data>"],
 *       "supportedsigalgs": [<array of supported signing algorithms>] } }
 *
 * §9.1.5 / §9.1.6:
 *   { "GetDeviceTEEStateTBSResponse": { "ver": "1.0", "status": "pass | fail",
 *       "rid": "<the request ID from the request message>", "tid": "<the transaction ID ...>",
 *       "signerreq": true | false, "edsi": "<Encrypted JSON DSI information>" } }
 *   failure: ... "status": "fail", "reason": {"error-code":"<error code>"},
 *       "supportedsigalgs": [<signature algorithms the TEE supports>]
 *
 * The pei-05 shapes the -03 sample still uses are accepted (A8): `ocspdat` as one string,
 * `icaocspdat` (appended to `ocspdat`), `supportedsigalgs` as a comma-separated string.
 */
import { OtrpRequestInvalid } from '../errors.js';
import { bool, checkVersion, compact, object, onlyMembers, optStr, optStrList, str, strList, type JsonObject } from '../fields.js';
import { parseJwe, type OtrpJwe } from '../../jose/jwe.js';

export interface GetDeviceStateTbsRequest {
  ver: '1.0';
  rid: string;
  tid: string;
  /** BASE64 DER OCSP responses: TAM certificate first, then each CA up to the root. */
  ocspdat: string[];
  supportedsigalgs?: string[];
}

export function decodeGetDeviceStateRequest(tbs: JsonObject): GetDeviceStateTbsRequest {
  const w = 'GetDeviceStateTBSRequest';
  onlyMembers(tbs, ['ver', 'rid', 'tid', 'ocspdat', 'supportedsigalgs'], w, ['icaocspdat']);
  checkVersion(tbs, w);
  const ocspdat = strList(tbs, 'ocspdat', w);
  const ica = optStrList(tbs, 'icaocspdat', w);
  const sigalgs = optStrList(tbs, 'supportedsigalgs', w, true);
  return compact({ ver: '1.0' as const, rid: str(tbs, 'rid', w), tid: str(tbs, 'tid', w), ocspdat: [...ocspdat, ...(ica ?? [])], supportedsigalgs: sigalgs });
}

export function encodeGetDeviceStateRequest(m: Omit<GetDeviceStateTbsRequest, 'ver'>): JsonObject {
  return compact({ ver: '1.0', rid: m.rid, tid: m.tid, ocspdat: m.ocspdat, supportedsigalgs: m.supportedsigalgs });
}

export interface OtrpReason {
  'error-code': string;
  'error-message'?: string;
}

export interface GetDeviceTeeStateTbsResponse {
  ver: '1.0';
  status: 'pass' | 'fail';
  rid: string;
  tid: string;
  signerreq?: boolean;
  edsi?: OtrpJwe;
  reason?: OtrpReason;
  supportedsigalgs?: string[];
}

export function decodeReason(v: unknown, where: string): OtrpReason {
  if (typeof v === 'string') return { 'error-code': v }; // A13: SD/TA responses use a string
  const o = object(v, where);
  onlyMembers(o, ['error-code', 'error-message'], where);
  return compact({ 'error-code': str(o, 'error-code', where), 'error-message': optStr(o, 'error-message', where) });
}

export function decodeStatus(o: JsonObject, where: string): 'pass' | 'fail' {
  const s = str(o, 'status', where);
  if (s !== 'pass' && s !== 'fail') throw new OtrpRequestInvalid(`${where}: status must be "pass" or "fail"`);
  return s;
}

export function decodeGetDeviceTeeStateResponse(tbs: JsonObject): GetDeviceTeeStateTbsResponse {
  const w = 'GetDeviceTEEStateTBSResponse';
  onlyMembers(tbs, ['ver', 'status', 'rid', 'tid', 'signerreq', 'edsi', 'reason', 'supportedsigalgs'], w);
  checkVersion(tbs, w);
  const status = decodeStatus(tbs, w);
  const out: GetDeviceTeeStateTbsResponse = { ver: '1.0', status, rid: str(tbs, 'rid', w), tid: str(tbs, 'tid', w) };
  if (tbs.signerreq !== undefined) out.signerreq = bool(tbs, 'signerreq', w);
  if (tbs.edsi !== undefined) out.edsi = jweMember(tbs.edsi, `${w}.edsi`);
  if (tbs.reason !== undefined) out.reason = decodeReason(tbs.reason, `${w}.reason`);
  const algs = optStrList(tbs, 'supportedsigalgs', w, true);
  if (algs) out.supportedsigalgs = algs;
  if (status === 'pass' && !out.edsi) throw new OtrpRequestInvalid(`${w}: a passing response needs edsi`);
  return out;
}

export function jweMember(v: unknown, where: string): OtrpJwe {
  try {
    return parseJwe(v);
  } catch (e) {
    throw new OtrpRequestInvalid(`${where}: not a JWE`, { cause: e });
  }
}
