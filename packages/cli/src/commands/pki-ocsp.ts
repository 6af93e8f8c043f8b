/**
 * `otrp pki ocsp --ca CA_DIR CERT [--out F] [--hours N]`: a signed OCSP response (RFC 6960 §4.2) for a
 * certificate the CA folder issued, with the status its ca.json records (`good`, or `revoked` with
 * the date `otrp pki revoke` wrote). The CA signs it itself (RFC 6960 §4.2.2.2), as an OTrP TEE
 * requires for the stapled `ocspdat` (draft-ietf-teep-opentrustprotocol-03 §9.1.1, §14.9); the TAM
 * server makes the same responses on its own for every session.
 *
 * Output: DER (`--out F`), or base64 on standard output, which is how `ocspdat` carries it.
 */
import type { Command } from 'commander';
import { createOcspResponse, encodeBase64, isIssuedBy, parseCertificate } from '@otrp/core';
import { CliError } from '../cli-error.js';
import { readInput, writeOutput } from '../io.js';
import { loadCaFolder } from './pki-files.js';

interface OcspFlags {
  ca: string;
  out?: string;
  hours?: string;
}

const bare = (s: string) => s.toLowerCase().replace(/^(00)+(?=.)/, '');

export function registerPkiOcsp(pki: Command): void {
  pki
    .command('ocsp')
    .summary("sign an OCSP response for a certificate, from the CA folder's revocation records")
    .argument('<cert>', 'the certificate (PEM or DER) the response is about')
    .requiredOption('--ca <dir>', 'CA folder that issued the certificate (the responder)')
    .option('--out <file>', 'write the DER OCSPResponse here (default: base64 on standard output)')
    .option('--hours <n>', 'validity: nextUpdate - thisUpdate in hours (default 24)')
    .addHelpText('after', '\nExample:\n  otrp pki ocsp --ca pki/tam-ca pki/tam/rs256/cert.pem --out tam.ocsp\n')
    .action(async (cert: string, flags: OcspFlags) => {
      let hours = 24;
      if (flags.hours !== undefined) {
        hours = Number(flags.hours);
        if (!/^\d+$/.test(flags.hours) || hours < 1 || hours > 24 * 366) throw new CliError('ERR_USAGE', '--hours must be an integer from 1 to 8784');
      }
      const ca = await loadCaFolder(flags.ca);
      const info = parseCertificate(await readInput(cert));
      if (!(await isIssuedBy(info.der, ca.handle.certificate))) {
        throw new CliError('ERR_PKI_NOT_ISSUER', `${cert} was not issued by the CA in ${flags.ca}`);
      }
      const revoked = ca.state.revoked.find((r) => bare(r.serialNumber) === bare(info.serialNumber));
      const thisUpdate = new Date();
      const der = await createOcspResponse({
        certificate: info.der,
        issuer: ca.handle,
        status: revoked ? { status: 'revoked', revokedAt: new Date(revoked.revocationDate) } : { status: 'good' },
        thisUpdate,
        nextUpdate: new Date(thisUpdate.getTime() + hours * 3600_000),
      });
      if (flags.out !== undefined) {
        await writeOutput(flags.out, der);
        await writeOutput('-', `${revoked ? 'revoked' : 'good'}: serial ${info.serialNumber} (${info.subject}); OCSP response written to ${flags.out}\n`);
      } else {
        await writeOutput('-', `${encodeBase64(der)}\n`);
      }
    });
}
