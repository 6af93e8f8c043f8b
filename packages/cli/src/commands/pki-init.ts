/** `otrp pki init DIR`: a new PKI directory (core/src/pki/create-pki.ts; layout in docs/pki.md). */
import type { Command } from 'commander';
import { join } from 'node:path';
import { createPki } from '@otrp/core';
import type { PkiSigningAlgorithm } from '@otrp/core';
import { CliError } from '../cli-error.js';
import { writeOutput } from '../io.js';
import { isEmptyDir, parseDays, writeFileAtomic } from './pki-files.js';

interface InitFlags {
  alg: string;
  tamUri: string;
  days?: string;
  force?: boolean;
}

const ALGS = ['ESP256', 'Ed25519', 'RS256'];

export function registerPkiInit(pki: Command): void {
  pki
    .command('init')
    .summary('create a root CA, the TAM/Device/TC-Signer CAs, and the TAM, TC signer and Verifier keys')
    .description(
      'Creates a PKI directory: a root CA with three branch CAs (TAM CA, Device CA, TC-Signer CA), the ' +
        "TAM's P-256 and Ed25519 signing certificates and X25519 key-agreement certificate (plus an RSA " +
        'certificate with --alg RS256), one TC signer and one Verifier, each with key.pem (PKCS#8, mode ' +
        "0600), cert.pem and chain.pem, the TAM's attestation key pair (tam/attestation/, no certificate), and an " +
        'empty CRL per CA. Device keys are not made here: enrol ' +
        'them with `otrp pki issue --csr`. See docs/pki.md for the layout.',
    )
    .argument('<dir>', 'directory to create (must be empty unless --force)')
    .option('--alg <alg>', 'algorithm of the CAs, TC signer and Verifier: ESP256, Ed25519 or RS256', 'ESP256')
    .option('--tam-uri <uri>', "the TAM's SAN URI (its service URL)", 'https://tam.example/tam')
    .option('--days <n>', 'validity of the end-entity certificates in days (default 365)')
    .option('--force', 'write into a non-empty directory, replacing files of the same names')
    .addHelpText('after', '\nExamples:\n  otrp pki init ./pki\n  otrp pki init ./pki-rsa --alg RS256 --tam-uri https://tam.example.net/tam\n')
    .action(async (dir: string, flags: InitFlags) => {
      if (!ALGS.includes(flags.alg)) throw new CliError('ERR_USAGE', `--alg must be one of ${ALGS.join(', ')}, not ${flags.alg}`);
      if (!flags.force && !(await isEmptyDir(dir))) throw new CliError('ERR_PKI_DIR_NOT_EMPTY', `${dir} is not empty (use --force to write into it)`);
      const { files, manifest } = await createPki({
        alg: flags.alg as PkiSigningAlgorithm,
        tamUri: flags.tamUri,
        ...(flags.days !== undefined ? { leafDays: parseDays(flags.days) } : {}),
      });
      for (const f of files) await writeFileAtomic(join(dir, f.path), f.contents, f.secret);
      await writeOutput('-', `created PKI in ${dir} (alg ${manifest.alg}, TAM keys ${manifest.tamKeys.join(', ')}, TAM URI ${manifest.tamUri})\n`);
    });
}
