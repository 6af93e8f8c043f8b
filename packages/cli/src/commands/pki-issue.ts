/**
 * `otrp pki issue --ca CA_DIR --role ROLE (--name NAME | --csr FILE | --public-key FILE --name NAME)`:
 * one end-entity certificate from a CA folder. With --name alone a key pair is generated here
 * (key.pem, 0600); with --csr the key stays with its owner (a device key is born in its TEE); with
 * --public-key the issuer certifies a key that cannot sign a CSR (X25519).
 */
import type { Command } from 'commander';
import { join } from 'node:path';
import {
  PKI_LAYOUT,
  PKI_ROLE,
  encodePem,
  exportPrivateKeyPem,
  generateKeyPair,
  importPublicKey,
  isPkiKeyAlgorithm,
  isPkiRole,
  issueCertificate,
  issuedRecord,
  keyAlgorithmOf,
  parseCertificate,
  readCsr,
  recordIssued,
} from '@otrp/core';
import type { PkiKeyAlgorithm, PkiRole } from '@otrp/core';
import { CliError } from '../cli-error.js';
import { readInput, writeOutput } from '../io.js';
import { isEmptyDir, loadCaFolder, parseDate, parseDays, saveCaState, writeFileAtomic } from './pki-files.js';

interface IssueFlags {
  ca: string;
  role: string;
  name?: string;
  csr?: string;
  publicKey?: string;
  alg?: string;
  uri?: string[];
  days?: string;
  notBefore?: string;
  notAfter?: string;
  decrypt?: boolean;
  keyAgreement?: boolean;
  out?: string;
  force?: boolean;
}

export function registerPkiIssue(pki: Command): void {
  pki
    .command('issue')
    .summary('issue a tam, device, signer or verifier certificate from a CA folder')
    .description(
      'Issues an end-entity certificate signed by the CA in CA_DIR (a CA folder of a PKI directory, ' +
        'e.g. DIR/device-ca). The certificate gets the keyUsage of its key and the extendedKeyUsage of ' +
        'its role; a CA folder made by `pki init` only issues roles of its own branch. Writes cert.pem ' +
        'and chain.pem (and key.pem, mode 0600, when the key is generated here) into --out, by default ' +
        'CA_DIR/issued/<name>.',
    )
    .requiredOption('--ca <dir>', 'CA folder (holds cert.pem, key.pem, ca.json)')
    .requiredOption('--role <role>', 'tam, device, signer or verifier')
    .option('--name <name>', 'common name; alone, a key pair is generated')
    .option('--csr <file>', 'PKCS#10 request (PEM or DER) whose key is to be certified')
    .option('--public-key <file>', 'SPKI public key (PEM or DER) to certify directly, e.g. X25519 (needs --name)')
    .option('--alg <alg>', 'algorithm of a generated key: ESP256, Ed25519, X25519 or RS256 (default: the CA key algorithm)')
    .option('--uri <uri...>', 'SAN URI(s); default: those of the CSR; required for a tam')
    .option('--days <n>', 'validity in days (default 365)')
    .option('--not-before <date>', 'start of validity (ISO 8601)')
    .option('--not-after <date>', 'end of validity (ISO 8601)')
    .option('--decrypt', 'RSA keys: also allow key transport (keyEncipherment); default per role')
    .option('--key-agreement', 'P-256 keys: also allow ECDH (keyAgreement), e.g. a TEE key that is encrypted to')
    .option('--out <dir>', 'output folder')
    .option('--force', 'overwrite an existing certificate in --out')
    .addHelpText('after', '\nExamples:\n  otrp pki issue --ca pki/device-ca --role device --csr dev1.csr --out pki/devices/dev1\n  otrp pki issue --ca pki/tam-ca --role tam --name tam2 --uri https://tam2.example/tam\n')
    .action(async (flags: IssueFlags) => {
      if (!isPkiRole(flags.role)) throw new CliError('ERR_USAGE', `--role must be tam, device, signer or verifier, not ${flags.role}`);
      const role: PkiRole = flags.role;
      const sources = [flags.csr !== undefined, flags.publicKey !== undefined, flags.name !== undefined && !flags.csr && !flags.publicKey].filter(Boolean).length;
      if (sources !== 1 || (flags.csr && flags.publicKey)) throw new CliError('ERR_USAGE', 'give exactly one of --name, --csr FILE, or --public-key FILE --name NAME');
      if (flags.publicKey && !flags.name) throw new CliError('ERR_USAGE', '--public-key needs --name');
      if (flags.days !== undefined && flags.notAfter !== undefined) throw new CliError('ERR_USAGE', 'give --days or --not-after, not both');

      const ca = await loadCaFolder(flags.ca);
      const branch = PKI_ROLE[role].branch;
      if (ca.state.ca !== undefined && ca.state.ca !== branch) {
        throw new CliError('ERR_PKI_WRONG_BRANCH', `${role} certificates are issued by the ${branch} branch, not by ${ca.state.ca}`);
      }

      let subject: string | Uint8Array;
      let publicKey: Parameters<typeof issueCertificate>[0]['publicKey'];
      let privateKeyPem: string | undefined;
      let sanUris = flags.uri ?? [];
      let label: string;
      if (flags.csr !== undefined) {
        const csr = await readCsr(await readInput(flags.csr));
        subject = csr.subject;
        publicKey = csr.spki;
        if (!flags.uri) sanUris = csr.sanUris;
        label = csr.subjectText.replace(/^CN=/, '');
      } else if (flags.publicKey !== undefined) {
        publicKey = (await importPublicKey(await readInput(flags.publicKey))).spki;
        subject = flags.name!;
        label = flags.name!;
      } else {
        const alg = flags.alg ?? keyAlgorithmOf(ca.handle.privateKey);
        if (!isPkiKeyAlgorithm(alg)) throw new CliError('ERR_USAGE', `--alg must be ESP256, Ed25519, X25519 or RS256, not ${alg}`);
        const keys = await generateKeyPair(alg as PkiKeyAlgorithm);
        publicKey = keys.publicKey;
        privateKeyPem = await exportPrivateKeyPem(keys.privateKey);
        subject = flags.name!;
        label = flags.name!;
      }

      const der = await issueCertificate({
        issuer: ca.handle,
        role,
        subject,
        publicKey,
        sanUris,
        ...(flags.days !== undefined ? { days: parseDays(flags.days) } : {}),
        ...(flags.notBefore !== undefined ? { notBefore: parseDate(flags.notBefore, '--not-before') } : {}),
        ...(flags.notAfter !== undefined ? { notAfter: parseDate(flags.notAfter, '--not-after') } : {}),
        ...(flags.decrypt || flags.keyAgreement ? { keyUsage: { ...(flags.decrypt ? { decrypt: true } : {}), ...(flags.keyAgreement ? { keyAgreement: true } : {}) } } : {}),
      });
      const info = parseCertificate(der);
      const out = flags.out ?? join(flags.ca, 'issued', safeFolderName(label, info.serialNumber));
      const files = PKI_LAYOUT.leafFiles;
      if (!flags.force && !(await isEmptyDir(out))) throw new CliError('ERR_PKI_OUT_NOT_EMPTY', `${out} is not empty (use --force to replace)`);
      const pem = encodePem(der, 'CERTIFICATE');
      if (privateKeyPem !== undefined) await writeFileAtomic(join(out, files.privateKey), privateKeyPem, true);
      await writeFileAtomic(join(out, files.certificate), pem, false);
      await writeFileAtomic(join(out, files.chain), pem + ca.certificatePem, false);
      ca.state = recordIssued(ca.state, issuedRecord(der, role));
      await saveCaState(ca);
      await writeOutput('-', `issued ${role} certificate serial ${info.serialNumber} for ${info.subject} into ${out}\n`);
    });
}

function safeFolderName(name: string, serial: string): string {
  return /^[A-Za-z0-9._-]{1,64}$/.test(name) && name !== '.' && name !== '..' ? name : serial;
}
