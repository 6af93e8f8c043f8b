/**
 * `otrp encode`: diagnostic notation (EDN) in, CBOR out, byte for byte as written (encoding
 * indicators and indefinite lengths included), so it can also produce deliberately odd test input.
 */
import type { Command } from 'commander';
import { ednToCbor, toHex } from '@otrp/core';
import { readInput, writeOutput } from '../io.js';

interface EncodeFlags {
  out?: string;
  hex?: boolean;
  sequence?: boolean;
}

export function registerEncode(program: Command): void {
  program
    .command('encode')
    .summary('turn diagnostic notation (EDN) into CBOR')
    .description(
      'Reads diagnostic notation (RFC 8949 §8, RFC 8610 Appendix G, as printed in the TEEP and SUIT ' +
        "drafts: / comments /, # comments, h'..' and '..' strings, << embedded CBOR >>, tags, " +
        '[_ indefinite ], encoding indicators _0.._3) and writes the CBOR bytes it describes: ' +
        'binary to standard output or --out, or hex text with --hex.',
    )
    .argument('[file]', 'input file, or - for standard input', '-')
    .option('-o, --out <file>', 'write the CBOR to this file instead of standard output')
    .option('--hex', 'write lowercase hex text (with a final newline) instead of binary')
    .option('--sequence', 'the input is a comma-separated CBOR sequence (RFC 8742), not one item')
    .addHelpText('after', '\nExamples:\n  otrp encode update.diag --out update.cbor\n  otrp encode --hex update.diag\n  echo "[1, h\'0102\']" | otrp encode --hex\n')
    .action(async (file: string, flags: EncodeFlags) => {
      const text = new TextDecoder().decode(await readInput(file));
      const bytes = ednToCbor(text, { sequence: flags.sequence === true });
      await writeOutput(flags.out, flags.hex ? `${toHex(bytes)}\n` : bytes);
    });
}
