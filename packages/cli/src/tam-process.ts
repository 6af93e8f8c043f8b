/**
 * `otrp tam serve` of this same build as a child process, for `otrp demo`, `otrp bench` and the
 * tests that drive the built TAM: spawn it, wait for its first stdout line `tam listening on URL`,
 * and stop it with SIGTERM (SIGKILL after 10 s). A TAM that exits or stays silent during start is a
 * CliError with the caller's code and the last line the TAM wrote to stderr.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CliError } from './cli-error.js';

/** The built entry point, packages/cli/dist/bin.js (the same from src/ under tsx and from dist/). */
export const CLI_BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

/** How much of the TAM's stderr is kept (its tail). */
const STDERR_KEPT = 64 * 1024;

export interface TamServeProcess {
  /** Base URL, e.g. http://127.0.0.1:PORT (TEEP at /tam, OTrP at /otrp, admin at /admin/v1). */
  readonly url: string;
  readonly proc: ChildProcess;
  /** What the TAM wrote to stderr so far (the last 64 KiB). */
  stderr(): string;
  /** SIGTERM (SIGKILL after 10 s), then the exit code; idempotent. */
  stop(): Promise<number | null>;
}

export interface TamServeOptions {
  /** Error code of a failed start (e.g. ERR_BENCH_TAM). */
  readonly errorCode: string;
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Node options before the entry point (e.g. --cpu-prof). */
  readonly nodeArgs?: readonly string[];
}

/** Runs `otrp tam serve ARGS` (ARGS after `serve`); resolves once it listens. */
export async function spawnTamServe(args: readonly string[], options: TamServeOptions): Promise<TamServeProcess> {
  const proc = spawn(process.execPath, [...(options.nodeArgs ?? []), CLI_BIN, 'tam', 'serve', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.cwd !== undefined && { cwd: options.cwd }),
    ...(options.env !== undefined && { env: options.env }),
  });
  let err = '';
  proc.stderr!.on('data', (c: Buffer) => (err = (err + c.toString('utf8')).slice(-STDERR_KEPT)));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const lastLine = () => err.trim().split('\n').pop() ?? '';
  let stopped: Promise<number | null> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    })());
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      void stop();
      reject(new CliError(options.errorCode, `the TAM did not start within 30 s: ${lastLine()}`));
    }, 30_000);
    const onData = (c: Buffer) => {
      out += c.toString('utf8');
      const m = /^tam listening on (\S+)\n/.exec(out);
      if (m) {
        clearTimeout(timer);
        proc.stdout!.off('data', onData);
        proc.stdout!.resume(); // later lines (the admin-token notice) are not read
        resolve(m[1]!);
      }
    };
    proc.stdout!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new CliError(options.errorCode, `the TAM exited with ${code} during start: ${lastLine()}`));
    });
  });
  return { url, proc, stderr: () => err, stop };
}
