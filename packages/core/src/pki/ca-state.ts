/**
 * The state a CA folder keeps besides its certificate and key (ca.json): what it issued, what it
 * revoked, and the next cRLNumber (RFC 5280 §5.2.3: monotonically increasing). Serial numbers are
 * random (certificate.ts), so the only counter a CA needs is the CRL number.
 *
 * Pure data in and out: the CLI reads and writes the file.
 */
import { CaStateInvalid } from './errors.js';
import { isCrlReason } from './crl.js';
import type { CrlReason, RevokedEntry } from './crl.js';
import { PKI_LAYOUT } from './layout.js';
import type { PkiCa } from './layout.js';
import type { PkiRole } from './roles.js';

export interface IssuedRecord {
  serialNumber: string;
  subject: string;
  role: PkiRole | 'ca';
  notAfter: string;
}

export interface RevokedRecord {
  serialNumber: string;
  /** ISO 8601. */
  revocationDate: string;
  reason?: CrlReason;
}

export interface CaState {
  version: 1;
  /** Which CA of the layout this is; `otrp pki issue` refuses roles of another branch. */
  ca?: PkiCa;
  /** The cRLNumber of the next CRL this CA signs. */
  nextCrlNumber: number;
  issued: IssuedRecord[];
  revoked: RevokedRecord[];
}

export function emptyCaState(ca?: PkiCa): CaState {
  return { version: 1, ...(ca ? { ca } : {}), nextCrlNumber: 1, issued: [], revoked: [] };
}

export function encodeCaState(state: CaState): string {
  return `${JSON.stringify(state, null, 2)}\n`;
}

/** Decodes ca.json, checking every field (a hand-edited file must not produce a wrong CRL). */
export function decodeCaState(text: string): CaState {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new CaStateInvalid('ca.json is not JSON', { cause: e });
  }
  const s = v as Partial<CaState>;
  const hex = (x: unknown): boolean => typeof x === 'string' && /^[0-9a-f]{1,40}$/.test(x);
  const date = (x: unknown): boolean => typeof x === 'string' && !Number.isNaN(Date.parse(x));
  const ok =
    typeof s === 'object' && s !== null && s.version === 1 &&
    (s.ca === undefined || Object.hasOwn(PKI_LAYOUT.ca, s.ca)) &&
    Number.isSafeInteger(s.nextCrlNumber) && (s.nextCrlNumber ?? -1) >= 0 &&
    Array.isArray(s.issued) && s.issued.every((r) => typeof r === 'object' && r !== null && hex(r.serialNumber) && typeof r.subject === 'string' && typeof r.role === 'string' && date(r.notAfter)) &&
    Array.isArray(s.revoked) && s.revoked.every((r) => typeof r === 'object' && r !== null && hex(r.serialNumber) && date(r.revocationDate) && (r.reason === undefined || isCrlReason(r.reason)));
  if (!ok) throw new CaStateInvalid('ca.json does not have the expected shape (version 1)');
  return s as CaState;
}

/** Records an issued certificate. */
export function recordIssued(state: CaState, record: IssuedRecord): CaState {
  return { ...state, issued: [...state.issued, record] };
}

/**
 * Records a revocation. Revoking an already revoked serial changes nothing (the first date and reason
 * stand, as the CRL already published them).
 */
export function recordRevoked(state: CaState, record: RevokedRecord): { state: CaState; alreadyRevoked: boolean } {
  if (state.revoked.some((r) => r.serialNumber === record.serialNumber)) return { state, alreadyRevoked: true };
  return { state: { ...state, revoked: [...state.revoked, record] }, alreadyRevoked: false };
}

/** The revoked entries for createCrl, and the state with the CRL number consumed. */
export function takeCrlEntries(state: CaState): { crlNumber: number; entries: RevokedEntry[]; state: CaState } {
  const entries = state.revoked.map((r) => ({
    serialNumber: r.serialNumber,
    revocationDate: new Date(r.revocationDate),
    ...(r.reason !== undefined ? { reason: r.reason } : {}),
  }));
  return { crlNumber: state.nextCrlNumber, entries, state: { ...state, nextCrlNumber: state.nextCrlNumber + 1 } };
}
