/**
 * Agent: processing a verified Update (draft-ietf-teep-protocol-26 §7.2.2, §4.4).
 *
 * An Update that carries err-code is the TAM refusing the previous QueryResponse (-26 §7.1.1): the
 * Agent records it and sends nothing (no message answers it). Otherwise:
 *   1. every unneeded-manifest-list entry is unlinked through the SUIT port; on a failure the Agent
 *      answers Error ERR_MANIFEST_PROCESSING_FAILED and does not go on;
 *   2. every manifest-list envelope runs the SUIT Update Procedure through the SUIT port (signature,
 *      sequence number not lower than the installed one, install, validate); independent manifests
 *      are all attempted;
 *   3. all ok: Success; any failure: Error ERR_MANIFEST_PROCESSING_FAILED. Both carry one SUIT report
 *      per procedure, suit-report-nonce = the Update's token, signed with the SUIT report key and
 *      encrypted to the TAM when its key-agreement key is known (-26 §4.5, §4.6, §8.2).
 */
import { errorNameOf } from './profiles.js';
import { encodeTeepMessage } from './messages/teep-message.js';
import type { Success } from './messages/success.js';
import type { Update } from './messages/update.js';
import { TeepManifestProcessingFailed } from './errors.js';
import { signTeepPayload } from './cipher-suites.js';
import { protectReport } from './suit-reports.js';
import { componentKey } from './session-util.js';
import type { SuitPortResult } from './ports.js';
import type { ResolvedAgentConfig } from './agent-config.js';
import { errorReply } from './agent-error.js';
import type { AgentEvent, AgentSessionState, AgentStepResult } from './agent-types.js';

export async function handleUpdate(c: ResolvedAgentConfig, state: AgentSessionState, msg: Update): Promise<AgentStepResult> {
  if (msg.errCode !== undefined) {
    const name = errorNameOf(c.teepProfile, msg.errCode);
    const lastTamError = { errCode: msg.errCode, ...(name && { name }), ...(msg.errMsg !== undefined && { errMsg: msg.errMsg }) };
    return { state: { ...state, lastTamError }, outputs: [], events: [{ type: 'tam-error', ...lastTamError }] };
  }
  const nonce = msg.token ? { nonce: msg.token } : {};
  const results: SuitPortResult[] = [];
  const events: AgentEvent[] = [];
  let failed = false;
  let unlinked = 0;
  for (const id of msg.unneededManifestList ?? []) {
    const r = await c.suit.unlink(id, nonce);
    results.push(r);
    if (!r.ok) {
      failed = true;
      break;
    }
    unlinked++;
  }
  let installed = 0;
  if (!failed) {
    for (const envelope of msg.manifestList ?? []) {
      const r = await c.suit.update(envelope, nonce);
      results.push(r);
      if (r.ok) installed++;
      else failed = true;
    }
  }
  if (unlinked) events.push({ type: 'unlinked', count: unlinked });
  if (installed) events.push({ type: 'installed', count: installed });
  const reports = await Promise.all(results.map((r) => protectReport(r.report, c.suitReportKey, c.encryptionKey, c.provider)));
  // Requests met by what is installed now are dropped (built only when there are requests).
  const now = state.requested.length ? new Set((await c.tcStore.list()).flatMap((tc) => tc.componentIds.map(componentKey))) : new Set<string>();
  const next: AgentSessionState = {
    ...state,
    requested: state.requested.filter((r) => !now.has(r.componentId.join('/'))),
    unneeded: failed ? state.unneeded : [],
  };
  const token = msg.token ? { token: msg.token } : {};
  if (failed) {
    const errors = results.filter((r) => !r.ok).map((r) => r.error ?? 'failed');
    const failure = new TeepManifestProcessingFailed(`SUIT processing failed: ${errors.join(', ')}`);
    const reply = await errorReply(c, next, failure, { ...token, suitReports: reports });
    return { ...reply, events: [...events, ...reply.events] };
  }
  const success: Success = { type: 'success', ...token, ...(reports.length ? { suitReports: reports } : {}) };
  const bytes = await signTeepPayload(encodeTeepMessage(success, { profile: c.teepProfile }), c.signing, [state.selectedSuite ?? c.suites[0]!], c.provider);
  return { state: next, outputs: [{ type: 'success', message: success, bytes }], events };
}
