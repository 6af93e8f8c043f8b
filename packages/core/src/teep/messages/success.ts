/**
 * Success (draft-ietf-teep-protocol-26 §4.5), Agent -> TAM.
 *
 * ```cddl
 * success = [
 *   type: TEEP-TYPE-success,
 *   options: {
 *     ? token => bstr .size (8..64),
 *     ? msg => text .size (1..128),
 *     ? suit-reports => [ + bstr .cbor
 *              (SUIT_Report_Protected / SUIT_Report_Unprotected) ],
 *     * $$success-extensions,
 *     * $$teep-option-extensions
 *   }
 * ]
 * ```
 */
import type { CborValue } from '../../wire/cbor-value.js';
import { resolveTeepProfile, type TeepProfile } from '../profiles.js';
import { expectBstrList, expectText, expectToken } from './fields.js';
import { decodeFrameworkOf, encodeFramework, expectLength, parseFramework, type TeepCodecOptions, type TeepFramework } from './framework.js';
import { decodeOptions, encodeOptions, type OptionSpecs, type TeepMessageExtras } from './options.js';

export interface Success extends TeepMessageExtras {
  readonly type: 'success';
  readonly token?: Uint8Array;
  readonly msg?: string;
  readonly suitReports?: readonly Uint8Array[];
}

export const SUCCESS_OPTIONS: OptionSpecs = {
  token: { label: 'token', decode: (v, f) => expectToken(v, f) },
  msg: { label: 'msg', decode: (v, f) => expectText(v, f, 1, 128) },
  suitReports: { label: 'suit-reports', decode: (v, f) => expectBstrList(v, f) },
};

export function parseSuccess(fw: TeepFramework, profile: TeepProfile): Success {
  expectLength(fw, ['type', 'options']);
  const { fields, extensions, optionOrder } = decodeOptions(fw.options, SUCCESS_OPTIONS, profile);
  return { type: 'success', ...fields, ...(extensions.length ? { extensions } : {}), optionOrder } as Success;
}

export function decodeSuccess(bytes: Uint8Array, options?: TeepCodecOptions): Success {
  const { fw, profile } = decodeFrameworkOf(bytes, 'success', options);
  return parseSuccess(fw, profile);
}

export function encodeSuccess(msg: Omit<Success, 'type'> & { type?: 'success' }, options?: TeepCodecOptions): Uint8Array {
  const profile = resolveTeepProfile(options?.profile);
  const items: CborValue[] = [profile.messageTypes.success, encodeOptions(msg as Record<string, unknown>, SUCCESS_OPTIONS, profile)];
  parseSuccess(parseFramework(items, profile), profile);
  return encodeFramework(items);
}
