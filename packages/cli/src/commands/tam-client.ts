/**
 * A small client of the TAM management API (`/admin/v1/`, bearer token) for the `otrp tam` wrappers.
 *
 * Defaults, so that `otrp tam ... --data DIR` just works next to `otrp tam serve --data DIR`:
 *   URL    --tam URL, else $OTRP_TAM_URL, else DATA/tam-url (written by `tam serve`), else http://127.0.0.1:8443
 *   token  --token-file F, else $OTRP_ADMIN_TOKEN, else DATA/admin-token
 * API errors ({code, message}) become `error: <CODE>: <message>`; an unreachable TAM is ERR_TAM_UNREACHABLE.
 */
import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_DATA_DIR, DEFAULT_LISTEN } from '@otrp/tam';
import { CliError } from '../cli-error.js';

/** The file `tam serve` writes its URL into, inside the data directory. */
export const TAM_URL_FILE = 'tam-url';

export interface ClientFlags {
  tam?: string;
  tokenFile?: string;
  data?: string;
  json?: boolean;
}

/** Adds the connection options every admin wrapper takes. */
export function clientOptions(c: Command): Command {
  return c
    .option('--tam <url>', 'TAM base URL (default: $OTRP_TAM_URL, DATA/tam-url, http://127.0.0.1:8443)')
    .option('--token-file <file>', 'file holding the admin token (default: $OTRP_ADMIN_TOKEN, DATA/admin-token)')
    .option('--data <dir>', `the TAM's data directory, for the defaults (default ${DEFAULT_DATA_DIR})`)
    .option('--json', 'print the API answer as JSON');
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    return undefined;
  }
}

export interface AdminClient {
  /** `bytes` go as `contentType` (default application/suit-envelope+cose). */
  request<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: UploadBody): Promise<T>;
}

export interface UploadBody {
  json?: unknown;
  bytes?: Uint8Array;
  contentType?: string;
}

export async function adminClient(flags: ClientFlags): Promise<AdminClient> {
  const data = flags.data ?? DEFAULT_DATA_DIR;
  const base = (flags.tam ?? process.env['OTRP_TAM_URL'] ?? (await readText(join(data, TAM_URL_FILE))) ?? `http://${DEFAULT_LISTEN}`).replace(/\/+$/, '');
  let token: string | undefined;
  if (flags.tokenFile !== undefined) {
    token = await readText(flags.tokenFile);
    if (token === undefined) throw new CliError('ERR_FILE_READ', `cannot read ${flags.tokenFile}`);
  } else token = process.env['OTRP_ADMIN_TOKEN'] ?? (await readText(join(data, 'admin-token')));
  if (token === undefined || token.length === 0) {
    throw new CliError('ERR_ADMIN_TOKEN_MISSING', 'no admin token: use --token-file, $OTRP_ADMIN_TOKEN or --data DIR');
  }
  return {
    async request<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: UploadBody): Promise<T> {
      const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
      let payload: string | Uint8Array<ArrayBuffer> | undefined;
      if (body?.json !== undefined) {
        headers['content-type'] = 'application/json';
        payload = JSON.stringify(body.json);
      } else if (body?.bytes !== undefined) {
        headers['content-type'] = body.contentType ?? 'application/suit-envelope+cose';
        payload = new Uint8Array(body.bytes);
      }
      let res: Response;
      try {
        res = await fetch(`${base}/admin/v1${path}`, { method, headers, ...(payload !== undefined && { body: payload }) });
      } catch (e) {
        throw new CliError('ERR_TAM_UNREACHABLE', `cannot reach the TAM at ${base}: ${(e as Error).cause instanceof Error ? ((e as Error).cause as Error).message : (e as Error).message}`, { cause: e });
      }
      const text = await res.text();
      let parsed: unknown;
      try {
        parsed = text.length ? JSON.parse(text) : null;
      } catch {
        parsed = null;
      }
      if (!res.ok) {
        const err = parsed as { code?: unknown; message?: unknown } | null;
        const code = typeof err?.code === 'string' ? err.code : `ERR_HTTP_${res.status}`;
        throw new CliError(code, typeof err?.message === 'string' ? err.message : `the TAM answered ${res.status}`);
      }
      return parsed as T;
    },
  };
}
