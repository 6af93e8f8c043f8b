/**
 * SUIT_Report (draft-ietf-suit-report, newest source; labels as in that draft).
 *
 * ```cddl
 * SUIT_Report = {
 *   suit-reference              => SUIT_Reference,
 *   ? suit-report-nonce         => bstr,
 *   suit-report-records         => [ * SUIT_Record / system-property-claims ],
 *   suit-report-result          => true / {
 *     suit-report-result-code   => int,
 *     suit-report-result-record => SUIT_Record,
 *     suit-report-result-reason => SUIT_Report_Reasons,
 *   },
 *   ? suit-report-capability-report => SUIT_Capability_Report,
 *   * $$SUIT_Report_Extensions
 * }
 * SUIT_Reference = [ suit-report-manifest-uri : tstr, suit-report-manifest-digest : SUIT_Digest ]
 * SUIT_Record = [
 *     suit-record-manifest-id        : [* uint ],
 *     suit-record-manifest-section   : int,
 *     suit-record-section-offset     : uint,
 *     suit-record-component-index    : uint,
 *     suit-record-properties         : {*$$SUIT_Parameters},
 *     * $$SUIT_Record_Extensions
 * ]
 * system-property-claims = { system-component-id => SUIT_Component_Identifier, + $$SUIT_Parameters }
 * suit-report-nonce = 2  suit-report-records = 3  suit-report-result = 4  suit-report-result-code = 5
 * suit-report-result-record = 6  suit-report-result-reason = 7  suit-reference = 99  system-component-id = 0
 * ```
 *
 * `suit-report-result-code` is implementation-defined; otrp puts the position of the error's code in
 * SUIT_RESULT_CODES (1-based), so the code names the exact failure and the reason its class.
 */
import { encodeCbor } from '../wire/cbor.js';
import type { CborMap, CborValue } from '../wire/cbor-value.js';
import {
  asIndex, decodeComponentId, decodeSuitCbor, expectArray, expectBytes, expectMap, isInt, isUint,
} from './cbor-util.js';
import { decodeDigest, type SuitDigest } from './digest.js';
import { SuitMalformed, type SuitErrorCode } from './errors.js';
import type { SuitComponentId } from './manifest.js';

export const SUIT_REPORT = {
  nonce: 2,
  records: 3,
  result: 4,
  resultCode: 5,
  resultRecord: 6,
  resultReason: 7,
  capabilityReport: 8,
  reference: 99,
  systemComponentId: 0,
} as const;

/** Result codes: 1-based position of each error code (append only; never reorder). */
export const SUIT_RESULT_CODES: readonly SuitErrorCode[] = [
  'ERR_SUIT_MALFORMED', 'ERR_SUIT_UNSUPPORTED_VERSION', 'ERR_SUIT_COSE_UNSUPPORTED', 'ERR_SUIT_UNSUPPORTED_ALGORITHM',
  'ERR_SUIT_DIGEST_MISMATCH', 'ERR_SUIT_AUTHENTICATION_FAILED', 'ERR_SUIT_SEVERED_DIGEST_MISMATCH', 'ERR_SUIT_ROLLBACK',
  'ERR_SUIT_COMMAND_UNSUPPORTED', 'ERR_SUIT_COMPONENT_UNSUPPORTED', 'ERR_SUIT_PARAMETER_UNSUPPORTED',
  'ERR_SUIT_PARAMETER_MISSING', 'ERR_SUIT_SEVERED_MISSING', 'ERR_SUIT_VENDOR_MISMATCH', 'ERR_SUIT_CLASS_MISMATCH',
  'ERR_SUIT_DEVICE_MISMATCH', 'ERR_SUIT_IMAGE_MISMATCH', 'ERR_SUIT_SLOT_MISMATCH', 'ERR_SUIT_CONTENT_MISMATCH',
  'ERR_SUIT_ABORT', 'ERR_SUIT_NOT_A_DEPENDENCY', 'ERR_SUIT_DEPENDENCY_INTEGRITY', 'ERR_SUIT_TRY_EACH_FAILED',
  'ERR_SUIT_DEPENDENCY_NOT_VERIFIED', 'ERR_SUIT_FETCH_FAILED', 'ERR_SUIT_DECRYPTION_FAILED', 'ERR_SUIT_OPERATION_FAILED',
  'ERR_SUIT_INVALID_STATE', 'ERR_SUIT_INVALID_SPEC', 'ERR_SUIT_INVALID_FILE_NAME',
];

export function suitResultCode(code: string): number {
  const i = SUIT_RESULT_CODES.indexOf(code as SuitErrorCode);
  return i < 0 ? 0 : i + 1;
}

export interface SuitRecord {
  /** Component indices of the dependencies walked from the root; [] = the root manifest. */
  readonly manifestId: readonly number[];
  readonly section: number;
  readonly offset: number;
  readonly componentIndex: number;
  readonly properties: ReadonlyMap<number, CborValue>;
}

export interface SuitSystemClaims {
  readonly componentId: SuitComponentId;
  readonly properties: ReadonlyMap<number, CborValue>;
}

export interface SuitReport {
  readonly reference: { readonly uri: string; readonly digest: SuitDigest };
  readonly nonce?: Uint8Array;
  readonly records: readonly (SuitRecord | SuitSystemClaims)[];
  readonly result: true | { readonly code: number; readonly record: SuitRecord; readonly reason: number };
}

function recordToCbor(r: SuitRecord): CborValue {
  return [[...r.manifestId], r.section, r.offset, r.componentIndex, new Map(r.properties)];
}

export function encodeReport(report: SuitReport): Uint8Array {
  const m: CborMap = new Map<CborValue, CborValue>();
  m.set(SUIT_REPORT.reference, [report.reference.uri, [report.reference.digest.algorithmId, report.reference.digest.bytes]]);
  if (report.nonce) m.set(SUIT_REPORT.nonce, report.nonce);
  m.set(
    SUIT_REPORT.records,
    report.records.map((r) =>
      'componentId' in r ? new Map<CborValue, CborValue>([[SUIT_REPORT.systemComponentId, [...r.componentId]], ...r.properties]) : recordToCbor(r),
    ),
  );
  m.set(
    SUIT_REPORT.result,
    report.result === true
      ? true
      : new Map<CborValue, CborValue>([
          [SUIT_REPORT.resultCode, report.result.code],
          [SUIT_REPORT.resultRecord, recordToCbor(report.result.record)],
          [SUIT_REPORT.resultReason, report.result.reason],
        ]),
  );
  return encodeCbor(m, { deterministic: true });
}

function decodeRecord(v: CborValue): SuitRecord {
  const a = expectArray(v, 'SUIT_Record');
  if (a.length < 5) throw new SuitMalformed('SUIT_Record: expected 5 elements');
  const section = a[1]!;
  if (!isInt(section) || typeof section !== 'number') throw new SuitMalformed('SUIT_Record: bad section');
  const props = expectMap(a[4]!, 'SUIT_Record properties');
  return {
    manifestId: expectArray(a[0]!, 'SUIT_Record manifest-id').map((x) => asIndex(x, 'manifest-id')),
    section,
    offset: asIndex(a[2]!, 'SUIT_Record offset'),
    componentIndex: asIndex(a[3]!, 'SUIT_Record component index'),
    properties: new Map([...props].map(([k, x]) => [Number(k), x])),
  };
}

/** Decodes a SUIT_Report (not the COSE wrapper). */
export function decodeReport(bytes: Uint8Array): SuitReport {
  const m = expectMap(decodeSuitCbor(bytes, 'SUIT_Report'), 'SUIT_Report');
  const ref = expectArray(m.get(SUIT_REPORT.reference) ?? null, 'suit-reference');
  if (ref.length !== 2 || typeof ref[0] !== 'string') throw new SuitMalformed('suit-reference: expected [uri, digest]');
  const nonce = m.get(SUIT_REPORT.nonce);
  const records = expectArray(m.get(SUIT_REPORT.records) ?? null, 'suit-report-records').map((r) => {
    if (r instanceof Map) {
      const props = new Map<number, CborValue>();
      for (const [k, x] of r) if (k !== SUIT_REPORT.systemComponentId) props.set(Number(k), x);
      return { componentId: decodeComponentId(r.get(SUIT_REPORT.systemComponentId) ?? null, 'system-component-id'), properties: props };
    }
    return decodeRecord(r);
  });
  const res = m.get(SUIT_REPORT.result);
  let result: SuitReport['result'];
  if (res === true) result = true;
  else {
    const r = expectMap(res ?? null, 'suit-report-result');
    const code = r.get(SUIT_REPORT.resultCode);
    const reason = r.get(SUIT_REPORT.resultReason);
    if (typeof code !== 'number' || !isUint(reason ?? null) || typeof reason !== 'number') throw new SuitMalformed('suit-report-result: bad code or reason');
    result = { code, reason, record: decodeRecord(r.get(SUIT_REPORT.resultRecord) ?? null) };
  }
  return {
    reference: { uri: ref[0], digest: decodeDigest(ref[1]!, 'suit-report-manifest-digest') },
    ...(nonce !== undefined ? { nonce: expectBytes(nonce, 'suit-report-nonce') } : {}),
    records,
    result,
  };
}
