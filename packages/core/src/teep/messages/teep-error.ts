/**
 * Error (draft-ietf-teep-protocol-26 §4.6), Agent -> TAM only (the TAM never sends one).
 *
 * ```cddl
 * error = [
 *   type: TEEP-TYPE-error,
 *   options: {
 *      ? token => bstr .size (8..64),
 *      ? err-msg => text .size (1..128),
 *      ? err-lang => text .size (1..35),
 *      ? supported-teep-cipher-suites => [ + $teep-cipher-suite ],
 *      ? supported-freshness-mechanisms => [ + $freshness-mechanism ],
 *      ? supported-suit-cose-profiles => [ + $suit-cose-profile ],
 *      ? challenge => bstr .size (8..512),
 *      ? versions => [ + version ],
 *      ? suit-reports => [ + bstr .cbor
 *              (SUIT_Report_Protected / SUIT_Report_Unprotected) ],
 *      * $$error-extensions,
 *      * $$teep-option-extensions
 *   },
 *   err-code: err-code-values
 * ]
 * ```
 *
 * -26 §4.6: the "otherwise optional" lists MUST accompany their codes: supported-teep-cipher-suites
 * with ERR_UNSUPPORTED_CIPHER_SUITES, supported-freshness-mechanisms with
 * ERR_UNSUPPORTED_FRESHNESS_MECHANISMS, supported-suit-cose-profiles with ERR_UNSUPPORTED_SUIT_REPORT,
 * versions with ERR_UNSUPPORTED_MSG_VERSION. A message lacking them is refused (TeepMissingField).
 */
import type { CborValue } from '../../wire/cbor-value.js';
import { TeepMissingField, type TeepErrorName } from '../errors.js';
import { resolveTeepProfile, type SuitCoseProfile, type TeepCipherSuite, type TeepProfile } from '../profiles.js';
import { expectBstrList, expectChallenge, expectCipherSuites, expectSuitCoseProfiles, expectText, expectToken, expectUintList } from './fields.js';
import { expectErrCode } from './err-code.js';
import { decodeFrameworkOf, encodeFramework, expectLength, parseFramework, type TeepCodecOptions, type TeepFramework } from './framework.js';
import { decodeOptions, encodeOptions, type OptionSpecs, type TeepMessageExtras } from './options.js';

export interface TeepErrorMessage extends TeepMessageExtras {
  readonly type: 'error';
  readonly token?: Uint8Array;
  readonly errMsg?: string;
  readonly errLang?: string;
  readonly supportedTeepCipherSuites?: readonly TeepCipherSuite[];
  readonly supportedFreshnessMechanisms?: readonly number[];
  readonly supportedSuitCoseProfiles?: readonly SuitCoseProfile[];
  readonly challenge?: Uint8Array;
  readonly versions?: readonly number[];
  readonly suitReports?: readonly Uint8Array[];
  /** The wire err-code of the profile (see profiles.ts errorCodes; unknown codes are kept). */
  readonly errCode: number;
}

export const ERROR_OPTIONS: OptionSpecs = {
  token: { label: 'token', decode: (v, f) => expectToken(v, f) },
  errMsg: { label: 'err-msg', decode: (v, f) => expectText(v, f, 1, 128) },
  errLang: { label: 'err-lang', decode: (v, f) => expectText(v, f, 1, 35) },
  supportedTeepCipherSuites: { label: 'supported-teep-cipher-suites', decode: (v, f) => expectCipherSuites(v, f) },
  supportedFreshnessMechanisms: { label: 'supported-freshness-mechanisms', decode: (v, f) => expectUintList(v, f) },
  supportedSuitCoseProfiles: { label: 'supported-suit-cose-profiles', decode: (v, f) => expectSuitCoseProfiles(v, f) },
  challenge: { label: 'challenge', decode: (v, f) => expectChallenge(v, f) },
  versions: { label: 'versions', decode: (v, f) => expectUintList(v, f) },
  suitReports: { label: 'suit-reports', decode: (v, f) => expectBstrList(v, f) },
};

/** Which option each err-code requires (-26 §4.6). */
const REQUIRED_WITH: ReadonlyArray<readonly [TeepErrorName, keyof TeepErrorMessage, string]> = [
  ['ERR_UNSUPPORTED_CIPHER_SUITES', 'supportedTeepCipherSuites', 'supported-teep-cipher-suites'],
  ['ERR_UNSUPPORTED_FRESHNESS_MECHANISMS', 'supportedFreshnessMechanisms', 'supported-freshness-mechanisms'],
  ['ERR_UNSUPPORTED_SUIT_REPORT', 'supportedSuitCoseProfiles', 'supported-suit-cose-profiles'],
  ['ERR_UNSUPPORTED_MSG_VERSION', 'versions', 'versions'],
];

export function parseTeepError(fw: TeepFramework, profile: TeepProfile): TeepErrorMessage {
  expectLength(fw, ['type', 'options', 'err-code']);
  const { fields, extensions, optionOrder } = decodeOptions(fw.options, ERROR_OPTIONS, profile);
  const msg = {
    type: 'error',
    ...fields,
    errCode: expectErrCode(fw.items[2] as CborValue, 'err-code'),
    ...(extensions.length ? { extensions } : {}),
    optionOrder,
  } as TeepErrorMessage;
  for (const [name, field, label] of REQUIRED_WITH) {
    if (msg.errCode === profile.errorCodes[name] && msg[field] === undefined) {
      throw new TeepMissingField(`error: err-code ${msg.errCode} (${name}) requires ${label}`);
    }
  }
  return msg;
}

export function decodeTeepError(bytes: Uint8Array, options?: TeepCodecOptions): TeepErrorMessage {
  const { fw, profile } = decodeFrameworkOf(bytes, 'error', options);
  return parseTeepError(fw, profile);
}

export function encodeTeepError(msg: Omit<TeepErrorMessage, 'type'> & { type?: 'error' }, options?: TeepCodecOptions): Uint8Array {
  const profile = resolveTeepProfile(options?.profile);
  const items: CborValue[] = [profile.messageTypes.error, encodeOptions(msg as Record<string, unknown>, ERROR_OPTIONS, profile), msg.errCode];
  parseTeepError(parseFramework(items, profile), profile);
  return encodeFramework(items);
}
