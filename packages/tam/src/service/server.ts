/**
 * The assembled TAM server (`otrp tam serve`): PKI, store, TamService, HTTP binding and admin API.
 * Lifecycle (each phase fails with one code; README.md "Server lifecycle"):
 *
 *   startTamServer(options)
 *     1. PKI       keys, anchors, CRLs from the PKI directory            ERR_TAM_PKI
 *     2. data dir  created; admin token from options or DATA/admin-token  ERR_TAM_CONFIG
 *     3. store     open + migrations (store.init)                        ERR_STORE_CONFIG / _UNAVAILABLE / _MIGRATION
 *     4. http      Fastify app, /tam + /admin/v1 + /metrics              ERR_HTTP_CONFIG (TLS files)
 *     5. listen    bind HOST:PORT                                         ERR_HTTP_LISTEN
 *   running        requests; expired sessions purged every 10 minutes
 *   close()        closeGracefully: stop accepting, finish in-flight exchanges, then the store closes
 *
 * TEEP requests refused by the HTTP layer before the TAM sees them (415, 413, 406, ...) are audited
 * here too, as `teep.http-refused`, so that every refusal is in the audit log.
 */
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { createNodeCryptoProvider, isOtrpError } from '@otrp/core';
import type { ReferenceValues } from '@otrp/core';
import { registerAdminApi } from '../admin/admin-api.js';
import { generateAdminToken, MIN_ADMIN_TOKEN_LENGTH } from '../http/admin-auth.js';
import { errorResponse } from '../http/error-response.js';
import { closeGracefully, createTamHttpServer, listenTamHttpServer } from '../http/server.js';
import { openStore, type OpenedStore } from '../store/open-store.js';
import { TamConfigInvalid } from './errors.js';
import { TAM_ACTOR } from './exchange.js';
import { TamService } from './tam-service.js';
import { COUNT_CRYPTO_ENV, createCryptoCounter, registerCryptoOperationsRoute } from './crypto-counts.js';
import { loadPkiTrust } from './trust.js';
import { registerOtrp } from '../otrp/register.js';
import type { OtrpTamConfig } from '../otrp/otrp-config.js';

export const ADMIN_TOKEN_FILE = 'admin-token';
const PURGE_EVERY_MS = 10 * 60_000;

export interface TamServerOptions {
  readonly pkiDir: string;
  readonly dataDir: string;
  /** Store URL; default `sqlite:<dataDir>/tam.db`. */
  readonly db?: string;
  readonly host?: string;
  /** 0 = a free port. */
  readonly port?: number;
  readonly adminToken?: string;
  /** PEM file contents. */
  readonly tls?: { readonly cert: string | Buffer; readonly key: string | Buffer };
  readonly logger?: FastifyBaseLogger;
  readonly bodyLimit?: number;
  readonly attestation?: 'background-check' | 'none';
  readonly referenceValues?: ReferenceValues;
  readonly tokenLifetimeMs?: number;
  readonly backoffMs?: number;
  readonly maxUploadBytes?: number;
  /** OTrP at `POST /otrp` (otrp/otrp-config.ts): signing key and per-peer key transport. */
  readonly otrp?: OtrpTamConfig;
  /**
   * Count public-key operations for `otrp bench` (crypto-counts.ts), served at
   * /admin/v1/crypto-operations. Default: OTRP_COUNT_CRYPTO=1 in the environment; else off.
   */
  readonly countCrypto?: boolean;
}

export interface RunningTamServer {
  readonly url: string;
  readonly port: number;
  /** The file holding the generated admin token (absent when the token came from the options). */
  readonly adminTokenFile?: string;
  readonly app: FastifyInstance;
  readonly store: OpenedStore;
  /** Graceful shutdown; resolves once the store is closed. */
  close(): Promise<void>;
}

/** Reads DATA/admin-token, or creates it (0600) with a new random token. */
export async function adminTokenFromDataDir(dataDir: string): Promise<{ token: string; file: string }> {
  const file = join(dataDir, ADMIN_TOKEN_FILE);
  try {
    const token = (await readFile(file, 'utf8')).trim();
    if (token.length >= MIN_ADMIN_TOKEN_LENGTH) return { token, file };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new TamConfigInvalid(`cannot read ${file}`, { cause: e });
  }
  const token = generateAdminToken();
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return { token, file };
}

export async function startTamServer(options: TamServerOptions): Promise<RunningTamServer> {
  const log = options.logger;
  const trust = await loadPkiTrust(options.pkiDir);
  try {
    await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  } catch (cause) {
    throw new TamConfigInvalid(`cannot create the data directory ${options.dataDir}`, { cause });
  }
  const fromFile = options.adminToken === undefined ? await adminTokenFromDataDir(options.dataDir) : undefined;
  const adminToken = options.adminToken ?? fromFile!.token;

  const store = openStore(options.db ?? `sqlite:${join(options.dataDir, 'tam.db')}`);
  await store.init();
  let app: FastifyInstance;
  try {
    const nodeProvider = createNodeCryptoProvider(await import('node:crypto'));
    const counter = (options.countCrypto ?? process.env[COUNT_CRYPTO_ENV] === '1') ? createCryptoCounter(nodeProvider) : undefined;
    const provider = counter?.provider ?? nodeProvider;
    const service = new TamService({
      store,
      trust,
      provider,
      ...(options.attestation && { attestation: options.attestation }),
      ...(options.referenceValues && { referenceValues: options.referenceValues }),
      ...(options.tokenLifetimeMs !== undefined && { tokenLifetimeMs: options.tokenLifetimeMs }),
      ...(options.backoffMs !== undefined && { backoffMs: options.backoffMs }),
      ...(log && { logger: log }),
    });
    app = createTamHttpServer({
      handler: service,
      adminToken,
      admin: (scope) => {
        registerAdminApi(scope, {
          store,
          signerTrust: async () => {
            const crls = await trust.crls();
            return { anchors: trust.signerAnchors, ...(crls.length ? { crls } : {}) };
          },
          ...(options.maxUploadBytes !== undefined && { maxUploadBytes: options.maxUploadBytes }),
        });
        if (counter) registerCryptoOperationsRoute(scope, counter);
      },
      healthCheck: async () => {
        await store.audit.list({ limit: 1 });
      },
      ...(log && { logger: log }),
      ...(options.tls && { tls: options.tls }),
      ...(options.bodyLimit !== undefined && { bodyLimit: options.bodyLimit }),
      openapi: { title: 'otrp TAM', version: '0.1.0' },
    });
    auditHttpRefusals(app, store);
    await registerOtrp(app, { pkiDir: options.pkiDir, store, deviceAnchors: trust.deviceAnchors, crls: () => trust.crls(), ...(options.otrp && { config: options.otrp }) });
    app.addHook('onClose', async () => {
      await store.close();
    });
  } catch (e) {
    await store.close();
    throw e;
  }
  const timer = setInterval(() => {
    store.sessions.purgeExpired().catch((err: unknown) => log?.warn({ err }, 'purging expired sessions failed'));
  }, PURGE_EVERY_MS);
  timer.unref();
  let address;
  try {
    address = await listenTamHttpServer(app, { ...(options.host !== undefined && { host: options.host }), port: options.port ?? 0 });
  } catch (e) {
    clearInterval(timer);
    await app.close();
    throw e;
  }
  return {
    url: address.url,
    port: address.port,
    ...(fromFile && { adminTokenFile: fromFile.file }),
    app,
    store,
    async close() {
      clearInterval(timer);
      await closeGracefully(app);
    },
  };
}

const refusedCode = new WeakMap<object, string>();

/** Audits TEEP requests the HTTP layer refuses before the TamService sees them (415, 406, 413, 405). */
function auditHttpRefusals(app: FastifyInstance, store: OpenedStore): void {
  const isTeep = (url: string) => url === '/tam' || url.startsWith('/tam/') || url.startsWith('/tam?');
  app.addHook('onError', async (request, _reply, error) => {
    if (isTeep(request.url)) refusedCode.set(request, errorResponse(error, 'teep').code);
  });
  app.addHook('onResponse', async (request, reply) => {
    if (!isTeep(request.url) || reply.statusCode < 400) return;
    try {
      await store.audit.append({
        actor: TAM_ACTOR,
        action: 'teep.http-refused',
        decision: reply.statusCode >= 500 ? 'error' : 'deny',
        code: refusedCode.get(request) ?? `HTTP_${reply.statusCode}`,
        detail: {
          status: reply.statusCode,
          path: request.url.split('?')[0] ?? request.url,
          contentType: request.headers['content-type'] ?? null,
          contentLength: request.headers['content-length'] ?? null,
          remote: request.ip,
          requestId: String(request.id),
        },
      });
    } catch (err) {
      request.log.error({ err: isOtrpError(err) ? err.code : err }, 'cannot write the HTTP refusal to the audit log');
    }
  });
}
