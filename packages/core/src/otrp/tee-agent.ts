/**
 * The TEE side of OTrP as a pure function of (configuration, request) -> response: the "OTrP
 * implementation inside the TEE" of draft-ietf-teep-opentrustprotocol-03 §9 and the
 * ProcessOTrPMessage call of the HTTP binding. Hosts (the simulated TEE in the device package)
 * supply keys, trust anchors and stores through ports.ts.
 *
 * Order of checks (§9.1.2, §9.2.1.2, notes §11.4): parse -> TAM signature (key from `x5c`/`signer`)
 * -> TBS name matches the outer name -> `ver` -> TAM chain and stapled OCSP -> rid/tid not seen
 * before -> `dsihash` equals the hash of the current DSI for this TAM -> decrypt `content` ->
 * `tamid`/ownership -> execute on a copy of the state -> commit -> signed, encrypted response.
 * Any failure after the TBS could be read gives a signed `status: "fail"` response carrying the
 * draft's error code; nothing is committed. Before the TAM is trusted, the reason travels in the
 * clear and without `did` (no device identifier for an unauthenticated party).
 */
import {
  OtrpProtocolError,
  OtrpRequestInvalid,
  OtrpReplay,
  OtrpDevStateMismatch,
  OtrpTeeFail,
  OtrpTamNotTrusted,
  OtrpUnsupportedCryptoAlg,
} from './errors.js';
import { isOtrpError } from '../errors.js';
import { b64, isObject, type JsonObject } from './fields.js';
import { OTRP_MESSAGE, type OtrpCommand, type OtrpMessageName } from './messages/names.js';
import { decodeGetDeviceStateRequest } from './messages/get-device-state.js';
import { decodeSdTaRequest, encodeSdTaResponse } from './messages/sd-ta.js';
import { decodeRequestContent, encodeContent } from './messages/contents.js';
import { openOtrpMessage, signOtrpMessage, verifyOtrpMessage, toProtocolError } from './signed-message.js';
import { buildDsi } from './tee-dsi.js';
import { deviceId, dsiHash, dsiHashEquals, encodeDsiDocument, type Dsi } from './dsi.js';
import { applyCommand } from './tee-commands.js';
import { decryptTa } from './encrypted-ta.js';
import { parseOtrpJson, type OtrpJsonLimits } from './json.js';
import type { OtrpIdentity, RidTidStore, TaSignatureCheck, TamTrust, TeeStore, TfwSigner, TrustedTam } from './ports.js';
import { chooseKeyAlgorithm, decryptJwe, encryptJwe } from '../jose/jwe.js';
import { readSignerChain } from '../jose/jws.js';
import { DEFAULT_JWS_ALG, type JoseKeyType, type JosePolicy, type JwsAlgorithm } from '../jose/algorithms.js';
import { describeSpki, generateJoseKeyPair } from '../jose/keys.js';
import type { RawRsa } from '../jose/raw-rsa.js';
import { decodeBase64Lenient, decodeBase64url } from '../jose/base64.js';
import { parseCertificate } from '../pki/certificate-info.js';

export interface TeeAgentOptions {
  /** The TEE device key and certificate chain (leaf first; the CA certificates go into the DSI). */
  identity: OtrpIdentity;
  teeName: string;
  teeVersion: string;
  store: TeeStore;
  ridTid: RidTidStore;
  tamTrust: TamTrust;
  /** Algorithms accepted from TAMs; also selects the key transport for responses. */
  policy: JosePolicy;
  /** Needed when `policy` includes RSA1_5. */
  rawRsa?: RawRsa;
  /** Key type of new TEE SP AIKs (default EC P-256). */
  spAikKeyType?: JoseKeyType;
  tfw?: TfwSigner;
  taSignatureCheck?: TaSignatureCheck;
  limits?: OtrpJsonLimits;
}

export interface TeeAgentResult {
  /** The response message text (JSON). */
  response: string;
  /** The request's message name. */
  request: OtrpMessageName;
  /** The failure reported in the response, if any. */
  error?: OtrpProtocolError;
}

const RESPONSE_OF = {
  GetDeviceStateRequest: 'GetDeviceTEEStateResponse',
  CreateSDRequest: 'CreateSDResponse',
  UpdateSDRequest: 'UpdateSDResponse',
  DeleteSDRequest: 'DeleteSDResponse',
  InstallTARequest: 'InstallTAResponse',
  UpdateTARequest: 'UpdateTAResponse',
  DeleteTARequest: 'DeleteTAResponse',
} as const satisfies Partial<Record<OtrpMessageName, OtrpMessageName>>;
type RequestName = keyof typeof RESPONSE_OF;

/** Processes one TAM request. Throws only when no response can be formed (unparseable input). */
export async function processOtrpRequest(options: TeeAgentOptions, input: Uint8Array | string): Promise<TeeAgentResult> {
  const opened = openOtrpMessage(input, options.limits);
  const m = opened[0]!;
  if (opened.length !== 1 || !Object.hasOwn(RESPONSE_OF, m.name)) throw new OtrpRequestInvalid(`${m.name} is not a TAM request`);
  const name = m.name as RequestName;
  const echo = peekRidTid(name, m.jws.payload, options.limits);
  const ctx: ResponseContext = { options, name, rid: echo.rid, tid: echo.tid, tam: undefined, alg: undefined };
  try {
    return { request: name, response: await handle(ctx, m) };
  } catch (e) {
    const error = asProtocolError(e);
    return { request: name, response: await failResponse(ctx, error), error };
  }
}

interface ResponseContext {
  options: TeeAgentOptions;
  name: RequestName;
  rid: string;
  tid: string;
  tam: TrustedTam | undefined;
  alg: JwsAlgorithm | undefined;
}

function asProtocolError(e: unknown): OtrpProtocolError {
  if (e instanceof OtrpProtocolError) return e;
  const mapped = toProtocolError(e);
  if (mapped instanceof OtrpProtocolError) return mapped;
  if (isOtrpError(e)) return new OtrpRequestInvalid((e as Error).message, { cause: e });
  return new OtrpTeeFail('internal TEE error', { cause: e });
}

/** rid/tid of the (not yet verified) payload, only to echo them in an error response. */
function peekRidTid(name: RequestName, payload: string, limits: OtrpJsonLimits | undefined): { rid: string; tid: string } {
  try {
    const doc = parseOtrpJson(decodeBase64url(payload), limits);
    const tbs = isObject(doc) ? doc[OTRP_MESSAGE[name].tbs] : undefined;
    if (isObject(tbs)) return { rid: typeof tbs.rid === 'string' ? tbs.rid : '', tid: typeof tbs.tid === 'string' ? tbs.tid : '' };
  } catch {
    // fall through: nothing to echo
  }
  return { rid: '', tid: '' };
}

async function ourAlg(options: TeeAgentOptions, supported: readonly string[] | undefined): Promise<JwsAlgorithm> {
  const alg = DEFAULT_JWS_ALG[(await describeSpki(options.identity.key.spki)).type];
  if (supported && !supported.includes(alg)) throw new OtrpUnsupportedCryptoAlg(`the TEE cannot sign with any of ${supported.join(', ')}`);
  return alg;
}

async function handle(ctx: ResponseContext, m: { name: OtrpMessageName; jws: Parameters<typeof verifyOtrpMessage>[0]['jws'] }): Promise<string> {
  const { options, name } = ctx;
  const chain = readSignerChain(m.jws);
  // signerreq is always true (we cache no TAM certificate across messages), so every request carries it.
  if (chain.length === 0) throw new OtrpTamNotTrusted('the request carries no TAM certificate');
  let leafSpki: Uint8Array;
  try {
    leafSpki = parseCertificate(chain[0]!).spki;
  } catch (e) {
    throw new OtrpTamNotTrusted('the TAM certificate cannot be read', { cause: e });
  }
  const { tbs } = await verifyOtrpMessage(m, leafSpki, options.policy, options.limits);
  if (name === 'GetDeviceStateRequest') {
    const req = decodeGetDeviceStateRequest(tbs);
    ctx.alg = await ourAlg(options, req.supportedsigalgs);
    ctx.tam = await options.tamTrust.validateTam(chain, req.ocspdat.map((o) => decodeB64(o)));
    await once(options.ridTid, ctx.tam.tamid, req.rid, req.tid);
    const state = await options.store.load();
    const dsi = await buildDsi({ name: options.teeName, ver: options.teeVersion, chain: options.identity.chain }, state, ctx.tam.tamid);
    if (options.tfw) {
      const tidBytes = new TextEncoder().encode(req.tid);
      const s = await options.tfw.sign(tidBytes);
      dsi.tfwdata = { tbs: b64(tidBytes), cert: b64(s.cert), sigalg: s.sigalg, sig: b64(s.sig) };
    }
    const edsi = await encryptTo(ctx, encodeDsiDocument(dsi));
    const out: JsonObject = { ver: '1.0', status: 'pass', rid: req.rid, tid: req.tid, signerreq: true, edsi: edsi as unknown as JsonObject };
    return wrapGetDeviceState(await signOtrpMessage('GetDeviceTEEStateResponse', out, { key: options.identity.key, alg: ctx.alg }));
  }
  const command = name.slice(0, -'Request'.length) as OtrpCommand;
  const req = decodeSdTaRequest(command, tbs);
  ctx.alg = await ourAlg(options, undefined);
  ctx.tam = await options.tamTrust.validateTam(chain, undefined);
  await once(options.ridTid, ctx.tam.tamid, req.rid, req.tid);
  const state = await options.store.load();
  const teeDescription = { name: options.teeName, ver: options.teeVersion, chain: options.identity.chain };
  if (req.tee !== options.teeName) throw new OtrpRequestInvalid('the request names another TEE');
  if (!dsiHashEquals(req.dsihash, await dsiHash(await buildDsi(teeDescription, state, ctx.tam.tamid)))) {
    throw new OtrpDevStateMismatch('dsihash does not match the current device state');
  }
  let plaintext: Uint8Array;
  try {
    plaintext = (await decryptJwe(req.content, { key: options.identity.key, policy: options.policy, ...(options.rawRsa ? { rawRsa: options.rawRsa } : {}) })).plaintext;
  } catch (e) {
    throw toProtocolError(e);
  }
  const content = decodeRequestContent(command, parseOtrpJson(plaintext, options.limits));
  const did = await deviceId(options.identity.chain[0]!);
  const outcome = await applyCommand(command, content, req.encrypted_ta, {
    state,
    tamid: ctx.tam.tamid,
    did,
    generateSpAik: () => generateJoseKeyPair(options.spAikKeyType ?? 'EC-P256'),
    decryptTa: (et, key, members) => decryptTa(et, { spaik: key, policy: options.policy, members, ...(options.rawRsa ? { rawRsa: options.rawRsa } : {}) }),
    taSignatureCheck: options.taSignatureCheck,
  });
  const dsi: Dsi | undefined = req.nextdsi ? await buildDsi(teeDescription, state, ctx.tam.tamid) : undefined;
  let teespaik: string | undefined;
  let teespaiktype: 'RSA' | 'ECC' | undefined;
  if (outcome.spaik) {
    teespaik = b64(outcome.spaik.key.spki);
    teespaiktype = (await describeSpki(outcome.spaik.key.spki)).type === 'RSA' ? 'RSA' : 'ECC';
  }
  await options.store.commit(state);
  const responseContent = encodeContent({ did, sdname: outcome.sdname, teespaik, teespaiktype, dsi });
  const out = encodeSdTaResponse({ status: 'pass', rid: req.rid, tid: req.tid, content: await encryptTo(ctx, responseContent) });
  return JSON.stringify(await signOtrpMessage(RESPONSE_OF[name], out, { key: options.identity.key, alg: ctx.alg }));
}

function decodeB64(s: string): Uint8Array {
  try {
    return decodeBase64Lenient(s);
  } catch (e) {
    throw new OtrpRequestInvalid('ocspdat is not BASE64', { cause: e });
  }
}

async function once(store: RidTidStore, scope: string, rid: string, tid: string): Promise<void> {
  if (!(await store.recordOnce(scope, rid, tid))) throw new OtrpReplay('rid/tid pair already used');
}

/** Responses are encrypted to the verified TAM key with a fresh CEK (docs/otrp-decisions.md, A4). */
async function encryptTo(ctx: ResponseContext, plaintext: Uint8Array) {
  const spki = ctx.tam!.spki;
  const alg = await chooseKeyAlgorithm(spki, ctx.options.policy);
  return encryptJwe(plaintext, { recipient: spki, alg, enc: ctx.options.policy.content.includes('A128CBC-HS256') ? 'A128CBC-HS256' : ctx.options.policy.content[0]! });
}

function wrapGetDeviceState(signed: JsonObject): string {
  // The Broker's array (§9.1.5); this implementation has one active TEE (notes §15 A23).
  return JSON.stringify({ GetDeviceStateResponse: [signed] });
}

async function failResponse(ctx: ResponseContext, error: OtrpProtocolError): Promise<string> {
  const { options, name } = ctx;
  const alg = ctx.alg ?? DEFAULT_JWS_ALG[(await describeSpki(options.identity.key.spki)).type];
  const key = options.identity.key;
  if (name === 'GetDeviceStateRequest') {
    const out: JsonObject = { ver: '1.0', status: 'fail', rid: ctx.rid, tid: ctx.tid, reason: { 'error-code': error.wireCode } };
    if (error instanceof OtrpUnsupportedCryptoAlg) out.supportedsigalgs = [alg];
    return wrapGetDeviceState(await signOtrpMessage('GetDeviceTEEStateResponse', out, { key, alg }));
  }
  let body: JsonObject;
  if (ctx.tam) {
    const did = await deviceId(options.identity.chain[0]!);
    const content = await encryptTo(ctx, encodeContent({ reason: error.wireCode, did }));
    body = encodeSdTaResponse({ status: 'fail', rid: ctx.rid, tid: ctx.tid, content });
  } else {
    body = encodeSdTaResponse({ status: 'fail', rid: ctx.rid, tid: ctx.tid, reason: { 'error-code': error.wireCode } });
  }
  return JSON.stringify(await signOtrpMessage(RESPONSE_OF[name], body, { key, alg }));
}

