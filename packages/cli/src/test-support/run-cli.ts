/** Runs the built `otrp` binary (packages/cli/dist/bin.js) as a child process, as a user would. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CLI_BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** Raw standard output, for commands that print binary data. */
  stdoutBytes: Uint8Array;
}

export interface RunCliOptions {
  input?: Uint8Array | string;
  cwd?: string;
  /** Options for node itself, before the script (e.g. --import). */
  nodeArgs?: string[];
  /** Added to this process's environment. */
  env?: Record<string, string>;
}

export function runCli(args: string[], options: RunCliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), CLI_BIN, ...args], {
      cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'], ...(options.env && { env: { ...process.env, ...options.env } }),
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      const stdoutBytes = Buffer.concat(out);
      resolve({ code: code ?? 1, stdout: stdoutBytes.toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), stdoutBytes: new Uint8Array(stdoutBytes) });
    });
    child.stdin.end(options.input ?? '');
  });
}
