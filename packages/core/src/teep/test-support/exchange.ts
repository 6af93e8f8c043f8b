/** Drives a TAM session and an Agent session against each other in memory, recording the transcript. */
import { processConnect, processTeepMessage as tamProcess } from '../tam-session.js';
import { processTeepMessage as agentProcess } from '../agent-session.js';
import type { AgentEvent, AgentSessionState } from '../agent-types.js';
import type { TamEvent, TamSessionState, TeepOutbound } from '../tam-types.js';
import type { World } from './world.js';

export const T0 = Date.UTC(2026, 10, 27, 12, 0, 0);

export interface TranscriptEntry {
  readonly from: 'tam' | 'agent';
  readonly out: TeepOutbound;
}

export interface Exchange {
  tamState: TamSessionState;
  agentState: AgentSessionState;
  transcript: TranscriptEntry[];
  tamEvents: TamEvent[];
  agentEvents: AgentEvent[];
}

/** Types of the messages in order, e.g. ['query-request', 'query-response', 'update', 'success']. */
export function types(x: Exchange): string[] {
  return x.transcript.map((e) => e.out.type);
}

/** States cross a JSON round trip between steps, as a server storing them in a database would do. */
const stored = <T>(state: T): T => JSON.parse(JSON.stringify(state)) as T;

/** One full session: ProcessConnect, then messages back and forth until one side sends nothing. */
export async function runSession(world: World, agentState: AgentSessionState, now = T0, previous?: TamSessionState): Promise<Exchange> {
  const first = await processConnect(world.tam, { now, ...(previous && { previous }) });
  const x: Exchange = { tamState: first.state, agentState, transcript: [], tamEvents: [...first.events], agentEvents: [] };
  let pending = first.outputs[0];
  for (let steps = 0; pending && steps < 20; steps++) {
    x.transcript.push({ from: 'tam', out: pending });
    const a = await agentProcess(world.agent, stored(x.agentState), pending.bytes);
    x.agentState = a.state;
    x.agentEvents.push(...a.events);
    const reply = a.outputs.find((o): o is TeepOutbound => o.type !== 'connect');
    if (!reply) break;
    x.transcript.push({ from: 'agent', out: reply });
    const t = await tamProcess(world.tam, stored(x.tamState), reply.bytes, { now });
    x.tamState = t.state;
    x.tamEvents.push(...t.events);
    pending = t.outputs[0];
  }
  return x;
}
