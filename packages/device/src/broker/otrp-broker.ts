/**
 * The Broker for OTrP (REE side): the OTrP/HTTP client of draft-ietf-teep-otrp-over-http-02 §5. It
 * relays opaque JSON between the TAM and the OTrP implementation in the TEE and holds no keys.
 *
 * Session (-02 §5.1.1 "Session Creation", §5.3, §7 "Sample message flow"): this implementation has
 * one TEE and no RequestTA API for OTrP (the TAM's policy decides what is installed), so every
 * session is a policy check (-02 §5.4) that opens with an empty POST:
 *
 *   POST empty body (Accept)                         -> TAM: GetDeviceStateRequest
 *   ProcessOTrPMessage(request) in the TEE           -> response
 *   POST response (Accept, Content-Type)             -> TAM: next request | empty (204): session over
 *
 * An HTTP error or lower-layer error ends the session with a typed error (-02 §5.5; OTrP's TEE keeps
 * no session state, so there is no ProcessError call to make). A TEE that cannot form any response
 * (a message it cannot parse, a crashed TEE) ends it too (-02 §5.5 "local error"): the error is thrown.
 */
import type { OtrpProcessResult } from '../tee/otrp-ta.js';
import { BrokerSessionTooLong } from '../errors.js';
import { postOtrp, type OtrpHttpClientOptions } from './otrp-http-client.js';

/** The OTrP implementation as the Broker reaches it (TeeClient implements it over the TEE channel). */
export interface OtrpBrokerAgent {
  processOtrpMessage(message: Uint8Array): Promise<OtrpProcessResult>;
}

/** What the TEE did with the TAM message a `to-tam` body answers. */
export type OtrpTeeOutcome = Omit<OtrpProcessResult, 'response'>;

/** One relayed OTrP message, for transcripts (`otrp device run --verbose`, `otrp demo`). */
export interface OtrpExchange {
  readonly direction: 'to-tam' | 'from-tam';
  readonly tamUri: string;
  /** Undefined: an empty body (the session-opening POST, or a 204). */
  readonly body: Uint8Array | undefined;
  /** For a `to-tam` body: the TEE's outcome (request name, error code, changes). */
  readonly tee?: OtrpTeeOutcome;
}

export interface OtrpBrokerOptions extends OtrpHttpClientOptions {
  /** HTTP requests allowed in one session (default 64; a full lifecycle needs about 8). */
  readonly maxRoundTrips?: number;
  /** Sees every message relayed. */
  readonly onExchange?: (exchange: OtrpExchange) => void;
}

/** How a session went (a failed one throws instead). */
export interface OtrpSessionResult {
  readonly tamUri: string;
  /** HTTP requests made. */
  readonly roundTrips: number;
  /** What the TEE did with each TAM request, in order. */
  readonly outcomes: readonly OtrpTeeOutcome[];
}

/** Runs one OTrP/HTTP session with the TAM at `tamUri` (see the module comment). */
export async function runOtrpSession(agent: OtrpBrokerAgent, tamUri: string, options: OtrpBrokerOptions = {}): Promise<OtrpSessionResult> {
  const max = options.maxRoundTrips ?? 64;
  const outcomes: OtrpTeeOutcome[] = [];
  let outgoing: Uint8Array | undefined;
  let outcome: OtrpTeeOutcome | undefined;
  let roundTrips = 0;
  for (;;) {
    if (roundTrips >= max) throw new BrokerSessionTooLong(`more than ${max} round trips with ${tamUri}`);
    options.onExchange?.({ direction: 'to-tam', tamUri, body: outgoing, ...(outcome && { tee: outcome }) });
    roundTrips++;
    const incoming = await postOtrp(tamUri, outgoing, options);
    options.onExchange?.({ direction: 'from-tam', tamUri, body: incoming });
    if (incoming === undefined) return { tamUri, roundTrips, outcomes };
    const { response, ...rest } = await agent.processOtrpMessage(incoming);
    outcome = rest;
    outcomes.push(rest);
    outgoing = response;
  }
}
