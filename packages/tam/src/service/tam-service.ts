/**
 * TamService: the TAM's protocol side (http/tam-handler.ts TamProtocolHandler) on top of core's TAM
 * session machine (teep/tam-session.ts), with its state in the store between HTTP requests.
 *
 *   processConnect      new session row + QueryRequest (token, and challenge, registered in the store)
 *   processTeepMessage  correlate (correlate.ts) -> in ONE transaction: consume the token/challenge,
 *                       load the session, run the machine with the store-backed ports (device chain
 *                       validator, TokenStore, TamPolicy, Verifier), then persist state, device,
 *                       inventory and the audit entry -> the machine's answer (or none: 204)
 *
 * A message the TAM drops (the machine throws, a device is blocked or backing off, the token is used)
 * rolls the transaction back, so the TAM's state is unchanged; then the refusal is audited with its
 * code, and, when the machine had already matched the token after verifying the signature
 * (docs/teep-decisions.md §4), the token is used up so the message cannot be replayed. The thrown
 * error reaches the HTTP layer, which answers 204 (http/error-response.ts).
 */
import {
  COSE_HEADER, createPeerTrust, headerValue, isOtrpError, processConnect, readX5chain, processTamTeepMessage, TeepReplayed, TeepTokenExpired, TeepTokenUnknown, toHex,
} from '@otrp/core';
import type { AttestationSource, AttestationVerifier, CoseHeaders, CoseKey, CryptoProvider, EndorsementKeyResolver, ReferenceValues, TamConfig, TeepProfileName } from '@otrp/core';
import type { TamProtocolHandler, TeepExchangeContext } from '../http/tam-handler.js';
import { StoreNotFound, StoreTokenExpired, StoreTokenUsed } from '../store/errors.js';
import type { Store, StoreRepositories } from '../store/store.js';
import type { JsonValue } from '../store/records.js';
import { correlate, type Correlation } from './correlate.js';
import { cachedChainValidator } from './chain-cache.js';
import { deviceChainValidator } from './device-identity.js';
import { enrolledKeyResolver, enrolledKeyVerifier } from './evidence-verifier.js';
import { newExchange, TAM_ACTOR, type ExchangeFacts } from './exchange.js';
import { decodeSessionBlob, encodeSessionBlob } from './session-blob.js';
import { recordOutcome } from './session-outcome.js';
import { StorePolicy } from './store-policy.js';
import { StoreTokenStore } from './store-token-store.js';
import { tamAttestationSource } from './tam-attestation.js';
import { TcCatalog } from './tc-catalog.js';
import type { PkiTrust } from './trust.js';

export { TAM_ACTOR };

export interface ServiceLogger {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

export interface TamServiceOptions {
  readonly store: Store;
  readonly trust: PkiTrust;
  /** Default 'background-check' (issue 5: attestation is on by default). */
  readonly attestation?: 'background-check' | 'none';
  /** Reference values of the built-in Verifier; none = any hwmodel (a warning is logged once). */
  readonly referenceValues?: ReferenceValues;
  readonly tokenLifetimeMs?: number;
  readonly backoffMs?: number;
  readonly provider?: CryptoProvider;
  readonly logger?: ServiceLogger;
  /** Clock (epoch ms), default Date.now. */
  readonly clock?: () => number;
}

const HOUR = 3_600_000;

export class TamService implements TamProtocolHandler {
  readonly #o: TamServiceOptions;
  readonly #catalog = new TcCatalog();
  readonly #clock: () => number;
  readonly #lifetime: number;
  /** Device chains validated recently (chain-cache.ts): each message repeats the device's x5chain. */
  readonly #validate = cachedChainValidator();
  /** The built-in Verifier: the enrolled attestation key the Evidence names, the configured reference values. */
  readonly #verifier: AttestationVerifier;
  /** Enrolled device keys by kid: SUIT-report keys here, attestation keys in the Verifier. */
  readonly #enrolledKeyOf: EndorsementKeyResolver;
  /** The TAM's own Evidence, for Agents that answer Error 7 (tam-attestation.ts); none without the key. */
  readonly #selfAttestation: AttestationSource | undefined;

  constructor(options: TamServiceOptions) {
    this.#o = options;
    this.#clock = options.clock ?? Date.now;
    this.#lifetime = options.tokenLifetimeMs ?? 6 * HOUR;
    this.#enrolledKeyOf = enrolledKeyResolver(options.trust);
    const attKey = options.trust.keys.attestation;
    this.#selfAttestation = attKey ? tamAttestationSource(attKey, options.provider) : undefined;
    if (!attKey) options.logger?.warn({}, 'the PKI has no TAM attestation key (tam/attestation/): Agents that require TAM attestation cannot be served');
    this.#verifier = enrolledKeyVerifier({
      trust: options.trust, ...(options.referenceValues && { referenceValues: options.referenceValues }), ...(options.provider && { provider: options.provider }),
    });
    if ((options.attestation ?? 'background-check') === 'background-check' && options.referenceValues?.hwmodels === undefined) {
      options.logger?.warn({}, 'no reference values configured: any device hwmodel is accepted');
    }
  }

  /** "ProcessConnect": a new session and its QueryRequest (-26 §7.1). */
  async processConnect(ctx: TeepExchangeContext): Promise<Uint8Array | null> {
    const now = this.#clock();
    const id = crypto.randomUUID();
    return this.#o.store.transaction(async (tx) => {
      // The machine's token and challenge are written with the new session row, in one insert each.
      const tokens = new StoreTokenStore(tx, undefined, { collect: true });
      const r = await processConnect(this.#config(ctx.profile, tx, newExchange(), tokens, now, false), { now, sessionId: id });
      await tx.sessions.create({ id, protocol: 'teep', state: encodeSessionBlob({ v: 1, machine: r.state }), expiresAt: now + this.#lifetime }, tokens.collected);
      return r.outputs[0]?.bytes ?? null;
    });
  }

  /** "ProcessTeepMessage": one Agent message of an existing session. */
  async processTeepMessage(body: Uint8Array, ctx: TeepExchangeContext): Promise<Uint8Array | null> {
    const now = this.#clock();
    const ex = newExchange();
    let corr: Correlation | undefined;
    let tokens: StoreTokenStore | undefined;
    try {
      corr = await correlate(body, ctx.profile, this.#o.trust.keys.keyAgreement, this.#o.provider);
      const c = corr;
      return await this.#o.store.transaction(async (tx) => {
        const consumed = await consumeOrDrop(tx, c);
        ex.sessionId = consumed.session.id;
        const blob = decodeSessionBlob(consumed.session.state);
        tokens = new StoreTokenStore(tx, {
          record: { value: toHex(c.value), kind: c.kind, sessionId: blob.machine.id, expiresAt: consumed.token.expiresAt },
        });
        const checkBackoff = c.message.type === 'query-response';
        // The message is decoded once: correlate's decoding (opened, message) goes to the session machine.
        const r = await processTamTeepMessage(this.#config(ctx.profile, tx, ex, tokens, now, checkBackoff), blob.machine, body, { now, decoded: c });
        await recordOutcome(tx, { ex, blob, result: r, now, lifetime: this.#lifetime, ctx, message: c.message.type });
        return r.outputs[0]?.bytes ?? null;
      });
    } catch (e) {
      if (tokens?.consumeCalled && corr !== undefined) {
        // Verified and matched, then dropped: the token (and the request's other value) stays used
        // (-26 §7.1), outside the rolled-back transaction.
        for (const v of [{ kind: corr.kind, value: corr.value }, ...tokens.alsoConsumed]) {
          await this.#o.store.sessions.consume(v.kind, v.value).catch(() => undefined);
        }
      }
      await this.#auditDrop(e, ctx, ex, corr);
      throw e;
    }
  }

  #config(profile: TeepProfileName, tx: StoreRepositories, ex: ExchangeFacts, tokens: StoreTokenStore, now: number, checkBackoff: boolean): TamConfig {
    const { trust } = this.#o;
    const validateChain = deviceChainValidator(tx, ex, { anchors: trust.deviceAnchors, crls: trust.crls, now, checkBackoff, validate: this.#validate });
    const attestation = this.#o.attestation ?? 'background-check';
    return {
      profile,
      keys: trust.keys.signing,
      certificateChains: trust.keys.chains,
      attestation,
      agentTrust: createPeerTrust({ validateChain }),
      // SUIT reports are signed with a separate key, named by kid only: the enrolled device keys,
      // looked up by their precomputed thumbprint (not re-thumbprinted per message: O(fleet) work).
      reportTrust: {
        resolve: async (h) => (readX5chain(h) ? createPeerTrust({ validateChain }).resolve(h) : this.#enrolledKey(h)),
      },
      ...(attestation === 'background-check' && { verifier: this.#verifier }),
      ...(trust.keys.keyAgreement && { keyAgreementKey: trust.keys.keyAgreement }),
      ...(this.#selfAttestation && { attestationSource: this.#selfAttestation }),
      policy: new StorePolicy(tx, ex, this.#catalog, now),
      tokens,
      tokenLifetimeMs: this.#lifetime,
      ...(this.#o.backoffMs !== undefined && { backoffMs: this.#o.backoffMs }),
      ...(this.#o.provider && { provider: this.#o.provider }),
    };
  }

  /** The enrolled key the kid header names (evidence-verifier.ts: the same lookup as for Evidence). */
  async #enrolledKey(headers: CoseHeaders): Promise<CoseKey | undefined> {
    const kid = headerValue(headers, COSE_HEADER.kid);
    return kid instanceof Uint8Array ? this.#enrolledKeyOf(kid) : undefined;
  }

  async #auditDrop(e: unknown, ctx: TeepExchangeContext, ex: ExchangeFacts, corr: Correlation | undefined): Promise<void> {
    const code = isOtrpError(e) ? e.code : 'ERR_INTERNAL';
    const detail: Record<string, JsonValue> = {
      ...(ex.sessionId && { sessionId: ex.sessionId }),
      ...(corr && { message: corr.message.type }),
      ...(ex.presentedSubject && { presentedSubject: ex.presentedSubject }),
      ...(ex.device && { certThumbprint: ex.device.certThumbprint ? toHex(ex.device.certThumbprint) : null }),
      ...(ctx.remote && { remote: ctx.remote }),
      ...(ctx.requestId && { requestId: ctx.requestId }),
      profile: ctx.profile,
      reason: isOtrpError(e) ? e.message : 'internal error',
    };
    try {
      await this.#o.store.audit.append({
        actor: TAM_ACTOR,
        action: 'teep.drop',
        decision: isOtrpError(e) ? 'deny' : 'error',
        deviceId: ex.deviceExisted && ex.device ? ex.device.id : null,
        code,
        detail,
      });
    } catch (err) {
      this.#o.logger?.warn({ err, code }, 'cannot write the dropped message to the audit log');
    }
    this.#o.logger?.info({ code, ...detail }, 'teep message dropped');
  }
}

/** Consumes the correlation value; store refusals become the TEEP drop codes. */
async function consumeOrDrop(tx: StoreRepositories, c: Correlation) {
  try {
    return await tx.sessions.consume(c.kind, c.value);
  } catch (e) {
    if (e instanceof StoreTokenUsed) throw new TeepReplayed('this token or challenge was already answered', { cause: e });
    if (e instanceof StoreTokenExpired) throw new TeepTokenExpired('the token or challenge has expired', { cause: e });
    if (e instanceof StoreNotFound) throw new TeepTokenUnknown('no session issued this token or challenge', { cause: e });
    throw e;
  }
}
