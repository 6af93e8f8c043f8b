/**
 * QueryResponse (draft-ietf-teep-protocol-26 §4.3), Agent -> TAM.
 *
 * ```cddl
 * query-response = [
 *   type: TEEP-TYPE-query-response,
 *   options: {
 *     ? token => bstr .size (8..64),
 *     ? selected-version => version,
 *     ? attestation-payload-format => text,
 *     ? attestation-payload => bstr,
 *     ? suit-reports => [ + bstr .cbor
 *              (SUIT_Report_Protected / SUIT_Report_Unprotected) ],
 *     ? tc-list => [ + system-property-claims ],
 *     ? requested-tc-list => [ + requested-tc-info ],
 *     ? unneeded-manifest-list => [ + SUIT_Component_Identifier ],
 *     ? ext-list => [ + ext-info ],
 *     * $$query-response-extensions,
 *     * $$teep-option-extensions
 *   }
 * ]
 * ext-info = uint .size 4
 * ```
 *
 * In the pre-26 profile, label 5 is `selected-teep-cipher-suite` (a `$teep-cipher-suite`), which
 * -26 removed; it is decoded as `selectedTeepCipherSuite` there and is an unknown label in draft-26.
 */
import type { CborMap, CborValue } from '../../wire/cbor-value.js';
import { resolveTeepProfile, type TeepCipherSuite, type TeepProfile } from '../profiles.js';
import {
  expectBstr,
  expectBstrList,
  expectCipherSuite,
  expectComponentId,
  expectList,
  expectSystemPropertyClaims,
  expectText,
  expectToken,
  expectUint,
  expectUintList,
  UINT32_MAX,
  type SuitComponentIdentifier,
} from './fields.js';
import { decodeFrameworkOf, encodeFramework, expectLength, parseFramework, type TeepCodecOptions, type TeepFramework } from './framework.js';
import { decodeOptions, encodeOptions, type OptionSpecs, type TeepMessageExtras } from './options.js';
import { encodeRequestedTcInfo, parseRequestedTcInfo, type RequestedTcInfo } from './requested-tc-info.js';

export interface QueryResponse extends TeepMessageExtras {
  readonly type: 'query-response';
  readonly token?: Uint8Array;
  /** pre-26 only (label 5). */
  readonly selectedTeepCipherSuite?: TeepCipherSuite;
  readonly selectedVersion?: number;
  readonly attestationPayloadFormat?: string;
  readonly attestationPayload?: Uint8Array;
  readonly suitReports?: readonly Uint8Array[];
  /** system-property-claims maps as received (`{0: component-id, + SUIT_Parameters}`). */
  readonly tcList?: readonly CborMap[];
  readonly requestedTcList?: readonly RequestedTcInfo[];
  readonly unneededManifestList?: readonly SuitComponentIdentifier[];
  readonly extList?: readonly number[];
}

/** The specs depend on the profile (requested-tc-info's labels): built once per profile. */
const specsByProfile = new WeakMap<TeepProfile, OptionSpecs>();

function queryResponseOptions(profile: TeepProfile): OptionSpecs {
  let specs = specsByProfile.get(profile);
  if (specs === undefined) specsByProfile.set(profile, (specs = buildQueryResponseOptions(profile)));
  return specs;
}

function buildQueryResponseOptions(profile: TeepProfile): OptionSpecs {
  return {
    token: { label: 'token', decode: (v, f) => expectToken(v, f) },
    selectedTeepCipherSuite: { label: 'selected-teep-cipher-suite', decode: (v, f) => expectCipherSuite(v, f) },
    selectedVersion: { label: 'selected-version', decode: (v, f) => expectUint(v, f, UINT32_MAX) },
    attestationPayloadFormat: { label: 'attestation-payload-format', decode: (v, f) => expectText(v, f) },
    attestationPayload: { label: 'attestation-payload', decode: (v, f) => expectBstr(v, f) },
    suitReports: { label: 'suit-reports', decode: (v, f) => expectBstrList(v, f) },
    tcList: { label: 'tc-list', decode: (v, f) => expectList(v, f, expectSystemPropertyClaims) },
    requestedTcList: {
      label: 'requested-tc-list',
      decode: (v, f) => expectList(v, f, (e, g) => parseRequestedTcInfo(e, g, profile)),
      encode: (list: readonly RequestedTcInfo[]) => (Array.isArray(list) ? list.map((e) => encodeRequestedTcInfo(e, profile)) : (list as unknown as CborValue)),
    },
    unneededManifestList: { label: 'unneeded-manifest-list', decode: (v, f) => expectList(v, f, expectComponentId) },
    extList: { label: 'ext-list', decode: (v, f) => expectUintList(v, f) },
  };
}

export function parseQueryResponse(fw: TeepFramework, profile: TeepProfile): QueryResponse {
  expectLength(fw, ['type', 'options']);
  const { fields, extensions, optionOrder } = decodeOptions(fw.options, queryResponseOptions(profile), profile);
  return { type: 'query-response', ...fields, ...(extensions.length ? { extensions } : {}), optionOrder } as QueryResponse;
}

export function decodeQueryResponse(bytes: Uint8Array, options?: TeepCodecOptions): QueryResponse {
  const { fw, profile } = decodeFrameworkOf(bytes, 'query-response', options);
  return parseQueryResponse(fw, profile);
}

export function encodeQueryResponse(msg: Omit<QueryResponse, 'type'> & { type?: 'query-response' }, options?: TeepCodecOptions): Uint8Array {
  const profile = resolveTeepProfile(options?.profile);
  const items: CborValue[] = [profile.messageTypes['query-response'], encodeOptions(msg as Record<string, unknown>, queryResponseOptions(profile), profile)];
  parseQueryResponse(parseFramework(items, profile), profile);
  return encodeFramework(items);
}
