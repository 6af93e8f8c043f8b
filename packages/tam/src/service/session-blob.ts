/**
 * The state a TEEP session keeps in the store between HTTP requests (store `sessions.state`, opaque
 * to the store): the session machine's plain-JSON state (core teep/tam-types.ts) plus what the
 * service sent in the session's Update, so its outcome can confirm or cancel those inventory changes.
 */
import { InvalidArgument } from '@otrp/core';
import type { TamSessionState } from '@otrp/core';
import type { SentChange } from './exchange.js';

export interface SessionBlob {
  readonly v: 1;
  readonly machine: TamSessionState;
  readonly deviceId?: string;
  readonly sent?: readonly SentChange[];
}

export function encodeSessionBlob(blob: SessionBlob): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(blob));
}

export function decodeSessionBlob(bytes: Uint8Array): SessionBlob {
  let blob: unknown;
  try {
    blob = JSON.parse(new TextDecoder().decode(bytes));
  } catch (cause) {
    throw new InvalidArgument('stored session state is not JSON', { cause });
  }
  const b = blob as Partial<SessionBlob> | null;
  if (b === null || typeof b !== 'object' || b.v !== 1 || typeof b.machine !== 'object' || b.machine === null) {
    throw new InvalidArgument('stored session state has an unknown shape');
  }
  return b as SessionBlob;
}
