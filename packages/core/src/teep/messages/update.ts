/**
 * Update (draft-ietf-teep-protocol-26 §4.4), TAM -> Agent.
 *
 * ```cddl
 * update = [
 *   type: TEEP-TYPE-update,
 *   options: {
 *     ? token => bstr .size (8..64),
 *     ? unneeded-manifest-list => [ + SUIT_Component_Identifier ],
 *     ? manifest-list => [ + bstr .cbor SUIT_Envelope ],
 *     ? attestation-payload-format => text,
 *     ? attestation-payload => bstr,
 *     ? err-code => err-code-values,
 *     ? err-msg => text .size (1..128),
 *     ? err-lang => text .size (1..35),
 *     * $$update-extensions,
 *     * $$teep-option-extensions
 *   }
 * ]
 * ```
 *
 * err-code/err-msg/err-lang are how the TAM reports a QueryResponse it cannot accept (-26 §7.1.1);
 * the TAM never sends an Error message. err-code 0 is reserved and "MUST NOT be used"; other unknown
 * codes are accepted as unknown errors (-26 §4.6). manifest-list entries stay bytes: each is a
 * SUIT_Envelope that the SUIT processor decodes and verifies on its own.
 */
import type { CborValue } from '../../wire/cbor-value.js';
import { resolveTeepProfile, type TeepProfile } from '../profiles.js';
import { expectBstr, expectBstrList, expectComponentId, expectList, expectText, expectToken, type SuitComponentIdentifier } from './fields.js';
import { expectErrCode } from './err-code.js';
import { decodeFrameworkOf, encodeFramework, expectLength, parseFramework, type TeepCodecOptions, type TeepFramework } from './framework.js';
import { decodeOptions, encodeOptions, type OptionSpecs, type TeepMessageExtras } from './options.js';

export interface Update extends TeepMessageExtras {
  readonly type: 'update';
  readonly token?: Uint8Array;
  readonly unneededManifestList?: readonly SuitComponentIdentifier[];
  /** Each entry is `bstr .cbor SUIT_Envelope`, bytes as received. */
  readonly manifestList?: readonly Uint8Array[];
  readonly attestationPayloadFormat?: string;
  readonly attestationPayload?: Uint8Array;
  /** A wire err-code of the profile (see profiles.ts errorCodes). */
  readonly errCode?: number;
  readonly errMsg?: string;
  readonly errLang?: string;
}

export const UPDATE_OPTIONS: OptionSpecs = {
  token: { label: 'token', decode: (v, f) => expectToken(v, f) },
  unneededManifestList: { label: 'unneeded-manifest-list', decode: (v, f) => expectList(v, f, expectComponentId) },
  manifestList: { label: 'manifest-list', decode: (v, f) => expectBstrList(v, f) },
  attestationPayloadFormat: { label: 'attestation-payload-format', decode: (v, f) => expectText(v, f) },
  attestationPayload: { label: 'attestation-payload', decode: (v, f) => expectBstr(v, f) },
  errCode: { label: 'err-code', decode: (v, f) => expectErrCode(v, f) },
  errMsg: { label: 'err-msg', decode: (v, f) => expectText(v, f, 1, 128) },
  errLang: { label: 'err-lang', decode: (v, f) => expectText(v, f, 1, 35) },
};

export function parseUpdate(fw: TeepFramework, profile: TeepProfile): Update {
  expectLength(fw, ['type', 'options']);
  const { fields, extensions, optionOrder } = decodeOptions(fw.options, UPDATE_OPTIONS, profile);
  return { type: 'update', ...fields, ...(extensions.length ? { extensions } : {}), optionOrder } as Update;
}

export function decodeUpdate(bytes: Uint8Array, options?: TeepCodecOptions): Update {
  const { fw, profile } = decodeFrameworkOf(bytes, 'update', options);
  return parseUpdate(fw, profile);
}

export function encodeUpdate(msg: Omit<Update, 'type'> & { type?: 'update' }, options?: TeepCodecOptions): Uint8Array {
  const profile = resolveTeepProfile(options?.profile);
  const items: CborValue[] = [profile.messageTypes.update, encodeOptions(msg as Record<string, unknown>, UPDATE_OPTIONS, profile)];
  parseUpdate(parseFramework(items, profile), profile);
  return encodeFramework(items);
}
