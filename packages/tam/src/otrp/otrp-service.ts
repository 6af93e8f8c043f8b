/**
 * The TAM side of OTrP (draft-ietf-teep-opentrustprotocol-03) on the TAM's store, driven by the HTTP
 * binding (otrp-over-http-02 §6: "ProcessConnect" for an empty POST, "ProcessOTrPMessage" otherwise):
 *
 *   processConnect     -> GetDeviceStateRequest, signed, with fresh stapled OCSP data (§9.1.1)
 *   GetDeviceState response pass -> device found/registered by SHA-256 of the TEE certificate (`did`),
 *                         per-peer JOSE policy checked, then the first planned command (otrp-plan.ts)
 *   command response pass        -> store updated (SD rows, inventory), next command, or null (204)
 *   TEE answers fail             -> audited with the draft's error code, pending change cancelled, session
 *                                   ends; ERR_DEV_STATE_MISMATCH re-runs GetDeviceState once (A5);
 *                                   ERR_UNSUPPORTED_CRYPTO_ALG retries with a TAM key the TEE can verify
 *
 * A response is matched to its session by its `tid`, a single-use store token, inside one
 * transaction with everything it changes: a response that fails verification (tampered JWS, wrong
 * key, unknown TEE CA) rolls back and changes nothing; a replayed response finds its token used.
 */
import { createPkiTeeTrust, jweAlgorithms, openOtrpMessage, parseJwe, parseOtrpJson, readTbs, brokerErrorCode, buildGetDeviceStateRequest, isOtrpError, parseCertificate, processCommandResponse, processGetDeviceStateResponse, toHex } from '@otrp/core';
import type { JosePolicy, RawRsa, TamOptions, TeeTrust, TeeView, TrustAnchor } from '@otrp/core';
import type { Store, StoreRepositories } from '../store/store.js';
import { TAM_ACTOR } from '../service/exchange.js';
import { TamOtrpNoSession, TamOtrpPeerRefused } from './errors.js';
import { anyPeerPolicy, peerPolicy, type OtrpTamConfig } from './otrp-config.js';
import type { OtrpPki, OtrpTamIdentity } from './otrp-pki.js';
import type { OcspStapler } from './ocsp-stapler.js';
import { planNext } from './otrp-plan.js';
import { commandFailed, commandSucceeded, sendCommand, sentOf } from './otrp-commands.js';
import { decodeSessionState, encodeSessionState, tidToken, type OtrpSessionState } from './session-state.js';

export interface OtrpTamServiceOptions {
  store: Store;
  pki: OtrpPki;
  stapler: OcspStapler;
  /** Device CA anchors and the current CRLs (the TEE chain is validated against them, §9.1.7). */
  deviceAnchors: readonly TrustAnchor[];
  crls: () => Promise<readonly Uint8Array[]>;
  config?: OtrpTamConfig;
  /** node:crypto raw RSA (createNodeRawRsa), for RSA1_5 peers. */
  rawRsa?: RawRsa;
  sessionTtlMs?: number;
}

type Answer = string | null;
const sha256 = async (b: Uint8Array) => new Uint8Array(await crypto.subtle.digest('SHA-256', b as Uint8Array<ArrayBuffer>));

export class OtrpTamService {
  readonly #o: OtrpTamServiceOptions;
  readonly #config: OtrpTamConfig;
  readonly #teeTrust: TeeTrust;

  constructor(options: OtrpTamServiceOptions) {
    this.#o = options;
    this.#config = options.config ?? {};
    this.#teeTrust = { validateTee: async (chain) => createPkiTeeTrust({ anchors: options.deviceAnchors, crls: await options.crls() }).validateTee(chain) };
  }

  #identity(alg?: string): OtrpTamIdentity {
    const ids = this.#o.pki.identities;
    return ids.find((i) => i.alg === (alg ?? this.#config.signingAlg)) ?? ids[0]!;
  }

  #options(identity: OtrpTamIdentity, policy: JosePolicy): TamOptions {
    return { identity, tamid: this.#o.pki.tamid, teeTrust: this.#teeTrust, policy, ...(this.#o.rawRsa && { rawRsa: this.#o.rawRsa }) };
  }

  get #ttl(): number {
    return this.#o.sessionTtlMs ?? 10 * 60_000;
  }

  /** "ProcessConnect" (-02 §6.1): a new session, answered with GetDeviceStateRequest. */
  async processConnect(): Promise<string> {
    const identity = this.#identity();
    const { message, state } = await this.#getDeviceState(identity, { tried: [identity.alg], skip: [], steps: 0, resyncs: 0 });
    const expiresAt = Date.now() + this.#ttl;
    const session = await this.#o.store.sessions.create({ protocol: 'otrp', state: encodeSessionState(state), expiresAt }, [{ kind: 'tid', value: tidToken(state.pending.tid), expiresAt }]);
    await this.#o.store.audit.append({ actor: TAM_ACTOR, action: 'otrp.session-open', decision: 'info', detail: { session: session.id, alg: identity.alg } });
    return message;
  }

  async #getDeviceState(identity: OtrpTamIdentity, base: Omit<OtrpSessionState, 'v' | 'alg' | 'pending'> & { tee?: TeeView; deviceId?: string }) {
    const ocspdat = await this.#o.stapler.staple(identity.chain);
    const built = await buildGetDeviceStateRequest(this.#options(identity, anyPeerPolicy(this.#config)), { ocspdat });
    const state: OtrpSessionState = { ...base, v: 1, alg: identity.alg, pending: built.pending };
    delete state.sent;
    return { message: built.message, state };
  }

  /** "ProcessOTrPMessage" (-02 §6.1): a TEE response on an open session. */
  async processOtrpMessage(body: Uint8Array): Promise<Answer> {
    let tid = '';
    try {
      tid = responseTid(body);
      return await this.#o.store.transaction(async (tx) => {
        let consumed;
        try {
          consumed = await tx.sessions.consume('tid', tidToken(tid));
        } catch (e) {
          throw new TamOtrpNoSession(undefined, { cause: e });
        }
        const state = decodeSessionState(consumed.session.state);
        const answer = state.pending.name === 'GetDeviceStateRequest' ? await this.#onDeviceState(tx, state, body) : await this.#onCommand(tx, state, body);
        if (answer === null) await tx.sessions.delete(consumed.session.id);
        else {
          await tx.sessions.update(consumed.session.id, { state: encodeSessionState(answer.state), deviceId: answer.state.deviceId ?? null });
          await tx.sessions.addToken(consumed.session.id, { kind: 'tid', value: tidToken(answer.state.pending.tid), expiresAt: Date.now() + this.#ttl });
        }
        return answer?.message ?? null;
      });
    } catch (e) {
      await this.#o.store.audit.append({ actor: TAM_ACTOR, action: 'otrp.message-refused', decision: 'deny', code: isOtrpError(e) ? e.code : 'ERR_INTERNAL', detail: { tid: tid.slice(0, 64) } }).catch(() => {});
      throw e;
    }
  }

  async #onDeviceState(tx: StoreRepositories, state: OtrpSessionState, body: Uint8Array): Promise<{ message: string; state: OtrpSessionState } | null> {
    const identity = this.#identity(state.alg);
    const results = await processGetDeviceStateResponse(this.#options(identity, anyPeerPolicy(this.#config)), body, state.pending, state.tee);
    const r = results[0];
    if (!r) throw new TamOtrpNoSession('the GetDeviceStateResponse lists no TEE');
    if (r.status === 'fail') {
      const code = r.reason?.['error-code'] ?? 'ERR_REQUEST_INVALID';
      const other = this.#o.pki.identities.find((i) => !state.tried.includes(i.alg) && (r.supportedsigalgs ?? []).includes(i.alg));
      if (code === 'ERR_UNSUPPORTED_CRYPTO_ALG' && other) return this.#getDeviceState(other, { ...state, tried: [...state.tried, other.alg] });
      await tx.audit.append({ actor: TAM_ACTOR, deviceId: state.deviceId ?? null, action: 'otrp.tee-refused', decision: 'deny', code, detail: { message: 'GetDeviceStateRequest', verified: r.verified } });
      return null;
    }
    const tee = r.tee;
    const leaf = parseCertificate(tee.chain[0]!);
    const thumbprint = await sha256(tee.chain[0]!);
    const policy = peerPolicy(this.#config, { subject: leaf.subject, thumbprint: toHex(thumbprint) });
    const edsiAlg = edsiKeyAlgorithm(body, anyPeerPolicy(this.#config));
    if (edsiAlg !== undefined && !policy.keyManagement.includes(edsiAlg)) throw new TamOtrpPeerRefused(`key transport ${edsiAlg} is not configured for this TEE`);
    let device = await tx.devices.findByThumbprint(thumbprint);
    device ??= await tx.devices.create({ subject: leaf.subject, certThumbprint: thumbprint });
    if (device.blocked || device.decommissioned) {
      await tx.audit.append({ actor: TAM_ACTOR, deviceId: device.id, action: 'otrp.device-refused', decision: 'deny', code: 'ERR_TAM_DEVICE_BLOCKED' });
      return null;
    }
    await tx.devices.touch(device.id);
    await tx.audit.append({ actor: TAM_ACTOR, deviceId: device.id, action: 'otrp.device-state', decision: 'allow', detail: { did: tee.did, sds: tee.dsi.tee.sdlist.sd.length, tfw: r.tfw } });
    return this.#next(tx, { ...state, tee, deviceId: device.id });
  }

  async #onCommand(tx: StoreRepositories, state: OtrpSessionState, body: Uint8Array): Promise<{ message: string; state: OtrpSessionState } | null> {
    const sent = state.sent!;
    const tee = state.tee!;
    const deviceId = state.deviceId!;
    const leaf = parseCertificate(tee.chain[0]!);
    const policy = peerPolicy(this.#config, { subject: leaf.subject, thumbprint: toHex(await sha256(tee.chain[0]!)) });
    const r = await processCommandResponse(this.#options(this.#identity(state.alg), policy), sent.command, body, state.pending, tee);
    if (r.status === 'pass') {
      await commandSucceeded(tx, this.#o.pki.tamid, deviceId, sent);
      await tx.audit.append({ actor: TAM_ACTOR, deviceId, action: 'otrp.command', decision: 'allow', detail: { command: sent.command, sdname: sent.sdname, taid: sent.taid ?? null } });
      return this.#next(tx, { ...state, tee: r.tee });
    }
    await commandFailed(tx, deviceId, sent);
    const code = r.reason ?? 'ERR_TEE_FAIL';
    await tx.audit.append({ actor: TAM_ACTOR, deviceId, action: 'otrp.tee-refused', decision: 'deny', code, detail: { command: sent.command, sdname: sent.sdname, taid: sent.taid ?? null } });
    if (code === 'ERR_DEV_STATE_MISMATCH' && state.resyncs < 1) {
      // Not a failure of the command itself: it may be planned again from the fresh DSI.
      return this.#getDeviceState(this.#identity(state.alg), { ...state, resyncs: state.resyncs + 1, skip: state.skip.filter((k) => k !== sent.key) });
    }
    return null;
  }

  async #next(tx: StoreRepositories, state: OtrpSessionState): Promise<{ message: string; state: OtrpSessionState } | null> {
    if (state.steps >= (this.#config.maxCommandsPerSession ?? 32)) return null;
    const planned = await planNext(tx, state.deviceId!, state.tee!.dsi, new Set(state.skip));
    if (!planned) return null;
    const options = this.#options(this.#identity(state.alg), peerPolicy(this.#config, { subject: parseCertificate(state.tee!.chain[0]!).subject, thumbprint: toHex(await sha256(state.tee!.chain[0]!)) }));
    const built = await sendCommand(tx, options, state.deviceId!, state.tee!, planned);
    return { message: built.message, state: { ...state, pending: built.pending, sent: sentOf(planned), steps: state.steps + 1, skip: [...state.skip, planned.key] } };
  }
}

/** The `tid` a response echoes (read before verification, only to find the session). */
function responseTid(body: Uint8Array): string {
  const doc = parseOtrpJson(body);
  if (brokerErrorCode(doc) !== undefined) {
    const e = (doc as { OTrPBrokerError?: { tid?: unknown } }).OTrPBrokerError;
    if (typeof e?.tid === 'string' && e.tid !== '') return e.tid;
    throw new TamOtrpNoSession('a Broker error without tid names no session');
  }
  const [m] = openOtrpMessage(body);
  if (!m) throw new TamOtrpNoSession('the message holds no OTrP response');
  const tbs = readTbs(m.name, new Uint8Array(Buffer.from(m.jws.payload, 'base64url')));
  if (typeof tbs['tid'] !== 'string' || tbs['tid'] === '') throw new TamOtrpNoSession('the response carries no tid');
  return tbs['tid'];
}

/** The key transport of a GetDeviceStateResponse's `edsi` (checked against the peer's configuration). */
function edsiKeyAlgorithm(body: Uint8Array, policy: JosePolicy) {
  const [m] = openOtrpMessage(body);
  if (!m) return undefined;
  const edsi = readTbs(m.name, new Uint8Array(Buffer.from(m.jws.payload, 'base64url')))['edsi'];
  return edsi === undefined ? undefined : jweAlgorithms(parseJwe(edsi), policy).alg;
}

