/**
 * The OTrP session the TAM persists between HTTP exchanges (store `sessions`, protocol `otrp`): the
 * pending request (rid/tid, -03 §9.1.1), the TEE view from GetDeviceState (TEE chain and key, `did`, the
 * DSI and its dsihash, §9.1.7), the command in flight and what failed. JSON, so a TAM restart or
 * another TAM node continues the session. The pending `tid` is also a single-use session token of
 * kind `tid`: a response is accepted once, and the token finds the session.
 */
import { decodeBase64Lenient, encodeBase64 } from '@otrp/core';
import type { Dsi, OtrpCommand, PendingRequest, TeeView } from '@otrp/core';

/** The command in flight, as much as its response handling needs. */
export interface SentCommand {
  command: OtrpCommand;
  key: string;
  spid: string;
  sdname: string;
  taid?: string;
  tcId?: string;
  sequenceNumber?: number;
}

export interface OtrpSessionState {
  v: 1;
  alg: 'ES256' | 'RS256';
  /** Signing algorithms tried for GetDeviceState (fallback on ERR_UNSUPPORTED_CRYPTO_ALG). */
  tried: string[];
  pending: PendingRequest;
  sent?: SentCommand;
  tee?: TeeView;
  deviceId?: string;
  skip: string[];
  steps: number;
  /** GetDeviceState re-runs after ERR_DEV_STATE_MISMATCH (stale dsihash, A5). */
  resyncs: number;
}

interface TeeViewJson {
  name: string;
  chain: string[];
  spki: string;
  did: string;
  dsi: Dsi;
  dsihash: string;
}

export function encodeSessionState(s: OtrpSessionState): Uint8Array {
  const tee: TeeViewJson | undefined = s.tee && { ...s.tee, chain: s.tee.chain.map(encodeBase64), spki: encodeBase64(s.tee.spki) };
  return new TextEncoder().encode(JSON.stringify({ ...s, tee }));
}

export function decodeSessionState(bytes: Uint8Array): OtrpSessionState {
  const raw = JSON.parse(new TextDecoder().decode(bytes)) as Omit<OtrpSessionState, 'tee'> & { tee?: TeeViewJson };
  const tee: TeeView | undefined = raw.tee && { ...raw.tee, chain: raw.tee.chain.map(decodeBase64Lenient), spki: decodeBase64Lenient(raw.tee.spki) };
  const { tee: _ignored, ...rest } = raw;
  return { ...rest, ...(tee && { tee }) };
}

export const tidToken = (tid: string) => new TextEncoder().encode(tid);
