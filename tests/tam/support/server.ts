/**
 * Runs the BUILT `otrp` binary (packages/cli/dist/bin.js; `npm run build` first): `otrp tam serve`
 * as a child process, and the admin wrappers. The server's first stdout line gives its URL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CLI_BIN, spawnTamServe } from '../../../packages/cli/src/tam-process.js';

export { CLI_BIN };

export interface TamProcess {
  readonly url: string;
  readonly token: string;
  readonly proc: ChildProcess;
  readonly stderr: () => string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

export interface ServeArgs {
  readonly pkiDir: string;
  readonly dataDir: string;
  readonly db?: string;
  readonly config?: string;
}

export async function startTam(args: ServeArgs): Promise<TamProcess> {
  const argv = ['--pki', args.pkiDir, '--data', args.dataDir, '--listen', '127.0.0.1:0', '--log-level', 'warn'];
  if (args.db !== undefined) argv.push('--db', args.db);
  if (args.config !== undefined) argv.push('--config', args.config);
  const tam = await spawnTamServe(argv, { errorCode: 'ERR_TEST_TAM' });
  const token = (await readFile(join(args.dataDir, 'admin-token'), 'utf8')).trim();
  return { url: tam.url, token, proc: tam.proc, stderr: tam.stderr, stop: tam.stop };
}

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `otrp ARGS` from the built output. */
export function otrp(args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** A JSON call of the admin API (bearer token unless `token` is null). */
export async function adminCall<T = any>(
  url: string, token: string | null, method: string, path: string, body?: unknown,
): Promise<{ status: number; json: T }> {
  const res = await fetch(`${url}/admin/v1${path}`, {
    method,
    headers: { ...(token !== null && { authorization: `Bearer ${token}` }), ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: (text ? JSON.parse(text) : null) as T };
}

/** Uploads a SUIT envelope as raw bytes. */
export async function uploadTc(url: string, token: string, envelope: Uint8Array, name?: string): Promise<{ status: number; json: any }> {
  const res = await fetch(`${url}/admin/v1/tcs${name ? `?name=${encodeURIComponent(name)}` : ''}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/suit-envelope+cose' },
    body: new Uint8Array(envelope),
  });
  return { status: res.status, json: await res.json() };
}
