/**
 * The TAM's configuration file (`otrp tam serve --config FILE`): JSON, every key optional. Command
 * line options win over the file; relative paths in the file are resolved against the file's folder.
 *
 * | key | default | meaning |
 * |---|---|---|
 * | `listen` | `"127.0.0.1:8443"` | HOST:PORT to bind; port 0 picks a free one |
 * | `dataDir` | `"tam-data"` | state folder: SQLite database, generated admin token |
 * | `db` | `"sqlite:<dataDir>/tam.db"` | store URL: `sqlite:PATH` or `postgres://USER@HOST:PORT/DB?schema=S` |
 * | `pkiDir` | `"pki"` | the `otrp pki init` folder (TAM keys, Device CA, TC-Signer CA, CRLs, devices/) |
 * | `adminToken` | generated | bearer token of `/admin/v1/` (at least 16 characters); absent: random, in `<dataDir>/admin-token` (0600) |
 * | `tls.cert`, `tls.key` | none (plain HTTP) | PEM files; then the TAM and the admin API speak HTTPS |
 * | `log.level` | `"info"` | pino level: fatal, error, warn, info, debug, trace, silent |
 * | `log.file` | none (stderr) | append JSON log lines to this file instead |
 * | `bodyLimit` | `1048576` | largest TEEP body in bytes (larger: 413) |
 * | `attestation` | `"background-check"` | `"background-check"` (Evidence checked by the built-in Verifier) or `"none"` |
 * | `referenceValues.hwmodels` | any | accepted EAT hwmodel values: a string (UTF-8) or `{"hex": "..."}` |
 * | `referenceValues.hwversions` | any | accepted hwversion strings |
 * | `referenceValues.firmwareDigests` | any | accepted firmware manifest digests, hex |
 * | `tokenLifetimeSeconds` | `21600` | lifetime of a token / challenge (-26 §7.1: "several hours") |
 * | `backoffSeconds` | `3600` | back-off after a permanent error (-26 §4.6) |
 * | `maxUploadBytes` | `16777216` | largest TC upload through the admin API |
 * | `otrp` | ES256, no RSA1_5 | OTrP signing key and per-peer key transport (otrp/otrp-config.ts) |
 */
import { TamConfigInvalid } from './errors.js';
import { parseOtrpConfig, type OtrpTamConfig } from '../otrp/otrp-config.js';

export const DEFAULT_LISTEN = '127.0.0.1:8443';
export const DEFAULT_DATA_DIR = 'tam-data';
export const DEFAULT_PKI_DIR = 'pki';
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface ReferenceValuesConfig {
  readonly hwmodels?: readonly Uint8Array[];
  readonly hwversions?: readonly string[];
  readonly firmwareDigests?: readonly Uint8Array[];
}

/** The file's content after validation; paths still as written. */
export interface TamFileConfig {
  readonly listen?: string;
  readonly dataDir?: string;
  readonly db?: string;
  readonly pkiDir?: string;
  readonly adminToken?: string;
  readonly tls?: { readonly cert: string; readonly key: string };
  readonly log?: { readonly level?: LogLevel; readonly file?: string };
  readonly bodyLimit?: number;
  readonly attestation?: 'background-check' | 'none';
  readonly referenceValues?: ReferenceValuesConfig;
  readonly tokenLifetimeSeconds?: number;
  readonly backoffSeconds?: number;
  readonly maxUploadBytes?: number;
  readonly otrp?: OtrpTamConfig;
}

const KEYS = new Set([
  'listen', 'dataDir', 'db', 'pkiDir', 'adminToken', 'tls', 'log', 'bodyLimit', 'attestation', 'referenceValues',
  'tokenLifetimeSeconds', 'backoffSeconds', 'maxUploadBytes', 'otrp',
]);

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function str(o: Json, key: string, where = ''): string | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.length === 0) throw new TamConfigInvalid(`${where}${key} must be a non-empty string`);
  return v;
}

function posInt(o: Json, key: string): number | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0) throw new TamConfigInvalid(`${key} must be a positive integer`);
  return v;
}

function hexBytes(v: unknown, what: string): Uint8Array {
  if (typeof v !== 'string' || !/^([0-9a-fA-F]{2})+$/.test(v)) throw new TamConfigInvalid(`${what} must be hex`);
  return new Uint8Array(Buffer.from(v, 'hex'));
}

function list<T>(o: Json, key: string, item: (v: unknown, what: string) => T): T[] | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) throw new TamConfigInvalid(`referenceValues.${key} must be an array`);
  return v.map((x, i) => item(x, `referenceValues.${key}[${i}]`));
}

function referenceValues(v: unknown): ReferenceValuesConfig | undefined {
  if (v === undefined) return undefined;
  if (!isObject(v)) throw new TamConfigInvalid('referenceValues must be an object');
  for (const k of Object.keys(v)) if (!['hwmodels', 'hwversions', 'firmwareDigests'].includes(k)) throw new TamConfigInvalid(`unknown key referenceValues.${k}`);
  const hwmodels = list(v, 'hwmodels', (x, what) => {
    if (typeof x === 'string' && x.length > 0) return new TextEncoder().encode(x);
    if (isObject(x) && Object.keys(x).length === 1 && 'hex' in x) return hexBytes(x['hex'], `${what}.hex`);
    throw new TamConfigInvalid(`${what} must be a string or {"hex": "..."}`);
  });
  const hwversions = list(v, 'hwversions', (x, what) => {
    if (typeof x !== 'string') throw new TamConfigInvalid(`${what} must be a string`);
    return x;
  });
  const firmwareDigests = list(v, 'firmwareDigests', hexBytes);
  return { ...(hwmodels && { hwmodels }), ...(hwversions && { hwversions }), ...(firmwareDigests && { firmwareDigests }) };
}

/** Validates the parsed JSON of a configuration file; unknown keys are refused (typos must not pass silently). */
export function parseTamConfig(json: unknown): TamFileConfig {
  if (!isObject(json)) throw new TamConfigInvalid('the configuration must be a JSON object');
  for (const k of Object.keys(json)) if (!KEYS.has(k)) throw new TamConfigInvalid(`unknown configuration key ${k}`);
  const listen = str(json, 'listen');
  if (listen !== undefined) parseListen(listen);
  const adminToken = str(json, 'adminToken');
  if (adminToken !== undefined && adminToken.length < 16) throw new TamConfigInvalid('adminToken must have at least 16 characters');
  let tls: TamFileConfig['tls'];
  if (json['tls'] !== undefined) {
    if (!isObject(json['tls'])) throw new TamConfigInvalid('tls must be an object {cert, key}');
    const cert = str(json['tls'], 'cert', 'tls.');
    const key = str(json['tls'], 'key', 'tls.');
    if (cert === undefined || key === undefined) throw new TamConfigInvalid('tls needs both cert and key');
    tls = { cert, key };
  }
  let log: TamFileConfig['log'];
  if (json['log'] !== undefined) {
    if (!isObject(json['log'])) throw new TamConfigInvalid('log must be an object {level, file}');
    const level = str(json['log'], 'level', 'log.');
    if (level !== undefined && !(LOG_LEVELS as readonly string[]).includes(level)) throw new TamConfigInvalid(`log.level must be one of ${LOG_LEVELS.join(', ')}`);
    const file = str(json['log'], 'file', 'log.');
    log = { ...(level && { level: level as LogLevel }), ...(file && { file }) };
  }
  const attestation = json['attestation'];
  if (attestation !== undefined && attestation !== 'background-check' && attestation !== 'none') {
    throw new TamConfigInvalid('attestation must be "background-check" or "none"');
  }
  const rv = referenceValues(json['referenceValues']);
  const out: Record<string, unknown> = {
    listen, dataDir: str(json, 'dataDir'), db: str(json, 'db'), pkiDir: str(json, 'pkiDir'), adminToken, tls, log,
    bodyLimit: posInt(json, 'bodyLimit'), attestation, referenceValues: rv,
    tokenLifetimeSeconds: posInt(json, 'tokenLifetimeSeconds'), backoffSeconds: posInt(json, 'backoffSeconds'), maxUploadBytes: posInt(json, 'maxUploadBytes'),
    otrp: json['otrp'] === undefined ? undefined : parseOtrpConfig(json['otrp']),
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as TamFileConfig;
}

/** `HOST:PORT` (IPv6 as `[::1]:PORT`); port 0..65535. */
export function parseListen(text: string): { host: string; port: number } {
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:\s\[\]]+):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[2]) : NaN;
  if (!m || port > 65535) throw new TamConfigInvalid(`listen address must be HOST:PORT, got ${JSON.stringify(text)}`);
  const host = m[1]!.startsWith('[') ? m[1]!.slice(1, -1) : m[1]!;
  return { host, port };
}
