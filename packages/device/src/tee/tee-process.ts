/**
 * `SimulatedTeeBackend`: the TeeBackend (tee-backend.ts) of the simulated TEE, a separate Node
 * process running tee-main.ts on the device's TEE folder. The REE side holds only this handle; the
 * TEE process alone opens the sealed storage and holds the keys.
 *
 * Lifecycle: `start` forks the process and waits for its `ready` message; commands are matched to
 * responses by id. When the process exits for any reason (crash, kill, OOM), every pending call and
 * every later call fails with ERR_TEE_CRASHED; a new backend must be started (the TEE's state is
 * on disk, sealed and written atomically, so a restart resumes from the last committed state).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TeeChannelError, TeeCommandFailed, TeeCrashed, TeeStartFailed } from '../errors.js';
import type { TeeBackend, TeeCommandId } from './tee-backend.js';
import { parseChannelResponse, type ChannelRequest, type ChannelResponse, type ChannelTap } from './tee-channel.js';

export interface SimulatedTeeOptions {
  /** Observes every channel message (tests). */
  readonly tap?: ChannelTap;
  /** Extra environment for the TEE process (e.g. OTRP_TEE_CRASH_AT for kill tests). */
  readonly env?: NodeJS.ProcessEnv;
  /** Create a new TEE: the process makes the TEE folder and its device secret (refused if one exists). */
  readonly create?: boolean;
  /** TEEP wire numbering for TAM sessions the Agent opens (default draft-26). */
  readonly profile?: 'draft-26' | 'pre-26';
  /** Milliseconds to wait for the process to come up (default 20 s). */
  readonly startTimeoutMs?: number;
}

/** tee-main next to this module: .ts when running from sources (tsx), .js when built. */
function entryPath(): string {
  const ts = fileURLToPath(new URL('./tee-main.ts', import.meta.url));
  const js = fileURLToPath(new URL('./tee-main.js', import.meta.url));
  return import.meta.url.endsWith('.ts') && existsSync(ts) ? ts : js;
}

type Pending = { resolve: (r: ChannelResponse & { op: 'result' }) => void; reject: (e: unknown) => void };

export class SimulatedTeeBackend implements TeeBackend {
  readonly #child: ChildProcess;
  readonly #tap: ChannelTap | undefined;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #dead: TeeCrashed | undefined;
  readonly #exited: Promise<void>;

  private constructor(child: ChildProcess, tap: ChannelTap | undefined) {
    this.#child = child;
    this.#tap = tap;
    this.#exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  /** Starts the TEE process for the TEE folder `teeDir`. */
  static async start(teeDir: string, options: SimulatedTeeOptions = {}): Promise<SimulatedTeeBackend> {
    const args = [teeDir, ...(options.create ? ['--create'] : []), ...(options.profile ? [`--profile=${options.profile}`] : [])];
    const entry = entryPath();
    const child = fork(entry, args, {
      serialization: 'advanced',
      // The built TEE runs built code: a TypeScript loader or a `development` condition inherited from
      // a test runner would make it load (and transpile) the sources instead.
      ...(entry.endsWith('.js') && { execArgv: [] }),
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, ...options.env },
    });
    const backend = new SimulatedTeeBackend(child, options.tap);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new TeeStartFailed('the TEE process did not become ready in time'));
      }, options.startTimeoutMs ?? 20_000);
      const onExit = (code: number | null, signal: string | null) => {
        clearTimeout(timer);
        reject(new TeeStartFailed(`the TEE process exited during start (${signal ?? `code ${code}`})`));
      };
      child.once('exit', onExit);
      child.once('error', (e) => {
        clearTimeout(timer);
        reject(new TeeStartFailed('the TEE process could not be started', { cause: e }));
      });
      child.once('message', (m) => {
        clearTimeout(timer);
        child.off('exit', onExit);
        if ((m as { op?: unknown })?.op === 'ready') resolve();
        else reject(new TeeStartFailed('the TEE process sent something other than ready'));
      });
    });
    backend.#listen();
    return backend;
  }

  /** The TEE process id (tests kill it to simulate a crash). */
  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** True once the TEE process has gone. */
  get crashed(): boolean {
    return this.#dead !== undefined;
  }

  #listen(): void {
    this.#child.on('message', (raw) => {
      let m: ChannelResponse;
      try {
        m = parseChannelResponse(raw);
      } catch {
        return; // A malformed message cannot be matched to a request; the request times out with the process.
      }
      this.#tap?.('from-tee', m);
      if (m.op === 'ready') return;
      const p = this.#pending.get(m.id);
      if (!p) return;
      this.#pending.delete(m.id);
      if (m.op === 'result') p.resolve(m);
      else p.reject(new TeeCommandFailed(m.code, m.message));
    });
    this.#child.once('exit', (code, signal) => {
      this.#dead = new TeeCrashed(`the TEE process exited (${signal ?? `code ${code}`})`);
      for (const p of this.#pending.values()) p.reject(this.#dead);
      this.#pending.clear();
    });
  }

  #call(build: (id: number) => ChannelRequest): Promise<ChannelResponse & { op: 'result' }> {
    if (this.#dead) return Promise.reject(this.#dead);
    const id = this.#nextId++;
    const request = build(id);
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#tap?.('to-tee', request);
      try {
        this.#child.send(request, (e) => {
          if (e && this.#pending.delete(id)) reject(this.#dead ?? new TeeCrashed('the TEE process is not reachable', { cause: e }));
        });
      } catch (e) {
        this.#pending.delete(id);
        reject(this.#dead ?? new TeeCrashed('the TEE process is not reachable', { cause: e }));
      }
    });
  }

  async openSession(): Promise<number> {
    const r = await this.#call((id) => ({ op: 'open', id }));
    if (r.session === undefined) throw new TeeChannelError('open session returned no session');
    return r.session;
  }

  async invokeCommand(session: number, command: TeeCommandId, request: Uint8Array): Promise<Uint8Array> {
    const r = await this.#call((id) => ({ op: 'invoke', id, session, command, request }));
    return r.response ?? new Uint8Array(0);
  }

  async closeSession(session: number): Promise<void> {
    await this.#call((id) => ({ op: 'close', id, session }));
  }

  /** Stops the TEE process: closes the channel and waits for it to exit (kills it after 5 s). */
  async shutdown(): Promise<void> {
    if (this.#dead) return;
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 5_000);
    try {
      this.#child.disconnect(); // tee-main exits when its channel closes
    } catch {
      this.#child.kill('SIGKILL');
    }
    await this.#exited;
    clearTimeout(timer);
  }
}
