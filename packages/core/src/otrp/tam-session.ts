/**
 * The TAM side of OTrP as pure functions: build each request, process each response
 * (draft-ietf-teep-opentrustprotocol-03 §9.1.7, §9.2, §9.3). The TAM package drives them and
 * persists what they return (TeeView, pending rid/tid) in its store.
 *
 * Every request carries the TAM chain in `x5c` (the TEE answers `signerreq: true`, §7.4.1) and is
 * signed with the TAM key; `content` is encrypted to the TEE device key taken from the verified DSI.
 * Responses must echo the pending rid/tid and name this TEE (`did`), else ERR_OTRP_UNEXPECTED_RESPONSE.
 * An unsigned Broker error (§10) ends the exchange with ERR_OTRP_PEER_FAILURE carrying its errcode.
 */
import { OtrpRequestInvalid, OtrpUnexpectedResponse } from './errors.js';
import { b64, object, type JsonObject } from './fields.js';
import { OTRP_MESSAGE, type OtrpCommand, type OtrpMessageName } from './messages/names.js';
import { decodeGetDeviceTeeStateResponse, encodeGetDeviceStateRequest, type OtrpReason } from './messages/get-device-state.js';
import { decodeSdTaResponse, encodeSdTaRequest } from './messages/sd-ta.js';
import { decodeResponseContent, encodeContent, type CommandContent, type ResponseContent } from './messages/contents.js';
import { openOtrpMessage, readTbs, signOtrpMessage, verifyOtrpMessage } from './signed-message.js';
import { decodeDsi, deviceId, dsiHash, type Dsi } from './dsi.js';
import { encryptTa } from './encrypted-ta.js';
import { parseOtrpJson, type OtrpJsonLimits } from './json.js';
import { throwIfBrokerError } from './messages/broker-error.js';
import { verifyTfwData, type TfwPolicy } from './tfw.js';
import type { OtrpIdentity, TeeTrust } from './ports.js';
import { chooseKeyAlgorithm, decryptJwe, encryptJwe, type OtrpJwe } from '../jose/jwe.js';
import { x5cHeader } from '../jose/jws.js';
import { JWS_ALGORITHMS, type JosePolicy } from '../jose/algorithms.js';
import type { RawRsa } from '../jose/raw-rsa.js';
import { decodeBase64Lenient, decodeBase64url } from '../jose/base64.js';
import { parseCertificate } from '../pki/certificate-info.js';

export interface TamOptions {
  /** TAM key and certificate chain (leaf first). */
  identity: OtrpIdentity;
  /** Our TAM ID (the SAN URI of the TAM certificate, notes §15 A12). */
  tamid: string;
  teeTrust: TeeTrust;
  /** Algorithms accepted from TEEs and used for `content` (key transport per peer). */
  policy: JosePolicy;
  rawRsa?: RawRsa;
  limits?: OtrpJsonLimits;
  /** TFW evidence policy (§9.1.7 step 5); without it, `tfwdata` is reported but not checked. */
  tfwPolicy?: TfwPolicy;
}

/** What the TAM knows about one TEE after GetDeviceState; persist it between messages. */
export interface TeeView {
  name: string;
  /** TEE certificate chain, DER, leaf first (from the DSI). */
  chain: Uint8Array[];
  /** DER SPKI of the TEE device key (verifies responses, receives `content`). */
  spki: Uint8Array;
  did: string;
  dsi: Dsi;
  dsihash: string;
}

/** A request sent and not yet answered. */
export interface PendingRequest {
  name: OtrpMessageName;
  rid: string;
  tid: string;
}

export interface BuiltRequest {
  message: string;
  pending: PendingRequest;
}

function newId(): string {
  return globalThis.crypto.randomUUID();
}

async function sign(options: TamOptions, name: OtrpMessageName, tbs: JsonObject): Promise<string> {
  return JSON.stringify(await signOtrpMessage(name, tbs, { key: options.identity.key, header: x5cHeader(options.identity.chain) }));
}

export interface GetDeviceStateParams {
  rid?: string;
  /** Unpredictable by default: TFW evidence signs it (§9.1.3). */
  tid?: string;
  /** DER OCSP responses for the TAM certificate and each CA (§9.1.1). */
  ocspdat?: readonly Uint8Array[];
  supportedsigalgs?: string[];
}

/** GetDeviceStateRequest (§9.1.1), signed, not encrypted. */
export async function buildGetDeviceStateRequest(options: TamOptions, p: GetDeviceStateParams = {}): Promise<BuiltRequest> {
  const rid = p.rid ?? newId();
  const tid = p.tid ?? newId();
  const supportedsigalgs = p.supportedsigalgs ?? options.policy.jws.filter((a) => JWS_ALGORITHMS[a].status !== 'outside-draft');
  const tbs = encodeGetDeviceStateRequest({ rid, tid, ocspdat: (p.ocspdat ?? []).map(b64), supportedsigalgs });
  return { message: await sign(options, 'GetDeviceStateRequest', tbs), pending: { name: 'GetDeviceStateRequest', rid, tid } };
}

export type TeeStateResult =
  | { status: 'pass'; tee: TeeView; signerreq: boolean; tfw: 'verified' | 'absent' | 'not checked' }
  | { status: 'fail'; reason: OtrpReason | undefined; supportedsigalgs: string[] | undefined; verified: boolean };

function checkEcho(pending: PendingRequest, rid: string, tid: string): void {
  if (rid !== pending.rid || tid !== pending.tid) throw new OtrpUnexpectedResponse('the response does not echo the pending rid/tid');
}

/**
 * GetDeviceStateResponse (§9.1.7): decrypt `edsi`, take the TEE certificate from the DSI, verify
 * the TEE signature with it, validate the TEE chain. A `fail` answer carries no certificate: it is
 * verified with `known` (a TeeView from an earlier session) when given, else reported unverified.
 */
export async function processGetDeviceStateResponse(options: TamOptions, input: Uint8Array | string, pending: PendingRequest, known?: TeeView): Promise<TeeStateResult[]> {
  throwIfBrokerError(parseOtrpJson(input, options.limits));
  const out: TeeStateResult[] = [];
  for (const m of openOtrpMessage(input, options.limits)) {
    if (m.name !== 'GetDeviceTEEStateResponse') throw new OtrpUnexpectedResponse(`expected GetDeviceStateResponse, got ${m.name}`);
    // The payload is read before verification only to find edsi; nothing is trusted before verifyOtrpMessage.
    const unverified = decodeGetDeviceTeeStateResponse(readTbs(m.name, decodePayload(m.jws.payload), options.limits));
    if (unverified.status === 'fail' || !unverified.edsi) {
      let verified = false;
      let r = unverified;
      if (known) {
        r = decodeGetDeviceTeeStateResponse((await verifyOtrpMessage(m, known.spki, options.policy, options.limits)).tbs);
        verified = true;
      }
      checkEcho(pending, r.rid, r.tid);
      out.push({ status: 'fail', reason: r.reason, supportedsigalgs: r.supportedsigalgs, verified });
      continue;
    }
    const plaintext = (await decryptJwe(unverified.edsi, { key: options.identity.key, policy: options.policy, ...(options.rawRsa ? { rawRsa: options.rawRsa } : {}) })).plaintext;
    const doc = object(parseOtrpJson(plaintext, options.limits), 'edsi');
    if (Object.keys(doc).length !== 1 || doc.dsi === undefined) throw new OtrpRequestInvalid('edsi must hold exactly {"dsi": ...}');
    const dsi = decodeDsi(doc.dsi);
    const chain = [dsi.tee.cert, ...dsi.tee.cacert].map((c) => decodeBase64Lenient(c));
    const spki = parseCertificate(chain[0]!).spki;
    const r = decodeGetDeviceTeeStateResponse((await verifyOtrpMessage(m, spki, options.policy, options.limits)).tbs);
    checkEcho(pending, r.rid, r.tid);
    await options.teeTrust.validateTee(chain);
    const { tfwdata, ...state } = dsi;
    const tfw = options.tfwPolicy ? await verifyTfwData(tfwdata, pending.tid, options.tfwPolicy) : tfwdata ? 'not checked' : 'absent';
    out.push({
      status: 'pass',
      signerreq: r.signerreq ?? true,
      tfw,
      tee: { name: dsi.tee.name, chain, spki, did: await deviceId(chain[0]!), dsi: state, dsihash: await dsiHash(state) },
    });
  }
  return out;
}

function decodePayload(payload: string): Uint8Array {
  try {
    return decodeBase64url(payload);
  } catch (e) {
    throw new OtrpRequestInvalid('payload is not BASE64URL', { cause: e });
  }
}

/** The request content without the members the session fills in (`tamid`; `did` for CreateSD). */
export type CommandParams<C extends OtrpCommand> = Omit<CommandContent[C], 'tamid' | 'did'>;

export interface CommandRequestParams<C extends OtrpCommand> {
  tee: TeeView;
  content: CommandParams<C>;
  /** InstallTA / UpdateTA: the SP's TEE SP AIK (DER SPKI) and what to encrypt to it. */
  ta?: { spaik: Uint8Array; binary?: Uint8Array; pdata?: Uint8Array };
  /** Default true, so the response carries the DSI the next request's dsihash needs (A5). */
  nextdsi?: boolean;
  rid?: string;
  tid?: string;
}

/** Any SD/TA request (§9.2.x.1, §9.3.x.1). */
export async function buildCommandRequest<C extends OtrpCommand>(options: TamOptions, command: C, p: CommandRequestParams<C>): Promise<BuiltRequest> {
  const rid = p.rid ?? newId();
  const tid = p.tid ?? newId();
  const content = command === 'CreateSD' ? { ...p.content, tamid: options.tamid, did: p.tee.did } : { tamid: options.tamid, ...p.content };
  const alg = await chooseKeyAlgorithm(p.tee.spki, options.policy);
  const jwe: OtrpJwe = await encryptJwe(encodeContent(content), { recipient: p.tee.spki, alg });
  let encrypted_ta: JsonObject | undefined;
  if (command === 'InstallTA' || command === 'UpdateTA') {
    if (!p.ta) throw new OtrpRequestInvalid(`${command} needs the TA to encrypt`);
    encrypted_ta = await encryptTa({
      spaik: p.ta.spaik,
      policy: options.policy,
      members: command === 'InstallTA' ? 'install' : 'update',
      ...(p.ta.binary ? { ta: p.ta.binary } : {}),
      ...(p.ta.pdata ? { pdata: p.ta.pdata } : {}),
    });
  }
  const tbs = encodeSdTaRequest({ rid, tid, tee: p.tee.name, nextdsi: p.nextdsi ?? true, dsihash: p.tee.dsihash, content: jwe, ...(encrypted_ta ? { encrypted_ta } : {}) });
  const name = `${command}Request` as OtrpMessageName;
  return { message: await sign(options, name, tbs), pending: { name, rid, tid } };
}

export interface CommandResult {
  status: 'pass' | 'fail';
  /** The draft error code when status is fail. */
  reason?: string;
  content?: ResponseContent;
  /** The TEE view with the new DSI and dsihash when the response carried a DSI. */
  tee: TeeView;
}

/** Any SD/TA response (§9.2.x.3, §9.3.x.2). */
export async function processCommandResponse(options: TamOptions, command: OtrpCommand, input: Uint8Array | string, pending: PendingRequest, tee: TeeView): Promise<CommandResult> {
  throwIfBrokerError(parseOtrpJson(input, options.limits));
  const [m, ...rest] = openOtrpMessage(input, options.limits);
  const expected = `${command}Response`;
  if (!m || rest.length > 0 || m.name !== expected || OTRP_MESSAGE[m.name].from !== 'tee') throw new OtrpUnexpectedResponse(`expected ${expected}`);
  const r = decodeSdTaResponse(command, (await verifyOtrpMessage(m, tee.spki, options.policy, options.limits)).tbs);
  checkEcho(pending, r.rid, r.tid);
  if (!r.content) return { status: r.status, reason: r.reason?.['error-code'] ?? 'ERR_REQUEST_INVALID', tee };
  const plaintext = (await decryptJwe(r.content, { key: options.identity.key, policy: options.policy, ...(options.rawRsa ? { rawRsa: options.rawRsa } : {}) })).plaintext;
  const content = decodeResponseContent(command, parseOtrpJson(plaintext, options.limits));
  if (content.did !== tee.did) throw new OtrpUnexpectedResponse('the response names another device (did)');
  let next = tee;
  if (content.dsi) next = { ...tee, dsi: content.dsi, dsihash: await dsiHash(content.dsi) };
  const result: CommandResult = { status: r.status, content, tee: next };
  if (r.status === 'fail') result.reason = content.reason ?? 'ERR_TEE_FAIL';
  return result;
}
