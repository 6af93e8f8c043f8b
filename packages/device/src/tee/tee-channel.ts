/**
 * The message channel between the REE and the simulated TEE process: the only thing that crosses
 * the process boundary. Requests mirror TEEC_OpenSession / TEEC_InvokeCommand / TEEC_CloseSession
 * (tee-backend.ts); every payload is an opaque byte buffer. Both ends check every message they
 * receive (`parseChannelRequest`, `parseChannelResponse`) and treat anything else as a channel error.
 *
 * Carried over Node's IPC with the "advanced" serialization (structured clone), so buffers travel as
 * bytes. A tap can observe every message in both directions (tests use it to show that no private
 * key material ever crosses).
 */
import { TeeChannelError } from '../errors.js';
import { isTeeCommandId, type TeeCommandId } from './tee-backend.js';

export type ChannelRequest =
  | { readonly op: 'open'; readonly id: number }
  | { readonly op: 'invoke'; readonly id: number; readonly session: number; readonly command: TeeCommandId; readonly request: Uint8Array }
  | { readonly op: 'close'; readonly id: number; readonly session: number };

export type ChannelResponse =
  | { readonly op: 'ready' }
  | { readonly op: 'result'; readonly id: number; readonly session?: number; readonly response?: Uint8Array }
  | { readonly op: 'error'; readonly id: number; readonly code: string; readonly message: string };

/** Observes channel traffic: `direction` is seen from the REE. */
export type ChannelTap = (direction: 'to-tee' | 'from-tee', message: ChannelRequest | ChannelResponse) => void;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** Upper bound on a request or response buffer (a TEE's shared memory is finite too). */
export const MAX_CHANNEL_BUFFER = 64 * 1024 * 1024;

function buffer(v: unknown, what: string): Uint8Array {
  if (!(v instanceof Uint8Array)) throw new TeeChannelError(`${what} is not a byte buffer`);
  if (v.length > MAX_CHANNEL_BUFFER) throw new TeeChannelError(`${what} is larger than ${MAX_CHANNEL_BUFFER} bytes`);
  return v;
}

/** Checks a message arriving at the TEE. */
export function parseChannelRequest(m: unknown): ChannelRequest {
  if (!isObj(m) || !isId(m['id'])) throw new TeeChannelError('malformed channel request');
  const id = m['id'];
  switch (m['op']) {
    case 'open':
      return { op: 'open', id };
    case 'close':
      if (!isId(m['session'])) throw new TeeChannelError('close without a session');
      return { op: 'close', id, session: m['session'] };
    case 'invoke': {
      if (!isId(m['session'])) throw new TeeChannelError('invoke without a session');
      if (!isTeeCommandId(m['command'])) throw new TeeChannelError(`unknown command ${String(m['command'])}`);
      return { op: 'invoke', id, session: m['session'], command: m['command'], request: buffer(m['request'], 'request') };
    }
    default:
      throw new TeeChannelError('unknown channel operation');
  }
}

/** Checks a message arriving at the REE. */
export function parseChannelResponse(m: unknown): ChannelResponse {
  if (!isObj(m)) throw new TeeChannelError('malformed channel response');
  if (m['op'] === 'ready') return { op: 'ready' };
  if (!isId(m['id'])) throw new TeeChannelError('channel response without an id');
  const id = m['id'];
  if (m['op'] === 'result') {
    return {
      op: 'result',
      id,
      ...(isId(m['session']) ? { session: m['session'] } : {}),
      ...(m['response'] !== undefined ? { response: buffer(m['response'], 'response') } : {}),
    };
  }
  if (m['op'] === 'error' && typeof m['code'] === 'string' && typeof m['message'] === 'string') {
    return { op: 'error', id, code: m['code'], message: m['message'] };
  }
  throw new TeeChannelError('malformed channel response');
}
