/**
 * The signed OTrP message envelope (draft-ietf-teep-opentrustprotocol-03 §7.3-§7.4):
 *
 *   { "<name>[Request|Response]": { "payload": BASE64URL({"<name>TBS[Request|Response]": {...}}),
 *                                   "protected": ..., "header": {...}, "signature": ... } }
 *
 * The outer name is not signed (§7.4), so after verification the TBS name inside the payload must
 * be the one the outer name announces (notes §15 A22); dispatch is on the verified TBS name.
 */
import { OtrpRequestInvalid, OtrpUnsupportedCryptoAlg } from './errors.js';
import { isObject, object, type JsonObject } from './fields.js';
import { parseOtrpJson, type OtrpJsonLimits } from './json.js';
import { OTRP_MESSAGE, GET_DEVICE_STATE_RESPONSE, isOtrpMessageName, type OtrpMessageName } from './messages/names.js';
import { parseFlattenedJws, signJws, verifyJws, type FlattenedJws } from '../jose/jws.js';
import { DEFAULT_JWS_ALG, type JosePolicy, type JwsAlgorithm } from '../jose/algorithms.js';
import { describeSpki, type JosePrivateKey } from '../jose/keys.js';
import { JoseAlgorithmRefused, JoseError, JoseWeakKey } from '../jose/errors.js';

export interface SignMessageOptions {
  key: JosePrivateKey;
  alg?: JwsAlgorithm;
  /** Unprotected header (e.g. x5c). */
  header?: JsonObject;
}

/** Builds `{ "<name>": JWS({"<tbs>": tbs}) }`. */
export async function signOtrpMessage(name: OtrpMessageName, tbs: JsonObject, options: SignMessageOptions): Promise<{ [k: string]: FlattenedJws }> {
  const alg = options.alg ?? DEFAULT_JWS_ALG[(await describeSpki(options.key.spki)).type];
  const payload = new TextEncoder().encode(JSON.stringify({ [OTRP_MESSAGE[name].tbs]: tbs }));
  const jws = await signJws(payload, { alg, key: options.key, ...(options.header ? { header: options.header } : {}) });
  return { [name]: jws };
}

/** A received message, parsed but not yet verified. */
export interface OpenedMessage {
  name: OtrpMessageName;
  jws: FlattenedJws;
}

/**
 * Parses a received message text. A GetDeviceStateResponse array yields one entry per TEE; every
 * other message yields one entry. Unknown or several top-level members: ERR_REQUEST_INVALID.
 */
export function openOtrpMessage(input: Uint8Array | string, limits?: OtrpJsonLimits): OpenedMessage[] {
  const v = object(parseOtrpJson(input, limits), 'message');
  const keys = Object.keys(v);
  if (keys.length !== 1) throw new OtrpRequestInvalid('message must have exactly one top-level member');
  const name = keys[0]!;
  if (name === GET_DEVICE_STATE_RESPONSE) {
    const list = v[name];
    if (!Array.isArray(list) || list.length === 0) throw new OtrpRequestInvalid('GetDeviceStateResponse must be a non-empty array');
    return list.map((item) => {
      const o = object(item, 'GetDeviceStateResponse[]');
      if (Object.keys(o).length !== 1 || !isObject(o.GetDeviceTEEStateResponse)) throw new OtrpRequestInvalid('GetDeviceStateResponse items must be GetDeviceTEEStateResponse');
      return { name: 'GetDeviceTEEStateResponse' as const, jws: toJws(o.GetDeviceTEEStateResponse) };
    });
  }
  if (!isOtrpMessageName(name)) throw new OtrpRequestInvalid(`unknown message ${name.slice(0, 64)}`);
  return [{ name, jws: toJws(v[name]) }];
}

function toJws(v: unknown): FlattenedJws {
  try {
    return parseFlattenedJws(v);
  } catch (e) {
    throw new OtrpRequestInvalid('message is not a flattened JWS', { cause: e });
  }
}

/** Decodes the (verified) payload and checks the TBS name against the outer name (A22). */
export function readTbs(name: OtrpMessageName, payload: Uint8Array, limits?: OtrpJsonLimits): JsonObject {
  const doc = object(parseOtrpJson(payload, limits), 'payload');
  const tbsName = OTRP_MESSAGE[name].tbs;
  const keys = Object.keys(doc);
  if (keys.length !== 1 || keys[0] !== tbsName) throw new OtrpRequestInvalid(`payload of ${name} must hold exactly ${tbsName}`);
  return object(doc[tbsName], tbsName);
}

/** Verifies the JWS with `spki` and returns the TBS object; JOSE failures become protocol errors. */
export async function verifyOtrpMessage(m: OpenedMessage, spki: Uint8Array, policy: JosePolicy, limits?: OtrpJsonLimits): Promise<{ tbs: JsonObject; alg: JwsAlgorithm }> {
  let r;
  try {
    r = await verifyJws(m.jws, { spki, policy });
  } catch (e) {
    throw toProtocolError(e);
  }
  return { tbs: readTbs(m.name, r.payload, limits), alg: r.alg };
}

/**
 * Maps jose-layer failures to the draft's codes: a refused alg or a too weak key (RSA < 2048) ->
 * UNSUPPORTED_CRYPTO_ALG, the rest (bad signature, failed decryption, malformed) -> REQUEST_INVALID.
 */
export function toProtocolError(e: unknown): unknown {
  if (e instanceof JoseAlgorithmRefused || e instanceof JoseWeakKey) return new OtrpUnsupportedCryptoAlg(e.message, { cause: e });
  if (e instanceof JoseError) return new OtrpRequestInvalid(e.message, { cause: e });
  return e;
}
