/**
 * `otrp suit inspect | verify | create | process`: SUIT manifests (draft-ietf-suit-manifest-37 with
 * trust-domains-12 and firmware-encryption). Lifecycle and failure codes are in docs/suit.md.
 */
import type { Command } from 'commander';
import {
  coseDiagHints, diagnose, fromHex, parseKeyFile, summarizeEnvelope, toHex, verifyEnvelope, type CoseKey,
} from '@otrp/core';
import { readInput, writeOutput } from '../io.js';
import { registerSuitCreate } from './suit-create.js';
import { registerSuitProcess } from './suit-process.js';

/** Reads an envelope file (binary, or hex text with --hex). */
export async function readEnvelope(file: string, hex: boolean | undefined): Promise<Uint8Array> {
  const input = await readInput(file);
  return hex ? fromHex(new TextDecoder().decode(input), { ignoreWhitespace: true }) : input;
}

/** A trust anchor from any key file the shared loader reads: its public key, or a symmetric (HMAC) key. */
export async function readTrustKey(file: string): Promise<CoseKey> {
  const k = await parseKeyFile(await readInput(file));
  return k.publicKey ?? k.key;
}

export async function readKeyFile(file: string) {
  return parseKeyFile(await readInput(file));
}

export function registerSuit(program: Command): void {
  const suit = program
    .command('suit')
    .summary('inspect, verify, create and process SUIT manifests')
    .description('SUIT manifests (draft-ietf-suit-manifest-37, suit-trust-domains-12, suit-firmware-encryption).');

  suit
    .command('inspect')
    .summary('print a SUIT envelope in diagnostic notation plus a summary')
    .argument('<file>', 'SUIT envelope (binary, or hex with --hex), - for standard input')
    .option('--hex', 'the input is hex text')
    .action(async (file: string, flags: { hex?: boolean }) => {
      const bytes = await readEnvelope(file, flags.hex);
      const diag = diagnose(bytes, { indent: 2, annotate: coseDiagHints });
      await writeOutput('-', `${diag}\n\n${summarizeEnvelope(bytes)}\n`);
    });

  suit
    .command('verify')
    .summary('check the digest and signature of a SUIT envelope and its severed members')
    .argument('<file>', 'SUIT envelope (binary, or hex with --hex), - for standard input')
    .requiredOption('--key <keyfile>', 'trusted key: PEM SPKI / certificate, JWK or COSE_Key (HMAC: a symmetric key)')
    .option('--hex', 'the input is hex text')
    .option('--json', 'print a JSON result instead of "verified"')
    .action(async (file: string, flags: { key: string; hex?: boolean; json?: boolean }) => {
      const bytes = await readEnvelope(file, flags.hex);
      const r = await verifyEnvelope(bytes, { keys: [await readTrustKey(flags.key)] });
      if (!flags.json) return writeOutput('-', 'verified\n');
      const out = {
        verified: true,
        sequenceNumber: Number(r.manifest.sequenceNumber),
        digest: { algorithmId: r.envelope.digest.algorithmId, bytes: toHex(r.envelope.digest.bytes) },
        authentication: r.verifiedBy && { type: r.verifiedBy.type, alg: r.verifiedBy.alg, ...(r.verifiedBy.kid ? { kid: toHex(r.verifiedBy.kid) } : {}) },
        severed: [...r.envelope.severed.keys()],
      };
      return writeOutput('-', `${JSON.stringify(out, null, 2)}\n`);
    });

  registerSuitCreate(suit);
  registerSuitProcess(suit);
}
