/**
 * The TEEP Broker (REE side): the TEEP/HTTP client of draft-ietf-teep-otrp-over-http-15 §5. It
 * relays opaque bytes between the TAM and the Agent in the TEE and holds no keys: it cannot read or
 * forge anything, only drop or delay it.
 *
 * Session (per -15 §5.1.1, §5.3, §5.4), started by an Agent instruction:
 *
 *   Agent API call (RequestTA / UnrequestTA / RequestPolicyCheck)
 *     -> nothing             : done, nothing to do
 *     -> TAM URI             : POST empty body (Accept)                  --+
 *     -> TAM URI + message   : POST message (Accept, Content-Type)         |
 *   HTTP response                                                          |
 *     -> empty (204)         : session over                                |
 *     -> TEEP message        : Agent ProcessTeepMessage                    |
 *          -> nothing        : session over                                |
 *          -> message        : POST it to the same TAM URI  <--------------+
 *   HTTP error / lower-layer error (any phase): Agent ProcessError, session over, caller told (typed).
 *
 * The URI the Agent passes back is used even when it differs from the caller's hint (-15 §5.1).
 * Policy checks loop RequestPolicyCheck until the Agent passes back nothing (-15 §5.5), one TAM
 * session per URI it returns.
 */
import { isOtrpError } from '@otrp/core';
import type { AgentEventView, BrokerInstruction, ProcessTeepMessageResult } from '../agent/agent-host-types.js';
import { BrokerSessionTooLong } from '../errors.js';
import { postTeep, type TeepHttpClientOptions } from './teep-http-client.js';

/** The Agent as the Broker reaches it (TeeClient implements this over the TEE channel). */
export interface BrokerAgent {
  requestTA(componentId: readonly Uint8Array[], tamUri?: string): Promise<BrokerInstruction>;
  unrequestTA(componentId: readonly Uint8Array[], tamUri?: string): Promise<BrokerInstruction>;
  requestPolicyCheck(tamUri?: string): Promise<BrokerInstruction>;
  processTeepMessage(tamUri: string, message: Uint8Array): Promise<ProcessTeepMessageResult>;
  processError(tamUri: string, detail?: string): Promise<void>;
}

/** One relayed message, for transcripts (`otrp demo`) and logs. */
export interface BrokerExchange {
  readonly direction: 'to-tam' | 'from-tam';
  readonly tamUri: string;
  /** Undefined: an empty body (a session-opening POST, or a 204). */
  readonly body: Uint8Array | undefined;
}

export interface BrokerOptions extends TeepHttpClientOptions {
  /** Round trips allowed in one session before it is abandoned (default 16; a TEEP session needs 2-3). */
  readonly maxRoundTrips?: number;
  /** Sees every message relayed. */
  readonly onExchange?: (exchange: BrokerExchange) => void;
}

/** How a session went (a failed one throws instead). */
export interface BrokerSessionResult {
  /** False when the Agent had nothing to do (no TAM contacted). */
  readonly contacted: boolean;
  readonly tamUri?: string;
  /** HTTP requests made. */
  readonly roundTrips: number;
  /** What the Agent reported while processing the TAM's messages (errors sent, installs, ...). */
  readonly events: readonly AgentEventView[];
  /**
   * The Agent's last message of the session was a TEEP Error (the TAM had nothing more to say). An
   * Error the TAM answered with a new QueryRequest (a negotiation: Error 7 asking the TAM to attest,
   * 5 / 4 / 3 / 8 narrowing the offer) is in `events` but did not end the session.
   */
  readonly endedWithError: boolean;
}

export class Broker {
  readonly #agent: BrokerAgent;
  readonly #options: BrokerOptions;

  constructor(agent: BrokerAgent, options: BrokerOptions = {}) {
    this.#agent = agent;
    this.#options = options;
  }

  /** RequestTA, then the session the Agent asks for. */
  async requestTA(componentId: readonly Uint8Array[], tamUri?: string): Promise<BrokerSessionResult> {
    return this.runSession(await this.#agent.requestTA(componentId, tamUri));
  }

  /** UnrequestTA, then the session the Agent asks for. */
  async unrequestTA(componentId: readonly Uint8Array[], tamUri?: string): Promise<BrokerSessionResult> {
    return this.runSession(await this.#agent.unrequestTA(componentId, tamUri));
  }

  /**
   * RequestPolicyCheck until the Agent passes back nothing (-15 §5.5), one session per TAM URI: a
   * URI already checked in this round ends the round too, so an Agent that hands the same TAM out
   * again after its session cannot keep the Broker looping.
   */
  async policyCheck(tamUri?: string): Promise<BrokerSessionResult[]> {
    const results: BrokerSessionResult[] = [];
    const checked = new Set<string>();
    for (let i = 0; i < 64; i++) {
      const instruction = await this.#agent.requestPolicyCheck(tamUri);
      if (instruction.tamUri === undefined || checked.has(instruction.tamUri)) return results;
      checked.add(instruction.tamUri);
      results.push(await this.runSession(instruction));
    }
    throw new BrokerSessionTooLong('the Agent kept asking for policy checks');
  }

  /** Runs one TEEP/HTTP session from an Agent instruction (see the module comment). */
  async runSession(instruction: BrokerInstruction): Promise<BrokerSessionResult> {
    const { tamUri } = instruction;
    if (tamUri === undefined) return { contacted: false, roundTrips: 0, events: [], endedWithError: false };
    const max = this.#options.maxRoundTrips ?? 16;
    const events: AgentEventView[] = [];
    let outgoing = instruction.message;
    let roundTrips = 0;
    let lastWasError = false;
    for (;;) {
      if (roundTrips >= max) {
        await this.#agent.processError(tamUri, 'session too long').catch(() => undefined);
        throw new BrokerSessionTooLong(`more than ${max} round trips with ${tamUri}`);
      }
      this.#options.onExchange?.({ direction: 'to-tam', tamUri, body: outgoing });
      let incoming: Uint8Array | undefined;
      try {
        roundTrips++;
        incoming = await postTeep(tamUri, outgoing, this.#options);
      } catch (e) {
        // -15 §5.6: call the Agent's ProcessError, drop the session, tell the caller.
        await this.#agent.processError(tamUri, isOtrpError(e) ? e.code : 'transport error').catch(() => undefined);
        throw e;
      }
      this.#options.onExchange?.({ direction: 'from-tam', tamUri, body: incoming });
      if (incoming === undefined) return { contacted: true, tamUri, roundTrips, events, endedWithError: lastWasError };
      const answer = await this.#agent.processTeepMessage(tamUri, incoming);
      events.push(...answer.events);
      if (!answer.message) return { contacted: true, tamUri, roundTrips, events, endedWithError: false };
      lastWasError = answer.events.some((e) => e.type === 'error-sent');
      outgoing = answer.message;
    }
  }
}
