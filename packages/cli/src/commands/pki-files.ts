/**
 * File I/O of `otrp pki`: writing the files core's pki layer describes (private keys 0600, written
 * atomically), and loading/saving a CA folder (CA_DIR: cert.pem, key.pem, ca.json, crl.pem; see
 * core/src/pki/layout.ts and docs/pki.md).
 */
import { chmod, mkdir, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  PKI_LAYOUT,
  createCrl,
  decodeCaState,
  encodeCaState,
  encodePem,
  importPrivateKey,
  parseCertificate,
  takeCrlEntries,
  toDer,
} from '@otrp/core';
import type { CaHandle, CaState, CertificateInfo } from '@otrp/core';
import { CliError } from '../cli-error.js';

/**
 * Writes a file atomically (temporary file, then rename); `secret` files are created 0600 and forced
 * back to 0600 if they existed, so a private key is never readable by others, not even briefly.
 */
export async function writeFileAtomic(path: string, contents: string | Uint8Array, secret: boolean): Promise<void> {
  const mode = secret ? 0o600 : 0o644;
  try {
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.tmp-${process.pid}`;
    await writeFile(tmp, contents, { mode, flag: 'w' });
    await chmod(tmp, mode);
    await rename(tmp, path);
  } catch (e) {
    throw new CliError('ERR_FILE_WRITE', `cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { cause: e });
  }
}

export async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new CliError('ERR_FILE_READ', `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { cause: e });
  }
}

/** True when `dir` does not exist or is empty. */
export async function isEmptyDir(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw new CliError('ERR_FILE_READ', `cannot read ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { cause: e });
  }
}

export interface CaFolder {
  dir: string;
  handle: CaHandle;
  info: CertificateInfo;
  certificatePem: string;
  state: CaState;
}

/** Loads a CA folder. */
export async function loadCaFolder(dir: string): Promise<CaFolder> {
  const f = PKI_LAYOUT.caFiles;
  const certificatePem = await readText(join(dir, f.certificate));
  const info = parseCertificate(certificatePem);
  const certificate = toDer(certificatePem, 'CERTIFICATE')!;
  const { key } = await importPrivateKey(await readText(join(dir, f.privateKey)));
  const state = decodeCaState(await readText(join(dir, f.state)));
  return { dir, handle: { certificate, privateKey: key }, info, certificatePem, state };
}

/** Saves ca.json. */
export async function saveCaState(ca: CaFolder): Promise<void> {
  await writeFileAtomic(join(ca.dir, PKI_LAYOUT.caFiles.state), encodeCaState(ca.state), false);
}

/**
 * Signs a fresh CRL of every revocation in ca.json (with the next cRLNumber) into crl.pem, then
 * saves ca.json. Returns the CRL number used.
 */
export async function refreshCrl(ca: CaFolder, nextUpdateDays: number | undefined): Promise<number> {
  const { crlNumber, entries, state } = takeCrlEntries(ca.state);
  const thisUpdate = new Date();
  const nextUpdate = nextUpdateDays === undefined ? undefined : new Date(thisUpdate.getTime() + nextUpdateDays * 86_400_000);
  const crl = await createCrl({ issuer: ca.handle, entries, crlNumber, thisUpdate, ...(nextUpdate ? { nextUpdate } : {}) });
  await writeFileAtomic(join(ca.dir, PKI_LAYOUT.caFiles.crl), encodePem(crl, 'X509 CRL'), false);
  ca.state = state;
  await saveCaState(ca);
  return crlNumber;
}

/** Parses a positive number of days. */
export function parseDays(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new CliError('ERR_USAGE', `--days needs a positive number, not ${value}`);
  return n;
}

/** Parses an RFC 3339 / ISO 8601 date. */
export function parseDate(value: string, flag: string): Date {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new CliError('ERR_USAGE', `${flag} needs an ISO 8601 date, not ${value}`);
  return d;
}
