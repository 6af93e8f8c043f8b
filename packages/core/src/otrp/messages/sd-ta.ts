/**
 * The common shape of the SD and TA commands (draft-ietf-teep-opentrustprotocol-03 §9.2, §9.3):
 *
 *   { "<Cmd>TBSRequest": { "ver": "1.0", "rid": "<unique request ID>", "tid": "<transaction ID>",
 *       "tee": "<TEE routing name from the DSI>", "nextdsi": true | false,
 *       "dsihash": "<hash of DSI returned in the prior query>",
 *       "content": ENCRYPTED { ... },            // JWE to the TEE's key
 *       "encrypted_ta": { ... } } }              // InstallTA / UpdateTA only, see encrypted-ta.ts
 *
 *   { "<Cmd>TBSResponse": { "ver": "1.0", "status": "<operation result>",
 *       "rid": "<the request ID received>", "tid": "<the transaction ID received>",
 *       "content": ENCRYPTED { "reason"?, "did", ... } } }
 *
 * A response the TEE cannot encrypt (it could not decrypt the request, notes §15 A14) carries
 * `status: "fail"` and a clear `reason` instead of `content`.
 */
import { OtrpRequestInvalid } from '../errors.js';
import { bool, checkVersion, compact, object, onlyMembers, str, type JsonObject } from '../fields.js';
import { decodeReason, decodeStatus, jweMember, type OtrpReason } from './get-device-state.js';
import type { OtrpJwe } from '../../jose/jwe.js';
import type { OtrpCommand } from './names.js';

export interface SdTaTbsRequest {
  ver: '1.0';
  rid: string;
  tid: string;
  tee: string;
  nextdsi: boolean;
  dsihash: string;
  content: OtrpJwe;
  encrypted_ta?: JsonObject;
}

const HAS_TA: readonly OtrpCommand[] = ['InstallTA', 'UpdateTA'];

export function decodeSdTaRequest(command: OtrpCommand, tbs: JsonObject): SdTaTbsRequest {
  const w = `${command}TBSRequest`;
  const members = ['ver', 'rid', 'tid', 'tee', 'nextdsi', 'dsihash', 'content'];
  onlyMembers(tbs, HAS_TA.includes(command) ? [...members, 'encrypted_ta'] : members, w);
  checkVersion(tbs, w);
  const out: SdTaTbsRequest = {
    ver: '1.0',
    rid: str(tbs, 'rid', w),
    tid: str(tbs, 'tid', w),
    tee: str(tbs, 'tee', w),
    nextdsi: bool(tbs, 'nextdsi', w),
    dsihash: str(tbs, 'dsihash', w),
    content: jweMember(tbs.content, `${w}.content`),
  };
  if (HAS_TA.includes(command)) {
    if (tbs.encrypted_ta === undefined) throw new OtrpRequestInvalid(`${w}: encrypted_ta is required`);
    out.encrypted_ta = object(tbs.encrypted_ta, `${w}.encrypted_ta`);
  }
  return out;
}

export function encodeSdTaRequest(m: Omit<SdTaTbsRequest, 'ver'>): JsonObject {
  return compact({ ver: '1.0', rid: m.rid, tid: m.tid, tee: m.tee, nextdsi: m.nextdsi, dsihash: m.dsihash, content: m.content, encrypted_ta: m.encrypted_ta }) as unknown as JsonObject;
}

export interface SdTaTbsResponse {
  ver: '1.0';
  status: 'pass' | 'fail';
  rid: string;
  tid: string;
  content?: OtrpJwe;
  /** Only when the TEE could not encrypt (A14). */
  reason?: OtrpReason;
}

export function decodeSdTaResponse(command: OtrpCommand, tbs: JsonObject): SdTaTbsResponse {
  const w = `${command}TBSResponse`;
  onlyMembers(tbs, ['ver', 'status', 'rid', 'tid', 'content', 'reason'], w);
  checkVersion(tbs, w);
  const out: SdTaTbsResponse = { ver: '1.0', status: decodeStatus(tbs, w), rid: str(tbs, 'rid', w), tid: str(tbs, 'tid', w) };
  if (tbs.content !== undefined) out.content = jweMember(tbs.content, `${w}.content`);
  if (tbs.reason !== undefined) out.reason = decodeReason(tbs.reason, `${w}.reason`);
  if (!out.content && !(out.status === 'fail' && out.reason)) throw new OtrpRequestInvalid(`${w}: content is required`);
  return out;
}

export function encodeSdTaResponse(m: Omit<SdTaTbsResponse, 'ver'>): JsonObject {
  return compact({ ver: '1.0', status: m.status, rid: m.rid, tid: m.tid, content: m.content, reason: m.reason }) as unknown as JsonObject;
}
