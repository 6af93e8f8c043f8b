/**
 * `otrp tam serve`: the TAM server (@otrp/tam startTamServer). The first line on standard output is
 * `tam listening on <URL>` (tools and tests parse it), the second says where the admin token is.
 * Logs are pino JSON lines on standard error (or --log-file). SIGTERM / SIGINT shut down gracefully.
 */
import type { Command } from 'commander';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import {
  createTamLogger, DEFAULT_DATA_DIR, DEFAULT_LISTEN, DEFAULT_PKI_DIR, LOG_LEVELS, parseListen, parseTamConfig, startTamServer,
} from '@otrp/tam';
import type { LogLevel, TamFileConfig } from '@otrp/tam';
import { CliError } from '../cli-error.js';
import { writeOutput } from '../io.js';
import { TAM_URL_FILE } from './tam-client.js';

interface ServeFlags {
  pki?: string;
  config?: string;
  data?: string;
  db?: string;
  listen?: string;
  tlsCert?: string;
  tlsKey?: string;
  logLevel?: string;
  logFile?: string;
}

async function readConfig(file: string): Promise<TamFileConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new CliError('ERR_FILE_READ', `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { cause: e });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new CliError('ERR_TAM_CONFIG', `${file} is not JSON: ${(e as Error).message}`, { cause: e });
  }
  return parseTamConfig(json);
}

async function pem(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (e) {
    throw new CliError('ERR_FILE_READ', `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { cause: e });
  }
}

export function registerTamServe(tam: Command): void {
  tam
    .command('serve')
    .summary('run the TAM: TEEP over HTTP at /tam, the admin API at /admin/v1, /metrics')
    .description(
      'Runs the Trusted Application Manager. Keys, the Device CA, the TC-Signer CA, CRLs and enrolled device ' +
        'certificates come from the PKI directory (`otrp pki init`). State is kept in SQLite inside the data ' +
        'directory unless --db names another store. Without an admin token in the configuration, a random one ' +
        'is generated into DATA/admin-token (mode 0600). Command-line options win over the configuration file ' +
        '(JSON; keys in packages/tam/README.md).',
    )
    .option('--pki <dir>', `PKI directory (default ${DEFAULT_PKI_DIR})`)
    .option('--config <file>', 'JSON configuration file')
    .option('--data <dir>', `data directory (default ${DEFAULT_DATA_DIR})`)
    .option('--db <url>', 'store: sqlite:PATH or postgres://USER@HOST:PORT/DB?schema=S (default sqlite:DATA/tam.db)')
    .option('--listen <host:port>', `address to bind, port 0 = any free port (default ${DEFAULT_LISTEN})`)
    .option('--tls-cert <file>', 'serve HTTPS with this certificate chain (PEM)')
    .option('--tls-key <file>', 'private key of --tls-cert (PEM)')
    .option('--log-level <level>', `log level: ${LOG_LEVELS.join(', ')} (default info)`)
    .option('--log-file <file>', 'append logs to this file instead of standard error')
    .addHelpText('after', '\nExamples:\n  otrp tam serve --pki ./pki --data ./tam-data\n  otrp tam serve --pki ./pki --db postgres://tam@db:5432/tam --listen 0.0.0.0:8443 --tls-cert tls.pem --tls-key tls-key.pem\n')
    .action(async (flags: ServeFlags) => {
      const file = flags.config !== undefined ? await readConfig(flags.config) : {};
      const base = flags.config !== undefined ? dirname(resolve(flags.config)) : process.cwd();
      const fromFile = (p: string | undefined) => (p === undefined ? undefined : resolve(base, p));
      if ((flags.tlsCert === undefined) !== (flags.tlsKey === undefined)) throw new CliError('ERR_USAGE', '--tls-cert and --tls-key go together');
      if (flags.logLevel !== undefined && !(LOG_LEVELS as readonly string[]).includes(flags.logLevel)) {
        throw new CliError('ERR_USAGE', `--log-level must be one of ${LOG_LEVELS.join(', ')}`);
      }
      const pkiDir = flags.pki !== undefined ? resolve(flags.pki) : (fromFile(file.pkiDir) ?? resolve(DEFAULT_PKI_DIR));
      const dataDir = flags.data !== undefined ? resolve(flags.data) : (fromFile(file.dataDir) ?? resolve(DEFAULT_DATA_DIR));
      const db = flags.db ?? (file.db?.startsWith('sqlite:') && file.db !== 'sqlite::memory:' ? `sqlite:${fromFile(file.db.slice(7))}` : file.db);
      const { host, port } = parseListen(flags.listen ?? file.listen ?? DEFAULT_LISTEN);
      const tlsFiles = flags.tlsCert !== undefined ? { cert: resolve(flags.tlsCert), key: resolve(flags.tlsKey!) } : file.tls && { cert: fromFile(file.tls.cert)!, key: fromFile(file.tls.key)! };
      const tls = tlsFiles && { cert: await pem(tlsFiles.cert), key: await pem(tlsFiles.key) };
      const logFile = flags.logFile !== undefined ? resolve(flags.logFile) : fromFile(file.log?.file);
      const logger = createTamLogger({ level: (flags.logLevel as LogLevel | undefined) ?? file.log?.level ?? 'info', ...(logFile && { file: logFile }) });

      const server = await startTamServer({
        pkiDir,
        dataDir,
        ...(db !== undefined && { db }),
        host,
        port,
        ...(file.adminToken !== undefined && { adminToken: file.adminToken }),
        ...(tls && { tls }),
        logger,
        ...(file.bodyLimit !== undefined && { bodyLimit: file.bodyLimit }),
        ...(file.attestation !== undefined && { attestation: file.attestation }),
        ...(file.referenceValues !== undefined && { referenceValues: file.referenceValues }),
        ...(file.tokenLifetimeSeconds !== undefined && { tokenLifetimeMs: file.tokenLifetimeSeconds * 1000 }),
        ...(file.backoffSeconds !== undefined && { backoffMs: file.backoffSeconds * 1000 }),
        ...(file.maxUploadBytes !== undefined && { maxUploadBytes: file.maxUploadBytes }),
        ...(file.otrp !== undefined && { otrp: file.otrp }),
      });
      // The admin wrappers find the server through the data directory (tam-client.ts).
      await writeFile(join(dataDir, TAM_URL_FILE), `${server.url}\n`);
      await writeOutput('-', `tam listening on ${server.url}\n`);
      await writeOutput('-', server.adminTokenFile !== undefined ? `admin token in ${server.adminTokenFile}\n` : 'admin token from the configuration\n');
      logger.info({ url: server.url, pkiDir, dataDir, backend: server.store.backend }, 'tam started');

      await new Promise<void>((done) => {
        const stop = (signal: string) => {
          process.off('SIGTERM', onTerm);
          process.off('SIGINT', onInt);
          logger.info({ signal }, 'tam shutting down');
          server.close().then(done, (err: unknown) => {
            logger.error({ err }, 'shutdown failed');
            done();
          });
        };
        const onTerm = () => stop('SIGTERM');
        const onInt = () => stop('SIGINT');
        process.on('SIGTERM', onTerm);
        process.on('SIGINT', onInt);
      });
      logger.info({}, 'tam stopped');
    });
}
