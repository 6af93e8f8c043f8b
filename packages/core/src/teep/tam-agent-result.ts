/**
 * TAM: handling a verified Success or Error (draft-ietf-teep-protocol-26 §7.1.2, §4.6).
 *
 * Every SUIT report must authenticate and carry suit-report-nonce = the token of the request it
 * answers; otherwise the message is dropped (throws). Then, for an Error, the draft's
 * recommendations per err-code:
 *   7 ERR_ATTESTATION_REQUIRED -> MUST send a new QueryRequest with the TAM's attestation-payload
 *     (its eat_nonce = the Error's challenge);
 *   5 / 4 / 3 / 8 -> retry the QueryRequest with the common part of both sides' lists;
 *   10 ERR_TEMPORARY_ERROR -> close, retry after a short delay;
 *   11 ERR_MANIFEST_PROCESSING_FAILED -> close (the policy port gets the outcome and reports);
 *   1, 2, 6, 9 and unknown codes -> back off (ERR_PERMANENT_ERROR: "refuse to communicate ... for
 *     some period of time").
 * A retry that is impossible (nothing in common, too many attempts) backs off too.
 */
import type { Success } from './messages/success.js';
import type { TeepErrorMessage } from './messages/teep-error.js';
import { errorNameOf, type SuitCoseProfile } from './profiles.js';
import { TeepUnexpectedMessage, type TeepErrorName } from './errors.js';
import { commonSuites } from './cipher-suites.js';
import { checkReportNonces, openReport } from './suit-reports.js';
import { fromHex } from './session-util.js';
import { sendQueryRequest, tamSigningKey, type ResolvedTamConfig } from './tam-send.js';
import { reportOptions } from './tam-query-response.js';
import type { ReceivedAgentMessage } from './tam-session.js';
import type { TamEvent, TamSessionState, TamStepResult } from './tam-types.js';

export async function handleAgentResult(c: ResolvedTamConfig, state: TamSessionState, r: ReceivedAgentMessage, now: number): Promise<TamStepResult> {
  const msg = r.message as Success | TeepErrorMessage;
  const opened = await Promise.all((msg.suitReports ?? []).map((b) => openReport(b, reportOptions(c, r))));
  const reports = opened.map((o) => o.report);
  checkReportNonces(reports, r.answers.token === undefined ? undefined : fromHex(r.answers.token));
  const outcome = { sessionId: state.id, agentKid: r.agentKid, reports: opened.map((o) => o.payload) };
  if (msg.type === 'success') {
    if (r.answers.kind !== 'update') throw new TeepUnexpectedMessage('a Success that does not answer an Update');
    await c.policy.recordOutcome?.({ ...outcome, ok: true });
    return { state: { ...state, phase: 'closed' }, outputs: [], events: [{ type: 'update-succeeded', reports }] };
  }
  const name = errorNameOf(c.teepProfile, msg.errCode);
  if (r.answers.kind === 'update') await c.policy.recordOutcome?.({ ...outcome, ok: false, ...(name && { errorName: name }) });
  // err-lang goes with err-msg to the operator (-26 §4.6: SHOULD use the tag to aid human operators).
  const text = { ...(msg.errMsg !== undefined && { errMsg: msg.errMsg }), ...(msg.errLang !== undefined && { errLang: msg.errLang }) };
  const errored: TamSessionState = { ...state, lastError: { errCode: msg.errCode, ...(name && { name }), ...text } };
  const events: TamEvent[] = [{ type: 'agent-error', errCode: msg.errCode, ...(name && { name }), ...text, reports }];
  const retry = nextOffer(c, errored, msg, name);
  if (retry === 'close') {
    const retryAt = name === 'ERR_TEMPORARY_ERROR' ? { retryAt: now + c.temporaryRetry } : {};
    return { state: { ...errored, phase: 'closed', ...retryAt }, outputs: [], events };
  }
  if (retry === 'backoff' || errored.attempts >= c.attemptsAllowed) {
    const until = now + c.backoff;
    return { state: { ...errored, phase: 'backing-off', retryAt: until }, outputs: [], events: [...events, { type: 'backoff', until }] };
  }
  let attestation;
  if (name === 'ERR_ATTESTATION_REQUIRED') {
    attestation = await c.attestationSource!.attest({ ...(msg.challenge && { nonce: msg.challenge }), teepKey: tamSigningKey(c, retry) });
  }
  const { state: next, output } = await sendQueryRequest(c, retry, now, attestation);
  return { state: next, outputs: [output], events: [...events, { type: 'retry', reason: name as TeepErrorName }] };
}

/** The state to retry from, or what to do instead. */
function nextOffer(c: ResolvedTamConfig, state: TamSessionState, msg: TeepErrorMessage, name: TeepErrorName | undefined): TamSessionState | 'close' | 'backoff' {
  const { offer } = state;
  const common = <T>(ours: readonly T[], theirs: readonly T[] | undefined) => (theirs ? ours.filter((x) => theirs.includes(x)) : []);
  switch (name) {
    case 'ERR_ATTESTATION_REQUIRED':
      return c.attestationSource ? state : 'backoff';
    case 'ERR_UNSUPPORTED_CIPHER_SUITES': {
      const suites = commonSuites(c.suites, msg.supportedTeepCipherSuites ?? []);
      // The Agent's Error is signed with a suite it has; prefer that one for the retry.
      return suites.length ? { ...state, offer: { ...offer, cipherSuites: suites }, signWith: state.signWith ?? suites[0]! } : 'backoff';
    }
    case 'ERR_UNSUPPORTED_MSG_VERSION': {
      const versions = common(c.allVersions, msg.versions);
      return versions.length ? { ...state, offer: { ...offer, versions } } : 'backoff';
    }
    case 'ERR_UNSUPPORTED_FRESHNESS_MECHANISMS': {
      const freshnessMechanisms = common(c.allFreshness, msg.supportedFreshnessMechanisms);
      return freshnessMechanisms.length ? { ...state, offer: { ...offer, freshnessMechanisms } } : 'backoff';
    }
    case 'ERR_UNSUPPORTED_SUIT_REPORT': {
      const same = (a: SuitCoseProfile, b: SuitCoseProfile) => a.length === b.length && a.every((v, i) => v === b[i]);
      const profiles = c.allSuitProfiles.filter((p) => msg.supportedSuitCoseProfiles?.some((q) => same(p, q)));
      return profiles.length ? { ...state, offer: { ...offer, suitCoseProfiles: profiles } } : 'backoff';
    }
    case 'ERR_TEMPORARY_ERROR':
    case 'ERR_MANIFEST_PROCESSING_FAILED':
      return 'close';
    default:
      return 'backoff';
  }
}
