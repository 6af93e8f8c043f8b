/**
 * TAM: handling a verified QueryResponse (draft-ietf-teep-protocol-26 §7.1.1, §7.1.1.1).
 *
 * 1. The data items the request asked for must be present, the selected version must be one
 *    offered, and every SUIT report's nonce must equal the request's token; otherwise the TAM
 *    "drops the message and sends an Update message containing an appropriate err-code and err-msg".
 * 2. The attestation payload (decrypted first when it was encrypted to the TAM, -26 §8.2) is an
 *    Attestation Result when its format is absent or the TEEP EAT media type, else Evidence for the
 *    Verifier port (-26 §7.1.1). The result must be signed by a trusted Verifier, carry the nonce
 *    (the token in the Passport model, the challenge in Background-Check, -26 §9) and name the
 *    Agent's TEEP key in cnf. A failure is answered with an Update carrying ERR_ATTESTATION_REQUIRED
 *    (-26 §7.1.1.1 case 1; this TAM does not remediate the TEE itself).
 * 3. The policy port decides which manifests to send and which to unlink; nothing to do = no message.
 */
import { isOtrpError } from '../errors.js';
import { isTeepEatMediaType } from '../eat/teep-profile.js';
import { verifyAttestationResult } from '../eat/attestation-result.js';
import { EatUntrustedSigner } from '../eat/errors.js';
import type { EatClaims } from '../eat/claims.js';
import type { QueryResponse } from './messages/query-response.js';
import { TEEP_DATA_ITEM } from './profiles.js';
import type { TeepErrorName } from './errors.js';
import { decryptFromAgent, isEncryptedToTam } from './confidentiality.js';
import { checkReportNonces, openReport, type OpenReportOptions } from './suit-reports.js';
import { fromHex, shortText } from './session-util.js';
import { sendUpdate, type ResolvedTamConfig } from './tam-send.js';
import type { ReceivedAgentMessage } from './tam-session.js';
import type { TamEvent, TamSessionState, TamStepResult } from './tam-types.js';

/** Internal: the QueryResponse is verified but not acceptable (answered by an Update with err-code). */
class Refusal extends Error {
  constructor(
    readonly errName: TeepErrorName,
    readonly reason: string,
  ) {
    super(reason);
  }
}

export async function handleQueryResponse(c: ResolvedTamConfig, state: TamSessionState, r: ReceivedAgentMessage, now: number): Promise<TamStepResult> {
  const msg = r.message as QueryResponse;
  const events: TamEvent[] = [];
  let claims: EatClaims | undefined;
  try {
    await checkRequiredItems(c, state, r, msg);
    claims = msg.attestationPayload ? await appraise(c, r, msg, now) : undefined;
  } catch (e) {
    if (!(e instanceof Refusal)) throw e;
    // -26 §7.1.1: never an Error message; an Update with err-code and err-msg instead.
    const { state: next, output } = await sendUpdate(c, state, now, { errCode: c.teepProfile.errorCodes[e.errName], errMsg: shortText(e.reason) }, false);
    return { state: next, outputs: [output], events: [{ type: 'query-response-refused', errName: e.errName, reason: e.reason }] };
  }
  if (claims) events.push({ type: 'attestation-verified', claims });
  const decision = await c.policy.decide({
    sessionId: state.id,
    agentKid: r.agentKid,
    ...(claims && { claims }),
    tcList: msg.tcList ?? [],
    requestedTcList: msg.requestedTcList ?? [],
    unneededManifestList: msg.unneededManifestList ?? [],
  });
  if (decision.manifests.length === 0 && decision.unneeded.length === 0) {
    return { state: { ...state, phase: 'closed' }, outputs: [], events: [...events, { type: 'nothing-to-do' }] };
  }
  const { state: next, output } = await sendUpdate(
    c, state, now,
    {
      ...(decision.unneeded.length ? { unneededManifestList: decision.unneeded } : {}),
      ...(decision.manifests.length ? { manifestList: decision.manifests } : {}),
    },
    true,
  );
  return { state: next, outputs: [output], events };
}

async function checkRequiredItems(c: ResolvedTamConfig, state: TamSessionState, r: ReceivedAgentMessage, msg: QueryResponse): Promise<void> {
  const bits = r.answers.dataItemRequested ?? 0;
  // tc-list and ext-list are `[+ ...]`: an Agent with nothing installed / no extension leaves them
  // out, so only the attestation payload can be missing (docs/teep-decisions.md §4).
  if (bits & TEEP_DATA_ITEM.attestation && !msg.attestationPayload) throw new Refusal('ERR_PERMANENT_ERROR', 'query-response lacks the requested attestation-payload');
  const version = msg.selectedVersion ?? 0;
  if (!state.offer.versions.includes(version)) throw new Refusal('ERR_UNSUPPORTED_MSG_VERSION', `selected-version ${version} was not offered`);
  if (msg.suitReports?.length) {
    try {
      const reports = await Promise.all(msg.suitReports.map((b) => openReport(b, reportOptions(c, r))));
      checkReportNonces(reports.map((x) => x.report), r.answers.token === undefined ? undefined : fromHex(r.answers.token));
    } catch (e) {
      throw new Refusal('ERR_PERMANENT_ERROR', `suit-reports refused (${isOtrpError(e) ? e.code : 'failure'})`);
    }
  }
}

/** How the TAM opens the SUIT reports of an Agent message `r` (suit-reports.ts). */
export function reportOptions(c: ResolvedTamConfig, r: ReceivedAgentMessage): OpenReportOptions {
  return {
    trust: c.reportTrust ?? c.agentTrust,
    messageKid: r.agentKid,
    ...(c.keyAgreementKey && { keyAgreementKey: c.keyAgreementKey }),
    ...(c.provider && { provider: c.provider }),
  };
}

async function appraise(c: ResolvedTamConfig, r: ReceivedAgentMessage, msg: QueryResponse, now: number): Promise<EatClaims> {
  const nonceHex = r.answers.challenge ?? r.answers.token;
  const nonce = nonceHex === undefined ? undefined : fromHex(nonceHex);
  try {
    let payload = msg.attestationPayload as Uint8Array;
    if (isEncryptedToTam(payload)) {
      if (!c.keyAgreementKey) throw new EatUntrustedSigner();
      payload = await decryptFromAgent(payload, c.keyAgreementKey, 'eat', c.provider);
    }
    const format = msg.attestationPayloadFormat;
    const context = { ...(nonce && { nonce }), teepKey: r.agentKey, now };
    if (format === undefined || isTeepEatMediaType(format)) {
      const verified = await verifyAttestationResult(payload, { verifierKeys: c.verifierKeys ?? [], ...context, ...(c.provider && { provider: c.provider }) });
      return verified.claims;
    }
    if (!c.verifier) throw new EatUntrustedSigner();
    return (await c.verifier.verify(payload, context)).claims;
  } catch (e) {
    if (!isOtrpError(e)) throw e;
    throw new Refusal('ERR_ATTESTATION_REQUIRED', `attestation refused (${e.code})`);
  }
}
