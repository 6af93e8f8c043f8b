/**
 * The Broker's own error message (draft-ietf-teep-opentrustprotocol-03 §10, "Type 2" response),
 * unsigned, sent when the TEE cannot be reached:
 *
 *   { "OTrPBrokerError": { "ver": "1.0", "rid": "", "tid": "",
 *                          "errcode": "ERR_AGENT_TEE_UNKNOWN | ERR_AGENT_TEE_BUSY" } }
 *
 * -02's Broker `status` message ({"status": {"result": "fail", "error-code": "ERR_AGENT_TEE_FAIL",
 * "error-message": ...}}) is accepted too (notes §8). Being unsigned, either only tells the TAM
 * that this exchange ended; it never changes what the TAM believes about the device.
 */
import { OtrpPeerFailure } from '../errors.js';
import { isObject } from '../fields.js';

export type BrokerErrorCode = 'ERR_AGENT_TEE_UNKNOWN' | 'ERR_AGENT_TEE_BUSY' | 'ERR_AGENT_TEE_FAIL';

export function encodeOtrpBrokerError(errcode: BrokerErrorCode, rid = '', tid = ''): string {
  return JSON.stringify({ OTrPBrokerError: { ver: '1.0', rid, tid, errcode } });
}

/** The Broker error code when `doc` (parsed JSON) is a Broker error message, else undefined. */
export function brokerErrorCode(doc: unknown): string | undefined {
  if (!isObject(doc) || Object.keys(doc).length !== 1) return undefined;
  const e = doc.OTrPBrokerError;
  if (isObject(e) && typeof e.errcode === 'string') return e.errcode;
  const s = doc.status;
  if (isObject(s) && s.result === 'fail' && typeof s['error-code'] === 'string') return s['error-code'];
  return undefined;
}

/** Throws OtrpPeerFailure(errcode) when `doc` is a Broker error message. */
export function throwIfBrokerError(doc: unknown): void {
  const code = brokerErrorCode(doc);
  if (code !== undefined) throw new OtrpPeerFailure(code.slice(0, 64), `the Broker answered ${code.slice(0, 64)}`);
}
