/**
 * `otrp suit process`: run the SUIT update procedure into a directory, one file per component
 * (named by componentIdToFileName), with the sequence numbers in DIR/.suit-sequence-numbers.json
 * keyed by the manifest's component identifier (file-name form). Nothing in DIR changes unless the
 * whole procedure succeeded: the core stages every write; this command then writes temporary files
 * and renames them into place.
 */
import type { Command } from 'commander';
import { readFile, writeFile, rename, mkdir, unlink, realpath } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  componentIdToFileName, encodeReport, processEnvelope, signReport, uriToRelativePath, type CoseKey, type SuitComponentId,
} from '@otrp/core';
import { CliError } from '../cli-error.js';
import { uuidOption } from '../uuid-option.js';
import { writeOutput } from '../io.js';
import { readEnvelope, readKeyFile, readTrustKey } from './suit.js';

const SEQUENCE_FILE = '.suit-sequence-numbers.json'; // component file names never start with "."

interface ProcessFlags {
  key: string;
  dir: string;
  fetchRoot?: string;
  decryptKey?: string[];
  report?: string;
  reportKey?: string;
  vendorId?: string;
  classId?: string;
  deviceId?: string;
  nonce?: string;
  hex?: boolean;
}


async function readOptional(path: string): Promise<Uint8Array | undefined> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

async function atomicWrite(path: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${path}.tmp-${randomBytes(6).toString('hex')}`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}

export function registerSuitProcess(suit: Command): void {
  suit
    .command('process')
    .summary('verify and install a SUIT envelope into a directory (all or nothing)')
    .argument('<file>', 'SUIT envelope (binary, or hex with --hex)')
    .requiredOption('--key <keyfile>', 'trusted key for the envelope and its dependencies')
    .requiredOption('--dir <dir>', 'component directory (one file per component)')
    .option('--fetch-root <dir>', 'serve fetched URIs from this directory (scheme://host/path -> host/path)')
    .option('--decrypt-key <keyfile...>', 'decryption keys: ECDH-ES private key or A128KW KEK')
    .option('--report <file>', 'write the SUIT report (CBOR) here, on success and on failure')
    .option('--report-key <keyfile>', 'sign the report with this private key (COSE_Sign1)')
    .option('--vendor-id <uuid>', 'vendor identifier of this device (condition-vendor-identifier)')
    .option('--class-id <uuid>', 'class identifier of this device (condition-class-identifier)')
    .option('--device-id <uuid>', 'device identifier (condition-device-identifier)')
    .option('--nonce <hex>', 'suit-report-nonce')
    .option('--hex', 'the input is hex text')
    .action(async (file: string, flags: ProcessFlags) => {
      const bytes = await readEnvelope(file, flags.hex);
      const dir = resolve(flags.dir);
      await mkdir(dir, { recursive: true });
      const seqPath = join(dir, SEQUENCE_FILE);
      const seqText = await readOptional(seqPath);
      let sequences: Record<string, string> = {};
      try {
        if (seqText) sequences = JSON.parse(new TextDecoder().decode(seqText)) as Record<string, string>;
      } catch (e) {
        throw new CliError('ERR_FILE_READ', `${seqPath} is not valid JSON`, { cause: e });
      }
      const pendingWrites = new Map<string, Uint8Array | null>();
      const pendingSeq: Record<string, string> = {};
      const fileOf = (id: SuitComponentId) => join(dir, componentIdToFileName(id));
      const fetchRoot = flags.fetchRoot ? await realpath(flags.fetchRoot) : undefined;
      const privateKeys: CoseKey[] = [];
      const keks: CoseKey[] = [];
      for (const f of flags.decryptKey ?? []) {
        const k = await readKeyFile(f);
        (k.kind === 'symmetric' ? keks : privateKeys).push(k.key);
      }
      const system = { vendorId: uuidOption(flags.vendorId, '--vendor-id'), classId: uuidOption(flags.classId, '--class-id'), deviceId: uuidOption(flags.deviceId, '--device-id') };
      const result = await processEnvelope(bytes, {
        trust: { keys: [await readTrustKey(flags.key)] },
        storage: {
          read: (id) => readOptional(fileOf(id)),
          write: (id, data) => void pendingWrites.set(fileOf(id), data),
          remove: (id) => void pendingWrites.set(fileOf(id), null),
        },
        sequenceStore: {
          get: (id) => {
            const v = sequences[componentIdToFileName(id)];
            return v === undefined ? undefined : BigInt(v);
          },
          set: (id, seq) => void (pendingSeq[componentIdToFileName(id)] = seq.toString()),
        },
        fetch: async (uri) => {
          if (!fetchRoot) throw new CliError('ERR_USAGE', `no --fetch-root to fetch ${uri} from`);
          const path = resolve(fetchRoot, ...uriToRelativePath(uri));
          if (!path.startsWith(fetchRoot + sep)) throw new CliError('ERR_USAGE', 'URI leaves the fetch root');
          const data = await readOptional(path);
          if (!data) throw new CliError('ERR_FILE_READ', `${uri} is not under the fetch root`);
          return data;
        },
        system: Object.fromEntries(Object.entries(system).filter(([, v]) => v !== undefined)),
        decryptionKeys: { keks, privateKeys },
        ...(flags.nonce ? { nonce: new Uint8Array(Buffer.from(flags.nonce, 'hex')) } : {}),
      });
      if (flags.report) {
        const reportKey = flags.reportKey ? (await readKeyFile(flags.reportKey)).key : undefined;
        await writeOutput(flags.report, reportKey ? await signReport(result.report, reportKey) : encodeReport(result.report));
      }
      if (!result.ok) throw result.error;
      // Commit: temporary files first, then renames, then the sequence numbers.
      const temps: [string, string][] = [];
      for (const [path, data] of pendingWrites) {
        if (!data) continue;
        const tmp = `${path}.tmp-${randomBytes(6).toString('hex')}`;
        await writeFile(tmp, data);
        temps.push([tmp, path]);
      }
      for (const [tmp, path] of temps) await rename(tmp, path);
      for (const [path, data] of pendingWrites) if (!data) await unlink(path).catch(() => undefined);
      await atomicWrite(seqPath, `${JSON.stringify({ ...sequences, ...pendingSeq }, null, 2)}\n`);
      const names = [...pendingWrites.keys()].map((p) => p.slice(dir.length + 1));
      await writeOutput('-', `processed: ${names.length} component(s)${names.length ? `\n  ${names.join('\n  ')}` : ''}\n`);
    });
}
