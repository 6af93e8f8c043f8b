/**
 * A readable summary of a relayed OTrP message (`otrp device run --protocol otrp --verbose`, `otrp
 * demo`): its message name and the fields visible to the REE. The Broker verifies nothing (the TEE
 * and the TAM do); it reads the JWS payload (BASE64URL JSON, signed but not encrypted): rid, tid,
 * the TEE name, status and, when the failure is reported in the clear, its reason. `content`,
 * `edsi` and `encrypted_ta` are JWE and stay opaque. Nothing here throws: an unreadable message is
 * described as such.
 */

export interface OtrpMessageView {
  /** The outer member name (e.g. CreateSDRequest), or undefined when the bytes are not an OTrP message. */
  readonly name: string | undefined;
  /** `key=value` pairs of what the REE can see. */
  readonly fields: string[];
}

const MAX_VIEW_BYTES = 8 * 1024 * 1024;
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function payloadTbs(item: unknown): Obj | undefined {
  // A GetDeviceStateResponse item is itself wrapped: { "GetDeviceTEEStateResponse": <JWS> } (-03 §9.1.5).
  const signed = isObj(item) && item.payload === undefined && Object.keys(item).length === 1 ? item[Object.keys(item)[0]!] : item;
  if (!isObj(signed) || typeof signed.payload !== 'string') return undefined;
  try {
    const doc: unknown = JSON.parse(Buffer.from(signed.payload.replace(/\s+/g, ''), 'base64url').toString('utf8'));
    if (!isObj(doc)) return undefined;
    const inner = doc[Object.keys(doc)[0] ?? ''];
    return isObj(inner) ? inner : undefined;
  } catch {
    return undefined;
  }
}

const short = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}..` : s);

function tbsFields(tbs: Obj): string[] {
  const out: string[] = [];
  if (typeof tbs.rid === 'string') out.push(`rid=${short(tbs.rid)}`);
  if (typeof tbs.tid === 'string') out.push(`tid=${short(tbs.tid)}`);
  if (typeof tbs.tee === 'string') out.push(`tee=${JSON.stringify(tbs.tee)}`);
  if (typeof tbs.status === 'string') out.push(`status=${tbs.status}`);
  const reason = tbs.reason;
  if (typeof reason === 'string') out.push(`reason=${reason}`);
  else if (isObj(reason) && typeof reason['error-code'] === 'string') out.push(`reason=${reason['error-code']}`);
  if (tbs.encrypted_ta !== undefined) out.push('encrypted_ta');
  return out;
}

/** Describes relayed bytes (see the module comment). */
export function describeOtrpMessage(body: Uint8Array): OtrpMessageView {
  if (body.length > MAX_VIEW_BYTES) return { name: undefined, fields: [] };
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    return { name: undefined, fields: [] };
  }
  if (!isObj(doc) || Object.keys(doc).length !== 1) return { name: undefined, fields: [] };
  const name = Object.keys(doc)[0]!;
  const value = doc[name];
  // GetDeviceStateResponse: the Broker's array of signed per-TEE responses (-03 §9.1.5).
  const items = Array.isArray(value) ? value : [value];
  const fields: string[] = [];
  if (Array.isArray(value)) fields.push(`tees=${value.length}`);
  for (const item of items) {
    const tbs = payloadTbs(item);
    if (tbs) fields.push(...tbsFields(tbs));
    else if (isObj(item) && typeof item.errcode === 'string') fields.push(`errcode=${item.errcode}`);
  }
  return { name, fields };
}
