/**
 * QueryRequest (draft-ietf-teep-protocol-26 §4.2), TAM -> Agent.
 *
 * ```cddl
 * query-request = [
 *   type: TEEP-TYPE-query-request,
 *   options: {
 *     ? token => bstr .size (8..64),
 *     ? supported-freshness-mechanisms => [ + $freshness-mechanism ],
 *     ? challenge => bstr .size (8..512),
 *     ? versions => [ + version ],
 *     ? attestation-payload-format => text,
 *     ? attestation-payload => bstr,
 *     ? suit-reports => [ + bstr .cbor
 *              (SUIT_Report_Protected / SUIT_Report_Unprotected) ],
 *     * $$query-request-extensions,
 *     * $$teep-option-extensions
 *   },
 *   supported-teep-cipher-suites: [ + $teep-cipher-suite ],
 *   supported-suit-cose-profiles: [ + $suit-cose-profile ],
 *   data-item-requested: uint .bits data-item-requested
 * ]
 * version = uint .size 4
 * ```
 *
 * Message-level rules enforced here (docs/teep-decisions.md "Token rule"): a token is required when
 * the attestation bit is clear and allowed when it is set (the Passport model uses the token as the
 * freshness nonce, -26 §9, and example D.1 does so); challenge and supported-freshness-mechanisms
 * MUST be absent when the attestation bit is clear (-26 §4.2).
 */
import type { CborValue } from '../../wire/cbor-value.js';
import { TeepInconsistentFields, TeepTokenRequired } from '../errors.js';
import { resolveTeepProfile, TEEP_DATA_ITEM, type SuitCoseProfile, type TeepCipherSuite, type TeepProfile } from '../profiles.js';
import {
  expectBstr,
  expectBstrList,
  expectChallenge,
  expectCipherSuites,
  expectSuitCoseProfiles,
  expectText,
  expectToken,
  expectUint,
  expectUintList,
} from './fields.js';
import { decodeFrameworkOf, encodeFramework, expectLength, parseFramework, type TeepCodecOptions, type TeepFramework } from './framework.js';
import { decodeOptions, encodeOptions, type OptionSpecs, type TeepMessageExtras } from './options.js';

export interface QueryRequest extends TeepMessageExtras {
  readonly type: 'query-request';
  readonly token?: Uint8Array;
  readonly supportedFreshnessMechanisms?: readonly number[];
  readonly challenge?: Uint8Array;
  readonly versions?: readonly number[];
  readonly attestationPayloadFormat?: string;
  readonly attestationPayload?: Uint8Array;
  /** Each entry is `bstr .cbor (SUIT_Report_Protected / SUIT_Report_Unprotected)`, bytes as received. */
  readonly suitReports?: readonly Uint8Array[];
  readonly supportedTeepCipherSuites: readonly TeepCipherSuite[];
  readonly supportedSuitCoseProfiles: readonly SuitCoseProfile[];
  /** Bitmap of TEEP_DATA_ITEM; unknown bits are kept (the registry may grow). */
  readonly dataItemRequested: number;
}

const POSITIONAL = ['type', 'options', 'supported-teep-cipher-suites', 'supported-suit-cose-profiles', 'data-item-requested'] as const;

export const QUERY_REQUEST_OPTIONS: OptionSpecs = {
  token: { label: 'token', decode: (v, f) => expectToken(v, f) },
  supportedFreshnessMechanisms: { label: 'supported-freshness-mechanisms', decode: (v, f) => expectUintList(v, f) },
  challenge: { label: 'challenge', decode: (v, f) => expectChallenge(v, f) },
  versions: { label: 'versions', decode: (v, f) => expectUintList(v, f) },
  attestationPayloadFormat: { label: 'attestation-payload-format', decode: (v, f) => expectText(v, f) },
  attestationPayload: { label: 'attestation-payload', decode: (v, f) => expectBstr(v, f) },
  suitReports: { label: 'suit-reports', decode: (v, f) => expectBstrList(v, f) },
};

export function parseQueryRequest(fw: TeepFramework, profile: TeepProfile): QueryRequest {
  expectLength(fw, POSITIONAL);
  const { fields, extensions, optionOrder } = decodeOptions(fw.options, QUERY_REQUEST_OPTIONS, profile);
  const msg = {
    type: 'query-request',
    ...fields,
    supportedTeepCipherSuites: expectCipherSuites(fw.items[2] as CborValue, 'supported-teep-cipher-suites'),
    supportedSuitCoseProfiles: expectSuitCoseProfiles(fw.items[3] as CborValue, 'supported-suit-cose-profiles'),
    dataItemRequested: expectUint(fw.items[4] as CborValue, 'data-item-requested'),
    ...(extensions.length ? { extensions } : {}),
    optionOrder,
  } as QueryRequest;
  checkQueryRequestRules(msg);
  return msg;
}

/** The cross-field MUSTs of -26 §4.2 (see the file comment). */
function checkQueryRequestRules(msg: QueryRequest): void {
  const attestation = (msg.dataItemRequested & TEEP_DATA_ITEM.attestation) !== 0;
  if (attestation) return;
  if (msg.token === undefined) throw new TeepTokenRequired('query-request: the attestation bit is clear, so a token is required');
  if (msg.challenge !== undefined) throw new TeepInconsistentFields('query-request: challenge MUST be absent when the attestation bit is clear');
  if (msg.supportedFreshnessMechanisms !== undefined) {
    throw new TeepInconsistentFields('query-request: supported-freshness-mechanisms MUST be absent when the attestation bit is clear');
  }
}

export function decodeQueryRequest(bytes: Uint8Array, options?: TeepCodecOptions): QueryRequest {
  const { fw, profile } = decodeFrameworkOf(bytes, 'query-request', options);
  return parseQueryRequest(fw, profile);
}

/** Encodes (and first checks, with the decoder's rules) a QueryRequest. */
export function encodeQueryRequest(msg: Omit<QueryRequest, 'type'> & { type?: 'query-request' }, options?: TeepCodecOptions): Uint8Array {
  const profile = resolveTeepProfile(options?.profile);
  const items: CborValue[] = [
    profile.messageTypes['query-request'],
    encodeOptions(msg as Record<string, unknown>, QUERY_REQUEST_OPTIONS, profile),
    msg.supportedTeepCipherSuites as unknown as CborValue,
    msg.supportedSuitCoseProfiles as unknown as CborValue,
    msg.dataItemRequested,
  ];
  parseQueryRequest(parseFramework(items, profile), profile);
  return encodeFramework(items);
}
