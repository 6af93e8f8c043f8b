/**
 * A test double of the PROTOCOL layer for HTTP-layer tests only: a small real TamProtocolHandler
 * that speaks canned CBOR. processConnect answers a fixed "QueryRequest-shaped" array; a message is
 * decoded with the real CBOR decoder (so garbage throws a real CborError), and answered with an
 * "Update-shaped" array echoing it, or with nothing (null -> 204) when it is `[5]` ("Success").
 * `failWith` makes the next call throw, to exercise the error table.
 */
import { decodeCbor, encodeCbor } from '@otrp/core';
import type { TamProtocolHandler, TeepExchangeContext } from '../tam-handler.js';

export interface RecordedCall {
  readonly api: 'connect' | 'message';
  readonly ctx: TeepExchangeContext;
  readonly body?: Uint8Array;
}

/** The first message this handler sends: `[1, {20: h'0102030405060708'}]` (TEEP type 1 = QueryRequest). */
export const CONNECT_ANSWER: Uint8Array = encodeCbor([1, new Map([[20, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])]])]);

export class CountingTam implements TamProtocolHandler {
  readonly calls: RecordedCall[] = [];
  /** Thrown by the next call instead of answering. */
  failWith: unknown = undefined;
  /** When set, calls wait for it before answering (to hold a request in flight). */
  gate: Promise<void> | undefined = undefined;

  async processConnect(ctx: TeepExchangeContext): Promise<Uint8Array | null> {
    this.calls.push({ api: 'connect', ctx });
    await this.hold();
    return CONNECT_ANSWER;
  }

  async processTeepMessage(body: Uint8Array, ctx: TeepExchangeContext): Promise<Uint8Array | null> {
    this.calls.push({ api: 'message', ctx, body });
    await this.hold();
    const message = decodeCbor(body);
    if (Array.isArray(message) && message.length === 1 && message[0] === 5) return null;
    return encodeCbor([3, new Map([[20, body]])]);
  }

  private async hold(): Promise<void> {
    if (this.gate !== undefined) await this.gate;
    if (this.failWith !== undefined) {
      const e = this.failWith;
      this.failWith = undefined;
      throw e;
    }
  }
}
