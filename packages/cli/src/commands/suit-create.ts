/** `otrp suit create`: build a manifest from SPEC.json (docs/suit.md), sign it, optionally encrypt the payload. */
import type { Command } from 'commander';
import { buildEnvelope, suitErrors, toHex } from '@otrp/core';
import { readInput, writeOutput } from '../io.js';
import { CliError } from '../cli-error.js';
import { readKeyFile } from './suit.js';

interface CreateFlags {
  spec: string;
  key: string;
  payload?: string;
  encryptTo?: string;
  contentAlg?: string;
  cert?: string;
  alg?: string;
  out: string;
  hex?: boolean;
}

export function registerSuitCreate(suit: Command): void {
  suit
    .command('create')
    .summary('build and sign a SUIT envelope from a SPEC.json')
    .requiredOption('--spec <file>', 'manifest description (JSON, see docs/suit.md)')
    .requiredOption('--key <keyfile>', 'private signing key (P-256 or Ed25519; PEM, JWK or COSE_Key)')
    .option('--payload <file>', 'payload of the (first) component: integrated unless the spec gives a uri')
    .option('--encrypt-to <keyfile>', "encrypt the payload: recipient's public key (ECDH-ES+A128KW) or a 16-byte KEK (A128KW)")
    .option('--content-alg <alg>', 'A128GCM (default) or A128CTR, with --encrypt-to')
    .option('--cert <file>', 'signer certificate chain (PEM, leaf first) for an x5chain header')
    .option('--alg <id>', 'COSE signature algorithm id (default ESP256 -9 / Ed25519 -19)')
    .requiredOption('--out <file>', 'output envelope file, - for standard output')
    .option('--hex', 'write hex text instead of binary')
    .action(async (flags: CreateFlags) => {
      let spec: unknown;
      try {
        spec = JSON.parse(new TextDecoder().decode(await readInput(flags.spec)));
      } catch (e) {
        if (e instanceof CliError) throw e;
        throw new suitErrors.SuitInvalidSpec(`${flags.spec} is not valid JSON`, { cause: e });
      }
      const signer = await readKeyFile(flags.key);
      if (signer.kind !== 'private') throw new CliError('ERR_USAGE', '--key must be a private key');
      const certs = flags.cert ? (await readKeyFile(flags.cert)).certificates : signer.certificates;
      const contentAlg = flags.contentAlg === undefined ? undefined : ({ A128GCM: 1, A128CTR: -65534 } as Record<string, number>)[flags.contentAlg.toUpperCase()];
      if (flags.contentAlg !== undefined && contentAlg === undefined) throw new CliError('ERR_USAGE', '--content-alg must be A128GCM or A128CTR');
      const alg = flags.alg === undefined ? undefined : Number(flags.alg);
      if (alg !== undefined && !Number.isInteger(alg)) throw new CliError('ERR_USAGE', '--alg must be a COSE algorithm id');
      const recipient = flags.encryptTo ? await readKeyFile(flags.encryptTo) : undefined;
      const envelope = await buildEnvelope(spec, {
        key: signer.key,
        ...(flags.payload ? { payloads: [await readInput(flags.payload)] } : {}),
        ...(recipient ? { encryptTo: recipient.publicKey ?? recipient.key } : {}),
        ...(contentAlg !== undefined ? { contentAlg } : {}),
        ...(certs?.length ? { x5chain: certs } : {}),
        ...(alg !== undefined ? { alg } : {}),
      });
      await writeOutput(flags.out, flags.hex ? `${toHex(envelope)}\n` : envelope);
    });
}
