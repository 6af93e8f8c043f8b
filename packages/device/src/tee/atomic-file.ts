/**
 * Atomic file replacement (DESIGN.md "Storage": write, fsync, rename).
 *
 * `writeFileAtomic` writes the new content to a fresh temporary file in the same directory, fsyncs
 * it, renames it over the target (rename(2) within one file system replaces the name atomically),
 * then fsyncs the directory so the rename itself is durable. A crash at any point leaves the target
 * with either its old content or its new content, never a torn mix; at worst a stray temporary file
 * remains, which `removeStaleTemporaries` deletes on the next open.
 *
 * Each step is a crash point (crash-points.ts), so tests can kill the process exactly there.
 */
import { randomBytes } from 'node:crypto';
import { open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { TeeStorageFailed } from '../errors.js';
import { crashPoint } from './crash-points.js';

/** Prefix of temporary files; a name starting with it is never a live file. */
export const TEMP_PREFIX = '.tmp-';

export interface AtomicWriteOptions {
  /** File mode of the new file (default 0o600: everything the TEE keeps is private). */
  readonly mode?: number;
}

/** Replaces `path` with `data` atomically and durably (see the module comment). */
export async function writeFileAtomic(path: string, data: Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `${TEMP_PREFIX}${basename(path)}.${randomBytes(6).toString('hex')}`);
  try {
    const fh = await open(temp, 'wx', options.mode ?? 0o600);
    try {
      crashPoint('before-write');
      await fh.writeFile(data);
      crashPoint('after-write');
      crashPoint('before-fsync');
      await fh.sync();
      crashPoint('after-fsync');
    } finally {
      await fh.close();
    }
    crashPoint('before-rename');
    await rename(temp, path);
    crashPoint('after-rename');
    crashPoint('before-dirsync');
    await syncDirectory(dir);
    crashPoint('after-dirsync');
  } catch (e) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw new TeeStorageFailed(`cannot write ${basename(path)} atomically`, { cause: e });
  }
}

/** Removes `path` and makes the removal durable (fsync of the directory). Missing files are fine. */
export async function removeFileDurable(path: string): Promise<void> {
  try {
    await rm(path, { force: true });
    await syncDirectory(dirname(path));
  } catch (e) {
    throw new TeeStorageFailed(`cannot remove ${basename(path)}`, { cause: e });
  }
}

/** fsync of a directory, so that renames and unlinks in it survive a power cut (POSIX). */
export async function syncDirectory(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } catch (e) {
    // Some platforms (Windows) cannot fsync a directory; the rename is still atomic there.
    if ((e as NodeJS.ErrnoException).code !== 'EISDIR' && (e as NodeJS.ErrnoException).code !== 'EPERM') throw e;
  } finally {
    await fh.close();
  }
}

/** Deletes temporary files a crash left behind in `dir`; returns how many were removed. */
export async function removeStaleTemporaries(dir: string): Promise<number> {
  let n = 0;
  for (const name of await readdir(dir)) {
    if (name.startsWith(TEMP_PREFIX)) {
      await rm(join(dir, name), { force: true });
      n++;
    }
  }
  return n;
}
