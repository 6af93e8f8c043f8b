/**
 * Entry point of the simulated TEE process (forked by tee-process.ts with the TEE folder as its
 * argument). Everything from here down runs "inside the TEE": it opens the sealed storage, holds the
 * keys, runs the Agent, and answers channel requests one at a time (commands never interleave, so
 * the TA's storage has a single writer). It exits when the channel closes.
 *
 * Errors cross the boundary as a code and a message only: an OtrpError keeps its code and message;
 * anything else becomes ERR_TEE_INTERNAL with a fixed message (no stack traces, nothing that could
 * carry secret state).
 */
import { isOtrpError, type TeepProfileName } from '@otrp/core';
import { createAgentHost } from '../agent/agent-host.js';
import { TeeChannelError } from '../errors.js';
import { AgentTa } from './agent-ta.js';
import { createDeviceSecret } from './sealed-storage.js';
import { parseChannelRequest, type ChannelRequest, type ChannelResponse } from './tee-channel.js';

const [teeDir, ...flags] = process.argv.slice(2);
const profileFlag = flags.find((f) => f.startsWith('--profile='))?.slice('--profile='.length);
if (!teeDir || !process.send) {
  process.stderr.write('tee-main: run by the REE with a TEE folder and an IPC channel\n');
  process.exit(2);
}
// A new device: the TEE itself creates its device secret, so the REE never holds it.
if (flags.includes('--create')) {
  try {
    await createDeviceSecret(teeDir);
  } catch (e) {
    process.stderr.write(`tee-main: ${isOtrpError(e) ? `${e.code}: ${e.message}` : 'cannot create the TEE folder'}\n`);
    process.exit(3);
  }
}

if (profileFlag !== undefined && profileFlag !== 'draft-26' && profileFlag !== 'pre-26') {
  process.stderr.write(`tee-main: unknown TEEP profile ${profileFlag}\n`);
  process.exit(2);
}
const profile = profileFlag as TeepProfileName | undefined;
const ta = new AgentTa(teeDir, (ctx) => createAgentHost(ctx, profile ? { profile } : {}));
const sessions = new Set<number>();
let nextSession = 1;
let queue: Promise<void> = Promise.resolve();

function send(m: ChannelResponse): void {
  process.send!(m);
}

function fail(id: number, e: unknown): void {
  if (isOtrpError(e)) send({ op: 'error', id, code: e.code, message: e.message });
  else send({ op: 'error', id, code: 'ERR_TEE_INTERNAL', message: 'internal error in the TEE' });
}

async function handle(req: ChannelRequest): Promise<void> {
  switch (req.op) {
    case 'open': {
      const session = nextSession++;
      sessions.add(session);
      send({ op: 'result', id: req.id, session });
      return;
    }
    case 'close':
      sessions.delete(req.session);
      send({ op: 'result', id: req.id });
      return;
    case 'invoke': {
      if (!sessions.has(req.session)) throw new TeeChannelError(`no open session ${req.session}`);
      const response = await ta.invoke(req.command, req.request);
      send({ op: 'result', id: req.id, response });
      return;
    }
  }
}

process.on('message', (raw) => {
  const id = typeof (raw as { id?: unknown })?.id === 'number' ? (raw as { id: number }).id : -1;
  queue = queue.then(async () => {
    try {
      await handle(parseChannelRequest(raw));
    } catch (e) {
      if (id >= 0) fail(id, e);
    }
  });
});
process.on('disconnect', () => {
  void queue.finally(() => process.exit(0));
});
send({ op: 'ready' });
