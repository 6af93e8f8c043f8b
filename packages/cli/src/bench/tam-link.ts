/**
 * The TAM under load: either started here as a separate process (`otrp tam serve` from this same
 * build, SQLite in a temporary data directory, the TAM's default settings, counting its public-key
 * operations through OTRP_COUNT_CRYPTO=1), or one already running (`--tam URL`, whose admin token is
 * read from DATA/admin-token and which must have been started with OTRP_COUNT_CRYPTO=1).
 * The admin API (/admin/v1) uploads TCs, sets policies and reads the TAM's operation counts.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CliError } from '../cli-error.js';
import { spawnTamServe } from '../tam-process.js';
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

/** Starts `otrp tam serve --pki PKI --data DATA --listen 127.0.0.1:0` (counting its operations) and waits for its URL. */
export async function startOwnTam(pkiDir: string, dataDir: string, nodeArgs: readonly string[] = []): Promise<TamLink> {
  const tam = await spawnTamServe(['--pki', pkiDir, '--data', dataDir, '--listen', '127.0.0.1:0', '--log-level', 'warn'], {
    errorCode: 'ERR_BENCH_TAM', nodeArgs, env: { ...process.env, OTRP_COUNT_CRYPTO: '1' },
  });
  const token = (await readFile(join(dataDir, 'admin-token'), 'utf8')).trim();
  return { url: tam.url, token, ...(tam.proc.pid !== undefined && { pid: tam.proc.pid }), stop: async () => void (await tam.stop()) };
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
