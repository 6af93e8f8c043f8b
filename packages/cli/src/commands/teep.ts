/**
 * `otrp teep decode|verify`: inspect a TEEP message (draft-ietf-teep-protocol-26, or the pre-26
 * numbering) given bare or inside a COSE_Sign1 / COSE_Sign.
 *
 * decode: the COSE layer is parsed but not verified. verify: the COSE signature is checked with
 * --key first. Either way the TEEP message is checked strictly (malformed CBOR, a wrong COSE
 * structure, a CDDL violation or a broken message rule such as the token rule: exit 1 with the
 * error line); nested content is decoded best-effort and its failures are printed, not fatal.
 */
import type { Command } from 'commander';
import { createPublicKey } from 'node:crypto';
import {
  coseKeyFromJwk,
  decodeCoseKey,
  decodeTeepMessage,
  fromHex,
  openTeepMessage,
  teepProfile,
  verifyTeepMessage,
  type CoseKey,
} from '@otrp/core';
import { CliError } from '../cli-error.js';
import { readInput, writeOutput } from '../io.js';
import { renderCose, renderMessage } from './teep-render.js';

interface TeepFlags {
  hex?: boolean;
  profile: string;
  key?: string;
}

function readMessage(input: Uint8Array, hex: boolean | undefined): Uint8Array {
  return hex ? fromHex(new TextDecoder().decode(input), { ignoreWhitespace: true }) : input;
}

/**
 * Reads a public (or private) key: PEM (SPKI/PKCS#8), JWK JSON, or a COSE_Key in binary or hex.
 * Stands in until cose/ exports its shared loader (parseKeyFile).
 */
export function loadKey(bytes: Uint8Array): CoseKey {
  const text = new TextDecoder().decode(bytes).trim();
  try {
    if (text.startsWith('-----BEGIN')) return coseKeyFromJwk(createPublicKey(text).export({ format: 'jwk' }));
    if (text.startsWith('{')) return coseKeyFromJwk(JSON.parse(text));
    if (/^[0-9a-fA-F\s]+$/.test(text)) return decodeCoseKey(fromHex(text, { ignoreWhitespace: true }));
    return decodeCoseKey(bytes);
  } catch (e) {
    if (e instanceof Error && 'code' in e && typeof e.code === 'string' && e.code.startsWith('ERR_COSE')) throw e;
    throw new CliError('ERR_KEY_FILE', 'the key file is not a PEM, JWK or COSE_Key public key', { cause: e });
  }
}

export function registerTeep(program: Command): void {
  const teep = program.command('teep').summary('inspect and verify TEEP messages').description('TEEP protocol messages (draft-ietf-teep-protocol-26).');
  const profileHelp = 'wire numbering: draft-26 (default) or pre-26 (drafts -12..-25)';

  teep
    .command('decode')
    .summary('print a TEEP message field by field (COSE not verified)')
    .argument('[file]', 'input file, or - for standard input', '-')
    .option('--hex', 'the input is hex text (whitespace ignored)')
    .option('--profile <name>', profileHelp, 'draft-26')
    .addHelpText('after', '\nExamples:\n  otrp teep decode --hex query_request.hex\n  otrp teep decode --profile pre-26 message.cbor\n')
    .action(async (file: string, flags: TeepFlags) => {
      const profile = teepProfile(flags.profile);
      const bytes = readMessage(await readInput(file), flags.hex);
      const opened = openTeepMessage(bytes);
      const message = decodeTeepMessage(opened.payload, { profile });
      await writeOutput('-', [...renderCose(opened, false), ...renderMessage(message, profile)].join('\n') + '\n');
    });

  teep
    .command('verify')
    .summary('verify the COSE signature of a TEEP message, then print it')
    .argument('[file]', 'input file, or - for standard input', '-')
    .requiredOption('--key <keyfile>', 'verification key: PEM, JWK or COSE_Key')
    .option('--hex', 'the input is hex text (whitespace ignored)')
    .option('--profile <name>', profileHelp, 'draft-26')
    .action(async (file: string, flags: TeepFlags) => {
      const profile = teepProfile(flags.profile);
      const key = loadKey(await readInput(flags.key));
      const bytes = readMessage(await readInput(file), flags.hex);
      const { message } = await verifyTeepMessage(bytes, key, { profile });
      await writeOutput('-', [...renderCose(openTeepMessage(bytes), true), ...renderMessage(message, profile)].join('\n') + '\n');
    });
}
