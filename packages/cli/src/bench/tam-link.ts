/**
 * The TAM under load: either started here as a separate process (`otrp tam serve` from this same
 * build, SQLite in a temporary data directory, the TAM's default settings, counting its public-key
 * operations through OTRP_COUNT_CRYPTO=1), or one already running (`--tam URL`, whose admin token is
 * read from DATA/admin-token and which must have been started with OTRP_COUNT_CRYPTO=1).
 * The admin API (/admin/v1) uploads TCs, sets policies and reads the TAM's operation counts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError } from '../cli-error.js';
import type { OperationCounts } from './crypto-census.js';

export interface TamLink {
  /** Base URL, e.g. http://127.0.0.1:PORT (TEEP at /tam). */
  readonly url: string;
  readonly token: string;
  /** The child's process id when the bench started it. */
  readonly pid?: number;
  /** Stops the TAM when the bench started it (SIGTERM, then its exit code); else nothing. */
  stop(): Promise<void>;
}

const BIN = fileURLToPath(new URL('../bin.js', import.meta.url));

/** Starts `otrp tam serve --pki PKI --data DATA --listen 127.0.0.1:0` and waits for its URL line. */
export async function startOwnTam(pkiDir: string, dataDir: string, extraNodeArgs: readonly string[] = []): Promise<TamLink> {
  const argv = [...extraNodeArgs, BIN, 'tam', 'serve', '--pki', pkiDir, '--data', dataDir, '--listen', '127.0.0.1:0', '--log-level', 'warn'];
  const proc: ChildProcess = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, OTRP_COUNT_CRYPTO: '1' } });
  let out = '';
  let err = '';
  proc.stderr!.on('data', (c: Buffer) => {
    err = (err + c.toString('utf8')).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new CliError('ERR_BENCH_TAM', `the TAM did not start within 30 s: ${err.trim()}`)), 30_000);
    proc.stdout!.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      const m = /^tam listening on (\S+)\n/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new CliError('ERR_BENCH_TAM', `the TAM exited with ${code}: ${err.trim()}`));
    });
  });
  proc.stdout!.resume();
  const token = (await readFile(join(dataDir, 'admin-token'), 'utf8')).trim();
  let stopped: Promise<void> | undefined;
  return {
    url,
    token,
    ...(proc.pid !== undefined && { pid: proc.pid }),
    stop: () =>
      (stopped ??= (async () => {
        if (proc.exitCode === null) proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      })()),
  };
}

/** A TAM started elsewhere; the admin token comes from DATA/admin-token. */
export async function linkExternalTam(url: string, dataDir: string): Promise<TamLink> {
  let token: string;
  try {
    token = (await readFile(join(dataDir, 'admin-token'), 'utf8')).trim();
  } catch (e) {
    throw new CliError('ERR_FILE_READ', `cannot read the admin token in ${dataDir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { cause: e });
  }
  return { url: url.replace(/\/+$/, ''), token, stop: async () => {} };
}

async function admin(tam: TamLink, method: string, path: string, body?: unknown, raw?: Uint8Array): Promise<any> {
  const headers: Record<string, string> = { authorization: `Bearer ${tam.token}` };
  if (raw !== undefined) headers['content-type'] = 'application/suit-envelope+cose';
  else if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${tam.url}/admin/v1${path}`, {
    method,
    headers,
    ...(raw !== undefined ? { body: new Uint8Array(raw) } : body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  if (res.status >= 300) {
    const hint = path === '/crypto-operations' && res.status === 404 ? ' (start the TAM with OTRP_COUNT_CRYPTO=1)' : '';
    throw new CliError('ERR_BENCH_TAM', `${method} /admin/v1${path} answered ${res.status}: ${text.slice(0, 300)}${hint}`);
  }
  return text ? JSON.parse(text) : null;
}

/** Uploads a TC envelope; its TAM id. */
export async function uploadTc(tam: TamLink, envelope: Uint8Array, name: string): Promise<string> {
  return ((await admin(tam, 'POST', `/tcs?name=${encodeURIComponent(name)}`, undefined, envelope)) as { id: string }).id;
}

/** Sets the fleet-wide policy of one TC. */
export async function setPolicy(tam: TamLink, tcId: string, action: 'required' | 'optional'): Promise<void> {
  await admin(tam, 'POST', '/policies', { tcId, action, scope: { kind: 'all' } });
}

/** The TAM's public-key operation counts since it started. */
export async function tamCounts(tam: TamLink): Promise<OperationCounts> {
  return ((await admin(tam, 'GET', '/crypto-operations')) as { counts: OperationCounts }).counts;
}
