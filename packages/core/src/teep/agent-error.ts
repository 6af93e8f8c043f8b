/**
 * The Agent's Error messages (draft-ietf-teep-protocol-26 §4.6, §7.2; docs/teep-decisions.md §3).
 *
 * A failure becomes an err-code through its class: TeepErrors name theirs (`teepError`), PKI errors
 * carry 6 or 9 (`teepErrCode`), every other OtrpError (CBOR, COSE, EAT) is ERR_PERMANENT_ERROR, and a
 * failure that is not an OtrpError (a port that could not store, fetch or allocate) is
 * ERR_TEMPORARY_ERROR. The Error carries the lists its code announces, echoes the request's token
 * when there was one, and is signed with the selected suite, or for ERR_UNSUPPORTED_CIPHER_SUITES
 * with a suite mandatory for the TAM (-26 §8.1).
 */
import { isOtrpError } from '../errors.js';
import { PkiError, TEEP_CERT_ERR_CODE } from '../pki/errors.js';
import { encodeTeepMessage } from './messages/teep-message.js';
import type { TeepErrorMessage } from './messages/teep-error.js';
import { TeepError, type TeepErrorName } from './errors.js';
import { commonSuites, signTeepPayload } from './cipher-suites.js';
import { shortText, toHex } from './session-util.js';
import type { ResolvedAgentConfig } from './agent-config.js';
import type { TeepCipherSuite } from './profiles.js';
import type { AgentSessionState, AgentStepResult } from './agent-types.js';

/** The err-code name an Agent reports for a failure (see the module comment). */
export function teepErrorNameOf(e: unknown): TeepErrorName {
  if (e instanceof TeepError) return e.teepError;
  if (e instanceof PkiError) return e.teepErrCode === TEEP_CERT_ERR_CODE.ERR_CERTIFICATE_EXPIRED ? 'ERR_CERTIFICATE_EXPIRED' : 'ERR_BAD_CERTIFICATE';
  return isOtrpError(e) ? 'ERR_PERMANENT_ERROR' : 'ERR_TEMPORARY_ERROR';
}

/** err-msg: the stable code, plus the message for decode failures (never for signature or key failures). */
function errMsgOf(e: unknown): string {
  if (!isOtrpError(e)) return 'temporary failure while processing the message';
  const revealing = e instanceof TeepError || e instanceof PkiError;
  return shortText(revealing ? `${e.code}: ${e.message}` : e.code);
}

export interface ErrorReplyOptions {
  readonly token?: Uint8Array;
  readonly suitReports?: readonly Uint8Array[];
  /** err-msg instead of the one derived from the failure. */
  readonly errMsg?: string;
  /** The suite to sign with when not the state's selection (a QueryRequest that selects another). */
  readonly suite?: TeepCipherSuite;
}

/** Builds and signs the Error answering `failure`; returns the new state (Error 7 stores its challenge). */
export async function errorReply(c: ResolvedAgentConfig, state: AgentSessionState, failure: unknown, options: ErrorReplyOptions = {}): Promise<AgentStepResult> {
  const name = teepErrorNameOf(failure);
  let next = state;
  const extra: Partial<TeepErrorMessage> = {};
  switch (name) {
    case 'ERR_UNSUPPORTED_CIPHER_SUITES':
      Object.assign(extra, { supportedTeepCipherSuites: c.suites });
      break;
    case 'ERR_UNSUPPORTED_FRESHNESS_MECHANISMS':
      Object.assign(extra, { supportedFreshnessMechanisms: c.allFreshness });
      break;
    case 'ERR_UNSUPPORTED_SUIT_REPORT':
      Object.assign(extra, { supportedSuitCoseProfiles: c.allSuitProfiles });
      break;
    case 'ERR_UNSUPPORTED_MSG_VERSION':
      Object.assign(extra, { versions: c.allVersions });
      break;
    case 'ERR_ATTESTATION_REQUIRED': {
      // -26 §7.2.1: "supplying the supported-freshness-mechanisms and challenge if needed".
      const challenge = c.randomBytes(32);
      Object.assign(extra, { supportedFreshnessMechanisms: c.allFreshness, challenge });
      next = { ...next, tamChallenge: toHex(challenge) };
      break;
    }
    default:
  }
  const msg: TeepErrorMessage = {
    type: 'error',
    ...(options.token && { token: options.token }),
    errMsg: options.errMsg ?? errMsgOf(failure),
    ...extra,
    ...(options.suitReports?.length ? { suitReports: options.suitReports } : {}),
    errCode: c.teepProfile.errorCodes[name],
  };
  const mandatory = commonSuites(c.teepProfile.cipherSuites.slice(0, 2), c.suites);
  const suite = name === 'ERR_UNSUPPORTED_CIPHER_SUITES' ? (mandatory[0] ?? c.suites[0]!) : (options.suite ?? state.selectedSuite ?? c.suites[0]!);
  const bytes = await signTeepPayload(encodeTeepMessage(msg, { profile: c.teepProfile }), c.signing, [suite], c.provider);
  return {
    state: next,
    outputs: [{ type: 'error', message: msg, bytes }],
    events: [{ type: 'error-sent', name, code: isOtrpError(failure) ? failure.code : 'ERR_UNEXPECTED' }],
  };
}
