/**
 * `otrp decode`: CBOR in, diagnostic notation (EDN) or an annotated hex dump out. COSE messages are
 * named and their protected headers shown decoded (cose/diag-hints.ts).
 */
import type { Command } from 'commander';
import { annotateHex, cborErrors, coseDiagHints, decodeCborPrefix, fromHex, printDiagnostic, type CborValue } from '@otrp/core';
import { readInput, writeOutput } from '../io.js';

interface DecodeFlags {
  hex?: boolean;
  annotate?: boolean;
  compact?: boolean;
  sequence?: boolean;
}

export function registerDecode(program: Command): void {
  program
    .command('decode')
    .summary('print CBOR as diagnostic notation (EDN) or as an annotated hex dump')
    .description(
      'Reads one CBOR item (binary, or hex text with --hex) and prints it in diagnostic notation ' +
        '(RFC 8949 §8): COSE messages are named in / comments / and byte strings that hold CBOR ' +
        '(such as protected headers and SUIT envelopes) are shown decoded as << .. >>. ' +
        'The output can be turned back into the same bytes with `otrp encode`.',
    )
    .argument('[file]', 'input file, or - for standard input', '-')
    .option('--hex', 'the input is hex text (whitespace ignored)')
    .option('--annotate', 'print an annotated hex dump (one line per CBOR head) instead of EDN')
    .option('--compact', 'print EDN on one line, without comments')
    .option('--sequence', 'the input is a CBOR sequence (RFC 8742): print every item, separated by commas')
    .addHelpText('after', '\nExamples:\n  otrp decode message.cbor\n  otrp decode --hex update.hex\n  otrp decode --hex --annotate update.hex\n  otrp decode --hex X.hex | otrp encode --hex\n')
    .action(async (file: string, flags: DecodeFlags) => {
      const input = await readInput(file);
      const bytes = flags.hex ? fromHex(new TextDecoder().decode(input), { ignoreWhitespace: true }) : input;
      const items = split(bytes, flags.sequence === true);
      if (flags.annotate) {
        await writeOutput('-', items.map((i) => annotateHex(i.bytes)).join('\n'));
        return;
      }
      const texts = items.map((i) => (flags.compact ? printDiagnostic(i.value) : printDiagnostic(i.value, { indent: 2, annotate: coseDiagHints })));
      await writeOutput('-', `${texts.join(',\n')}\n`);
    });
}

/**
 * The item (or, with `sequence`, every item) of the input. Indefinite lengths are shown (as
 * definite items) rather than refused: this is a viewer. Without `sequence`, trailing bytes are an
 * error, as in decodeCbor.
 */
function split(bytes: Uint8Array, sequence: boolean): { value: CborValue; bytes: Uint8Array }[] {
  const out: { value: CborValue; bytes: Uint8Array }[] = [];
  let pos = 0;
  do {
    const rest = bytes.subarray(pos);
    const { value, length } = decodeCborPrefix(rest, { allowIndefinite: true });
    out.push({ value, bytes: rest.subarray(0, length) });
    pos += length;
  } while (sequence && pos < bytes.length);
  if (pos < bytes.length) {
    throw new cborErrors.CborTrailingBytes(`${bytes.length - pos} byte(s) after the item (use --sequence for a CBOR sequence)`, { offset: pos });
  }
  return out;
}
