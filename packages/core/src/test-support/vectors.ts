/**
 * Locates the repository's vectors/ folder for tests. The vectors are part of the repository
 * (copied from the drafts with their READMEs); a missing file is a hard failure, never a skip.
 */
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const VECTORS_DIR = fileURLToPath(new URL('../../../../vectors/', import.meta.url));

export function vectorPath(...parts: string[]): string {
  const p = join(VECTORS_DIR, ...parts);
  if (!existsSync(p)) throw new Error(`test vector missing: vectors/${parts.join('/')} (the repository's vectors/ folder is incomplete)`);
  return p;
}

export function readVectorText(...parts: string[]): string {
  return readFileSync(vectorPath(...parts), 'utf8');
}

/** Reads a .hex vector: plain hex, whitespace ignored. */
export function readVectorHex(...parts: string[]): Uint8Array {
  const text = readVectorText(...parts).replace(/\s+/g, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(text)) throw new Error(`vectors/${parts.join('/')} is not plain hex`);
  return new Uint8Array(Buffer.from(text, 'hex'));
}

export function listVectors(...parts: string[]): string[] {
  return readdirSync(vectorPath(...parts)).sort();
}
