/**
 * Agent: answering a verified QueryRequest (draft-ietf-teep-protocol-26 §7.2.1, §4.3).
 *
 * Negotiation first, each failure an Error carrying the Agent's lists: no common version (4), no
 * common cipher suite (5; the Agent selects the first suite of the TAM's list it supports), no
 * common freshness mechanism when attestation is requested (3). Then, when this Agent requires TAM
 * attestation, the QueryRequest must carry an attestation-payload that verifies (an Attestation
 * Result signed by a trusted Verifier, or Evidence a Verifier accepts) with eat_nonce = the
 * outstanding challenge of the Agent's Error 7 (one use) and cnf naming the TAM key; otherwise
 * Error 7 with a fresh challenge. TAM SUIT reports in an unsupported COSE profile: Error 8.
 *
 * The QueryResponse echoes the token, names the selected version (and, in pre-26, the selected
 * suite), and answers each requested data item: attestation-payload (nonce = challenge, or the
 * token in the Passport model; encrypted to the TAM when its key-agreement key is known, -26 §8.2),
 * tc-list (system-property-claims: component id + image digest), requested-tc-list and
 * unneeded-manifest-list from RequestTA / UnrequestTA.
 */
import { encodeCbor } from '../wire/cbor.js';
import type { CborMap, CborValue } from '../wire/cbor-value.js';
import type { CoseKey } from '../cose/key.js';
import { isTeepEatMediaType } from '../eat/teep-profile.js';
import { verifyAttestationResult } from '../eat/attestation-result.js';
import { EatUntrustedSigner } from '../eat/errors.js';
import { isOtrpError } from '../errors.js';
import { encodeTeepMessage } from './messages/teep-message.js';
import type { QueryRequest } from './messages/query-request.js';
import type { QueryResponse } from './messages/query-response.js';
import type { RequestedTcInfo } from './messages/requested-tc-info.js';
import {
  TeepAttestationRequired, TeepAttestationUnavailable, TeepUnsupportedCipherSuites, TeepUnsupportedFreshnessMechanisms, TeepUnsupportedMsgVersion, TeepUnsupportedSuitReport,
} from './errors.js';
import { TEEP_DATA_ITEM, TEEP_FRESHNESS } from './profiles.js';
import { commonSuites, signerFor, signTeepPayload } from './cipher-suites.js';
import { encryptToTam } from './confidentiality.js';
import { reportProfileSupported } from './suit-reports.js';
import { componentIdFromHex, componentKey, fromHex } from './session-util.js';
import { publicKeyOf, type ResolvedAgentConfig } from './agent-config.js';
import type { AgentSessionState, AgentStepResult } from './agent-types.js';

/** SUIT_Parameters image-digest (suit-manifest-37 §8.4.8.6), used in tc-list entries. */
const SUIT_PARAMETER_IMAGE_DIGEST = 3;

export async function handleQueryRequest(c: ResolvedAgentConfig, state: AgentSessionState, msg: QueryRequest, tamKey: CoseKey): Promise<AgentStepResult> {
  const offered = msg.versions ?? [0];
  const version = offered.find((v) => c.allVersions.includes(v));
  if (version === undefined) throw new TeepUnsupportedMsgVersion(`none of the versions ${offered.join(', ')} is supported`);
  const suite = commonSuites(msg.supportedTeepCipherSuites, c.suites)[0];
  if (suite === undefined) throw new TeepUnsupportedCipherSuites('no offered cipher suite is supported');
  const attestation = (msg.dataItemRequested & TEEP_DATA_ITEM.attestation) !== 0;
  if (attestation && !(msg.supportedFreshnessMechanisms ?? [TEEP_FRESHNESS.nonce]).some((m) => c.allFreshness.includes(m))) {
    throw new TeepUnsupportedFreshnessMechanisms('no offered freshness mechanism is supported');
  }
  let next: AgentSessionState = { ...state, selectedSuite: suite, selectedVersion: version };
  if (c.requireTamAttestation) {
    await checkTamAttestation(c, state, msg, tamKey);
    const { tamChallenge: _, ...rest } = next;
    next = rest;
  }
  if (msg.suitReports?.some((r) => !reportProfileSupported(r, c.allSuitProfiles))) {
    throw new TeepUnsupportedSuitReport('a TAM SUIT report uses an unsupported SUIT COSE profile');
  }
  const { key: teepKey } = signerFor(c.keys, suite);
  const response = await buildQueryResponse(c, next, msg, version, suite, publicKeyOf(teepKey));
  const bytes = await signTeepPayload(encodeTeepMessage(response, { profile: c.teepProfile }), c.signing, [suite], c.provider);
  next = {
    ...next,
    lastQueryRequestUnfreshened: msg.token === undefined && msg.challenge === undefined,
    processErrorSinceQueryResponse: false,
  };
  return { state: next, outputs: [{ type: 'query-response', message: response, bytes }], events: [] };
}

async function checkTamAttestation(c: ResolvedAgentConfig, state: AgentSessionState, msg: QueryRequest, tamKey: CoseKey): Promise<void> {
  const need = c.requireTamAttestation!;
  if (!msg.attestationPayload) throw new TeepAttestationRequired('this Agent requires attestation of the TAM');
  // Freshness is the nonce mechanism alone (party-config.ts): an attestation that answers no
  // challenge of ours could be a replay of an earlier QueryRequest, so it gets Error 7 with a fresh
  // challenge. A challenge is used once: a successful QueryRequest clears it.
  if (state.tamChallenge === undefined) throw new TeepAttestationRequired('the TAM attestation answers no challenge of this Agent');
  const context = { nonce: fromHex(state.tamChallenge), teepKey: tamKey, now: (need.now ?? Date.now)() };
  try {
    const format = msg.attestationPayloadFormat;
    if (format === undefined || isTeepEatMediaType(format)) {
      await verifyAttestationResult(msg.attestationPayload, { verifierKeys: need.verifierKeys ?? [], ...context, ...(c.provider && { provider: c.provider }) });
    } else {
      if (!need.verifier) throw new EatUntrustedSigner();
      await need.verifier.verify(msg.attestationPayload, context);
    }
  } catch (e) {
    if (!isOtrpError(e)) throw e;
    throw new TeepAttestationRequired(`the TAM attestation was refused (${e.code})`, { cause: e });
  }
}

async function buildQueryResponse(
  c: ResolvedAgentConfig, state: AgentSessionState, msg: QueryRequest, version: number, suite: QueryResponse['selectedTeepCipherSuite'], teepKey: CoseKey,
): Promise<QueryResponse> {
  const bits = msg.dataItemRequested;
  const installed = await c.tcStore.list();
  const out: { -readonly [K in keyof QueryResponse]?: QueryResponse[K] } = { type: 'query-response' };
  if (msg.token) out.token = msg.token;
  out.selectedVersion = version;
  if (c.teepProfile.labels['selected-teep-cipher-suite'] !== undefined) out.selectedTeepCipherSuite = suite;
  if (bits & TEEP_DATA_ITEM.attestation) {
    if (!c.attestation) throw new TeepAttestationUnavailable('attestation was requested but this Agent has no attestation source');
    const nonce = msg.challenge ?? msg.token;
    const a = await c.attestation.attest({ ...(nonce && { nonce }), teepKey });
    if (a.format !== undefined) out.attestationPayloadFormat = a.format;
    out.attestationPayload = c.encryptionKey ? await encryptToTam(a.payload, c.encryptionKey, 'eat', c.provider) : a.payload;
  }
  if (bits & TEEP_DATA_ITEM.trustedComponents) {
    // -26 §4.3: MUST be present when requested, but the CDDL is `[+ ...]`: with nothing installed
    // it is left out, which the TAM reads as an empty list (docs/teep-decisions.md §4).
    const list: CborMap[] = installed.flatMap((tc) =>
      tc.componentIds.map((id, i) => {
        const m: CborMap = new Map<CborValue, CborValue>([[0, [...id]]]);
        const digest = tc.imageDigests?.[i];
        m.set(SUIT_PARAMETER_IMAGE_DIGEST, digest ?? encodeCbor([-16, tc.digest]));
        return m;
      }),
    );
    if (list.length) out.tcList = list;
  }
  // The key sets are built only when there is something to filter (a fleet device has installed many TCs).
  const installedKeys = state.requested.length ? new Set(installed.flatMap((tc) => tc.componentIds.map(componentKey))) : new Set<string>();
  const requested: RequestedTcInfo[] = state.requested
    .filter((r) => !installedKeys.has(r.componentId.join('/')))
    .map((r) => ({
      componentId: componentIdFromHex(r.componentId),
      ...(r.tcManifestSequenceNumber !== undefined && { tcManifestSequenceNumber: BigInt(r.tcManifestSequenceNumber) }),
      ...(r.haveBinary !== undefined && { haveBinary: r.haveBinary }),
    }));
  if (requested.length) out.requestedTcList = requested;
  const installedManifests = state.unneeded.length ? new Set(installed.map((tc) => componentKey(tc.manifestId))) : new Set<string>();
  const unneeded = state.unneeded.filter((u) => installedManifests.has(u.join('/'))).map(componentIdFromHex);
  if (unneeded.length) out.unneededManifestList = unneeded;
  return out as QueryResponse;
}
