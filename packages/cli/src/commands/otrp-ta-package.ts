/**
 * `otrp otrp ta-package`: builds an OTrP TA package (the `otrp-ta` format the TAM stores, see
 * packages/tam/src/otrp/ta-package.ts) from files: where the TA goes (Service Provider, Security
 * Domain: OTrP -03 §5.3), its version (the TC sequence number; a higher one makes the TAM send
 * UpdateTA, §9.3.2), the SP certificate CreateSD hands to the TEE (§9.2.1.1), the TA binary and the
 * personalization data. Upload it with `otrp tam tc add FILE` (the TAM checks that the SP certificate
 * chains to the TC-Signer CA).
 *
 * The package is decoded again before it is written, so a package the TAM would refuse for its form
 * or size (ERR_TAM_OTRP_TA_PACKAGE) is refused here already.
 */
import type { Command } from 'commander';
import { parseCertificate, toDer } from '@otrp/core';
import { decodeOtrpTaPackage, encodeOtrpTaPackage, type OtrpTaPackage } from '@otrp/tam';
import { CliError } from '../cli-error.js';
import { readInput, writeOutput } from '../io.js';

interface TaPackageFlags {
  spid: string;
  sdname: string;
  taid: string;
  taname?: string;
  taVersion: string;
  binary: string;
  pdata?: string;
  spcert: string;
  out: string;
}

export function registerOtrpTaPackage(otrp: Command): void {
  otrp
    .command('ta-package')
    .summary('build an OTrP TA package (otrp-ta) for `otrp tam tc add`')
    .description(
      'Writes the JSON TA package the TAM distributes with CreateSD/InstallTA/UpdateTA: ' +
        '{spid, sdname, taid, taname?, version, spcert, binary, pdata?}. The SP certificate (the first certificate of ' +
        'CERT, PEM or DER) must be a TC signer certificate issued by the TC-Signer CA, e.g. pki/signer/cert.pem; the TAM ' +
        'checks that at upload. A new release of a TA keeps spid, sdname and taid and raises --ta-version.',
    )
    .requiredOption('--spid <id>', 'Service Provider id')
    .requiredOption('--sdname <name>', 'Security Domain name (created on the device by CreateSD)')
    .requiredOption('--taid <id>', 'Trusted Application id (the TC component id)')
    .option('--taname <name>', 'Trusted Application name')
    // Not --version: commander gives that to the program (`otrp --version`) wherever it appears.
    .requiredOption('--ta-version <n>', 'TA version, an integer >= 1 (the TC sequence number)')
    .requiredOption('--binary <file>', 'the TA binary')
    .option('--pdata <file>', 'personalization data')
    .requiredOption('--spcert <cert>', 'SP certificate (PEM or DER; of a chain the first one)')
    .requiredOption('--out <file>', 'output file, - for standard output')
    .addHelpText(
      'after',
      '\nExample:\n  otrp otrp ta-package --spid bank.example --sdname sd.bank.example --taid wallet --ta-version 1 \\\n' +
        '    --binary wallet.bin --spcert pki/signer/cert.pem --out wallet.ta.json\n  otrp tam tc add wallet.ta.json --data tam-data\n',
    )
    .action(async (flags: TaPackageFlags) => {
      if (!/^[1-9][0-9]*$/.test(flags.taVersion) || !Number.isSafeInteger(Number(flags.taVersion))) {
        throw new CliError('ERR_USAGE', '--ta-version must be an integer from 1 to 2^53-1');
      }
      const spcert = toDer(await readInput(flags.spcert), 'CERTIFICATE');
      if (spcert === undefined) throw new CliError('ERR_KEY_FILE', `${flags.spcert} holds no certificate`);
      const subject = parseCertificate(spcert).subject; // ERR_CERTIFICATE_MALFORMED for anything else
      const pkg: OtrpTaPackage = {
        spid: flags.spid,
        sdname: flags.sdname,
        taid: flags.taid,
        ...(flags.taname !== undefined && { taname: flags.taname }),
        version: Number(flags.taVersion),
        spcert,
        binary: await readInput(flags.binary),
        ...(flags.pdata !== undefined && { pdata: await readInput(flags.pdata) }),
      };
      const bytes = encodeOtrpTaPackage(pkg);
      decodeOtrpTaPackage(bytes);
      await writeOutput(flags.out, bytes);
      if (flags.out !== '-') {
        process.stdout.write(`wrote ${flags.out}: TA ${pkg.taid} version ${pkg.version} for SP ${pkg.spid}, SD ${pkg.sdname} (${pkg.binary.length} bytes; SP certificate ${subject})\n`);
      }
    });
}
