/**
 * `otrp device run --poll SECONDS`: -15 §5.5 option A ("call up to the TEEP Agent at an interval"):
 * the first round carries the RequestTA / UnrequestTA calls, every later round is a policy check.
 * A failed round (transport error, TEE error) is reported and the loop goes on; it stops when the
 * signal aborts, or when the TEE process is gone (nothing more can succeed).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { isOtrpError } from '@otrp/core';
import { runDeviceOnce, type Device, type RunOnceOptions, type RunOnceResult } from './device.js';

export interface PollOptions extends RunOnceOptions {
  readonly intervalMs: number;
  readonly signal?: AbortSignal;
  /** Told about every round: its result, or the error that ended it. */
  readonly onRound?: (round: { readonly n: number; readonly result?: RunOnceResult; readonly error?: unknown }) => void;
}

/** Runs rounds until `signal` aborts; resolves with the number of rounds run. */
export async function pollDevice(device: Device, options: PollOptions): Promise<number> {
  let n = 0;
  while (!options.signal?.aborted) {
    const round = n === 0 ? options : { tamUri: options.tamUri, ...(options.broker && { broker: options.broker }) };
    n++;
    try {
      options.onRound?.({ n, result: await runDeviceOnce(device, round) });
    } catch (error) {
      options.onRound?.({ n, error });
      if (isOtrpError(error) && error.code === 'ERR_TEE_CRASHED') throw error;
    }
    try {
      await sleep(options.intervalMs, undefined, options.signal ? { signal: options.signal } : {});
    } catch {
      break; // aborted while waiting
    }
  }
  return n;
}
