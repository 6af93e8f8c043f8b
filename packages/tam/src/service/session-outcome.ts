/**
 * The bookkeeping after the session machine accepted an Agent message, inside the exchange's
 * transaction (tam-service.ts): the session state, the device (last seen, attestation result), the
 * inventory (pending -> confirmed or cancelled) and one audit entry per decision.
 *
 * | machine outcome | inventory | audit (action, decision, code) |
 * |---|---|---|
 * | Update sent | markPending for each change | teep.query-response, allow |
 * | nothing to do | (tc-list already applied by the policy) | teep.query-response, allow |
 * | QueryResponse refused (Update with err-code) | — | teep.query-response, deny, the TEEP error name |
 * | Success | confirmPending for each change of the Update | teep.success, allow |
 * | Error answering the Update | cancelPending for each change | teep.error, deny, the err-code name |
 * | back-off | a `backoff:<device>` session row until `retryAt` | teep.backoff, info |
 */
import { fromHex, toHex } from '@otrp/core';
import type { EatClaims, TamStepResult } from '@otrp/core';
import type { TeepExchangeContext } from '../http/tam-handler.js';
import { StoreNotFound } from '../store/errors.js';
import type { AuditDecision, JsonValue } from '../store/records.js';
import type { StoreRepositories } from '../store/store.js';
import { backoffSessionId } from './device-identity.js';
import { TAM_ACTOR, type ExchangeFacts, type SentChange } from './exchange.js';
import { encodeSessionBlob, type SessionBlob } from './session-blob.js';

export interface OutcomeInput {
  readonly ex: ExchangeFacts;
  readonly blob: SessionBlob;
  readonly result: TamStepResult;
  readonly now: number;
  readonly lifetime: number;
  readonly ctx: TeepExchangeContext;
  readonly message: string;
}

const sentJson = (s: readonly SentChange[]): JsonValue => s.map((c) => ({ ...c }));

function claimsDetail(c: EatClaims): JsonValue {
  return {
    ...(c.ueid instanceof Uint8Array && { ueid: toHex(c.ueid) }),
    ...(c.hwmodel instanceof Uint8Array && { hwmodel: toHex(c.hwmodel) }),
    ...(typeof c.hwversion?.version === 'string' && { hwversion: c.hwversion.version }),
  };
}

export async function recordOutcome(tx: StoreRepositories, input: OutcomeInput): Promise<void> {
  const { ex, blob, result: r, now, ctx } = input;
  const sessionId = blob.machine.id;
  const deviceId = ex.device?.id ?? blob.deviceId ?? null;
  const base: Record<string, JsonValue> = {
    sessionId, message: input.message, profile: ctx.profile, ...(ctx.remote && { remote: ctx.remote }), ...(ctx.requestId && { requestId: ctx.requestId }),
  };
  const audit = (action: string, decision: AuditDecision, code: string | null, detail: Record<string, JsonValue>) =>
    tx.audit.append({ actor: TAM_ACTOR, action, decision, deviceId, code, detail: { ...base, ...detail }, at: now });
  const pending = blob.sent ?? [];
  const updateSent = r.state.phase === 'awaiting-result' && r.outputs[0]?.type === 'update';

  // recordAttestation sets last-seen too: one write of the device row per message.
  const attested = r.events.some((ev) => ev.type === 'attestation-verified' || (ev.type === 'query-response-refused' && ev.errName === 'ERR_ATTESTATION_REQUIRED'));
  if (deviceId !== null && !attested) await tx.devices.touch(deviceId, now);
  for (const ev of r.events) {
    switch (ev.type) {
      case 'attestation-verified':
        if (deviceId !== null) await tx.devices.recordAttestation(deviceId, 'affirming', claimsDetail(ev.claims), now);
        break;
      case 'query-response-refused':
        if (deviceId !== null && ev.errName === 'ERR_ATTESTATION_REQUIRED') await tx.devices.recordAttestation(deviceId, 'refused', { reason: ev.reason }, now);
        await audit('teep.query-response', 'deny', ev.errName, { reason: ev.reason });
        break;
      case 'nothing-to-do':
        await audit('teep.query-response', 'allow', null, { changes: [] });
        break;
      case 'update-succeeded':
        if (deviceId !== null) for (const c of pending) await settle(tx, deviceId, c, 'confirm', now);
        await audit('teep.success', 'allow', null, { confirmed: sentJson(pending) });
        break;
      case 'agent-error':
        if (deviceId !== null) for (const c of pending) await settle(tx, deviceId, c, 'cancel', now);
        await audit('teep.error', 'deny', ev.name ?? `err-code ${ev.errCode}`, { errCode: ev.errCode, errMsg: ev.errMsg ?? null, errLang: ev.errLang ?? null, cancelled: sentJson(pending) });
        break;
      case 'backoff':
        if (deviceId !== null) await rememberBackoff(tx, deviceId, r, ev.until);
        await audit('teep.backoff', 'info', null, { until: new Date(ev.until).toISOString() });
        break;
      default:
        break;
    }
  }
  if (updateSent && deviceId !== null) {
    for (const c of ex.sent) {
      await tx.inventory.markPending(deviceId, { componentId: fromHex(c.componentId), action: c.action, sequenceNumber: c.sequenceNumber, protocol: 'teep' }, now);
    }
    await audit('teep.query-response', 'allow', null, { changes: sentJson(ex.sent) });
  }
  const next: SessionBlob = { v: 1, machine: r.state, ...(deviceId !== null && { deviceId }), ...(updateSent && { sent: ex.sent }) };
  await tx.sessions.update(sessionId, { state: encodeSessionBlob(next), ...(deviceId !== null && { deviceId }), expiresAt: now + input.lifetime });
}

async function settle(tx: StoreRepositories, deviceId: string, c: SentChange, how: 'confirm' | 'cancel', now: number): Promise<void> {
  try {
    if (how === 'confirm') await tx.inventory.confirmPending(deviceId, fromHex(c.componentId), { protocol: 'teep', at: now });
    else await tx.inventory.cancelPending(deviceId, fromHex(c.componentId), { protocol: 'teep' });
  } catch (e) {
    // Already settled by a later tc-list: nothing pending any more.
    if (!(e instanceof StoreNotFound)) throw e;
  }
}

async function rememberBackoff(tx: StoreRepositories, deviceId: string, r: TamStepResult, until: number): Promise<void> {
  const id = backoffSessionId(deviceId);
  const state = encodeSessionBlob({ v: 1, machine: r.state, deviceId });
  if (await tx.sessions.get(id)) await tx.sessions.update(id, { state, expiresAt: until });
  else await tx.sessions.create({ id, protocol: 'teep', deviceId, state, expiresAt: until });
}
