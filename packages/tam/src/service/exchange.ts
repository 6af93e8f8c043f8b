/**
 * What the TAM learns during one exchange (one HTTP request), shared by the ports the session
 * machine calls (device chain validator, policy) and the bookkeeping after it (tam-service.ts).
 * Everything here lives inside one database transaction, or is used to audit a refusal after the
 * rollback.
 */
import type { DeviceRecord } from '../store/records.js';

/** The actor of the protocol's audit entries. */
export const TAM_ACTOR = 'tam';

/** A change sent to the device in an Update, recorded in the session until its outcome is known. */
export interface SentChange {
  readonly tcId: string | null;
  /** Hex of the inventory component id (the TC's stored component id when the TC is known). */
  readonly componentId: string;
  readonly action: 'install' | 'remove';
  readonly sequenceNumber: number | null;
}

export interface ExchangeFacts {
  sessionId?: string;
  /** The device, once its certificate chain validated. */
  device?: DeviceRecord;
  /** True when the device row existed before this exchange (audit entries of a refusal may name it). */
  deviceExisted?: boolean;
  /** Subject of the presented device certificate (as claimed; set before validation). */
  presentedSubject?: string;
  /** Changes the policy decided in this exchange. */
  sent: SentChange[];
  /** The Agent's outcome of an Update, from TamPolicy.recordOutcome. */
  outcome?: { ok: boolean; errorName?: string };
}

export function newExchange(): ExchangeFacts {
  return { sent: [] };
}
