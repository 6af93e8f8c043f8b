/**
 * `otrp device run --poll SECONDS`: -15 §5.5 option A ("call up to the TEEP Agent at an interval"):
 * the first round carries the RequestTA / UnrequestTA calls, every later round is a policy check.
 * With OTrP (-02) each round is one TAM session. A failed round (transport error, TEE error) is
 * reported and the loop goes on; it stops when the signal aborts, or when the TEE process is gone
 * (nothing more can succeed).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { isOtrpError } from '@otrp/core';
import { runDeviceOnce, runOtrpOnce, type Device, type OtrpRunOptions, type OtrpRunResult, type RunOnceOptions, type RunOnceResult } from './device.js';

export interface PollLoopOptions<R> {
  readonly intervalMs: number;
  readonly signal?: AbortSignal;
  /** Told about every round: its result, or the error that ended it. */
  readonly onRound?: (round: { readonly n: number; readonly result?: R; readonly error?: unknown }) => void;
}

export type PollOptions = RunOnceOptions & PollLoopOptions<RunOnceResult>;
export type OtrpPollOptions = OtrpRunOptions & PollLoopOptions<OtrpRunResult>;

/** Runs `round(n)` every `intervalMs` until `signal` aborts; resolves with the number of rounds run. */
async function pollRounds<R>(round: (n: number) => Promise<R>, options: PollLoopOptions<R>): Promise<number> {
  let n = 0;
  while (!options.signal?.aborted) {
    n++;
    try {
      options.onRound?.({ n, result: await round(n) });
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

/** TEEP rounds: the requests go with the first one only. */
export function pollDevice(device: Device, options: PollOptions): Promise<number> {
  const later = { tamUri: options.tamUri, ...(options.broker && { broker: options.broker }) };
  return pollRounds((n) => runDeviceOnce(device, n === 1 ? options : later), options);
}

/** OTrP rounds: one TAM session each. */
export function pollOtrpDevice(device: Device, options: OtrpPollOptions): Promise<number> {
  return pollRounds(() => runOtrpOnce(device, options), options);
}
