/**
 * The TAM under load: either started here as a separate process (`otrp tam serve` from this same
 * build, SQLite in a temporary data directory, the TAM's default settings, counting its public-key
 * operations through OTRP_COUNT_CRYPTO=1), or one already running (`--tam URL`, whose admin token is
 * read from DATA/admin-token and which must have been started with OTRP_COUNT_CRYPTO=1).
 * The admin API (/admin/v1) uploads TCs, sets policies and reads the TAM's operation counts.
 */
import { CliError } from '../cli-error.js';
import { adminClient, type AdminClient } from '../commands/tam-client.js';
import { spawnTamServe } from '../tam-process.js';
import type { OperationCounts, OperationTally } from './crypto-census.js';

export interface TamLink {
  /** Base URL, e.g. http://127.0.0.1:PORT (TEEP at /tam). */
  readonly url: string;
  /** The admin API (the same client as the `otrp tam` wrappers; token from DATA/admin-token). */
  readonly admin: AdminClient;
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
  const admin = await adminClient({ tam: tam.url, data: dataDir });
  return { url: tam.url, admin, ...(tam.proc.pid !== undefined && { pid: tam.proc.pid }), stop: async () => void (await tam.stop()) };
}

/** A TAM started elsewhere; the admin token comes from DATA/admin-token. */
export async function linkExternalTam(url: string, dataDir: string): Promise<TamLink> {
  const base = url.replace(/\/+$/, '');
  return { url: base, admin: await adminClient({ tam: base, data: dataDir }), stop: async () => {} };
}

/** Uploads a TC envelope; its TAM id. */
export async function uploadTc(tam: TamLink, envelope: Uint8Array, name: string): Promise<string> {
  return (await tam.admin.request<{ id: string }>('POST', `/tcs?name=${encodeURIComponent(name)}`, { bytes: envelope })).id;
}

/** Sets the fleet-wide policy of one TC. */
export async function setPolicy(tam: TamLink, tcId: string, action: 'required' | 'optional'): Promise<void> {
  await tam.admin.request('POST', '/policies', { json: { tcId, action, scope: { kind: 'all' } } });
}

/** The TAM's public-key operation counts (and their time in the TAM) since it started. */
export async function tamOperations(tam: TamLink): Promise<OperationTally> {
  try {
    const r = await tam.admin.request<{ counts: OperationCounts; micros?: OperationCounts }>('GET', '/crypto-operations');
    // (A TAM of an earlier version serves counts only.)
    return { counts: r.counts, micros: r.micros ?? {} };
  } catch (e) {
    if (e instanceof CliError && e.code === 'ERR_HTTP_NOT_FOUND') {
      throw new CliError('ERR_BENCH_TAM', 'the TAM does not count its operations: start it with OTRP_COUNT_CRYPTO=1', { cause: e });
    }
    throw e;
  }
}
