/**
 * `otrp pki revoke --ca CA_DIR CERT` and `otrp pki crl --ca CA_DIR`: revocation is recorded in the CA
 * folder's ca.json and published in its crl.pem (RFC 5280 §5). `revoke` re-signs the CRL at once so
 * the revocation takes effect with the next copy relying parties fetch; `crl` re-signs it (new
 * thisUpdate/nextUpdate, next cRLNumber) before the old one goes stale.
 */
import type { Command } from 'commander';
import { CRL_REASON, isCrlReason, isIssuedBy, parseCertificate, recordRevoked } from '@otrp/core';
import type { CrlReason } from '@otrp/core';
import { CliError } from '../cli-error.js';
import { readInput, writeOutput } from '../io.js';
import { loadCaFolder, parseDays, refreshCrl } from './pki-files.js';

interface RevokeFlags {
  ca: string;
  reason: string;
  days?: string;
}

export function registerPkiRevoke(pki: Command): void {
  pki
    .command('revoke')
    .summary('revoke a certificate issued by a CA folder and re-sign its CRL')
    .argument('<cert>', 'the certificate to revoke (PEM or DER)')
    .requiredOption('--ca <dir>', 'CA folder that issued the certificate')
    .option('--reason <reason>', `CRLReason: ${Object.keys(CRL_REASON).join(', ')}`, 'unspecified')
    .option('--days <n>', 'days until the CRL nextUpdate (default 7)')
    .addHelpText('after', '\nExample:\n  otrp pki revoke --ca pki/device-ca pki/devices/dev1/cert.pem --reason keyCompromise\n')
    .action(async (cert: string, flags: RevokeFlags) => {
      if (!isCrlReason(flags.reason)) throw new CliError('ERR_USAGE', `--reason must be one of ${Object.keys(CRL_REASON).join(', ')}`);
      const reason: CrlReason = flags.reason;
      const ca = await loadCaFolder(flags.ca);
      const info = parseCertificate(await readInput(cert));
      if (!(await isIssuedBy(info.der, ca.handle.certificate))) {
        throw new CliError('ERR_PKI_NOT_ISSUER', `${cert} was not issued by the CA in ${flags.ca}`);
      }
      const r = recordRevoked(ca.state, { serialNumber: info.serialNumber, revocationDate: new Date().toISOString(), ...(reason !== 'unspecified' ? { reason } : {}) });
      ca.state = r.state;
      const crlNumber = await refreshCrl(ca, flags.days === undefined ? undefined : parseDays(flags.days));
      await writeOutput('-', `${r.alreadyRevoked ? 'already revoked' : 'revoked'}: serial ${info.serialNumber} (${info.subject}); CRL number ${crlNumber} written\n`);
    });

  pki
    .command('crl')
    .summary("write or refresh a CA folder's CRL")
    .requiredOption('--ca <dir>', 'CA folder')
    .option('--days <n>', 'days until the CRL nextUpdate (default 7)')
    .action(async (flags: { ca: string; days?: string }) => {
      const ca = await loadCaFolder(flags.ca);
      const crlNumber = await refreshCrl(ca, flags.days === undefined ? undefined : parseDays(flags.days));
      await writeOutput('-', `CRL number ${crlNumber} with ${ca.state.revoked.length} revoked certificate(s) written to ${flags.ca}\n`);
    });
}
