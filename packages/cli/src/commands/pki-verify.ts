/**
 * `otrp pki verify CHAIN --role ROLE (--pki DIR | --anchor FILE...)`: RFC 5280 path validation of a
 * certificate chain for a role, as the TAM and the Agent do it (core validateChain). With --pki the
 * anchors are the role's branch CA and every CA's CRL is checked (layout.ts roleAnchorPaths, crlPaths).
 */
import type { Command } from 'commander';
import { join } from 'node:path';
import { crlPaths, decodeCertificateChainPem, isPkiRole, roleAnchorPaths, toDer, validateChain } from '@otrp/core';
import type { LeafUsage, TrustAnchor } from '@otrp/core';
import { CliError } from '../cli-error.js';
import { readInput, writeOutput } from '../io.js';
import { parseDate, readText } from './pki-files.js';

interface VerifyFlags {
  role: string;
  pki?: string;
  anchor?: string[];
  anchorKey?: string[];
  crl?: string[];
  usage: string;
  at?: string;
}

const USAGES = ['digitalSignature', 'keyAgreement', 'keyEncipherment'];

export function registerPkiVerify(pki: Command): void {
  pki
    .command('verify')
    .summary('validate a certificate chain for a role (RFC 5280: validity, keyUsage, EKU, CRLs)')
    .argument('<chain>', 'PEM file with the leaf first, then its CA certificates (e.g. chain.pem), or one DER certificate')
    .requiredOption('--role <role>', 'tam, device, signer or verifier')
    .option('--pki <dir>', "PKI directory: anchors are the role's branch CA, and every CA's CRL is checked")
    .option('--anchor <file...>', 'trust anchor CA certificate(s) (PEM or DER)')
    .option('--anchor-key <file...>', 'trust anchor raw public key(s) (SPKI PEM or DER)')
    .option('--crl <file...>', 'CRL file(s) to check (PEM or DER)')
    .option('--usage <usage>', 'what the leaf key is for: digitalSignature, keyAgreement or keyEncipherment', 'digitalSignature')
    .option('--at <date>', 'validation time (ISO 8601), default now')
    .action(async (chainFile: string, flags: VerifyFlags) => {
      if (!isPkiRole(flags.role)) throw new CliError('ERR_USAGE', `--role must be tam, device, signer or verifier, not ${flags.role}`);
      if (!USAGES.includes(flags.usage)) throw new CliError('ERR_USAGE', `--usage must be one of ${USAGES.join(', ')}`);
      const anchors: TrustAnchor[] = [];
      const crls: string[] = [];
      if (flags.pki) {
        for (const p of roleAnchorPaths(flags.role)) anchors.push({ certificate: await readText(join(flags.pki, p)) });
        for (const p of crlPaths()) crls.push(await readText(join(flags.pki, p)));
      }
      for (const f of flags.anchor ?? []) anchors.push({ certificate: await readInput(f) });
      for (const f of flags.anchorKey ?? []) anchors.push({ publicKey: await readInput(f) });
      for (const f of flags.crl ?? []) crls.push(new TextDecoder().decode(await readInput(f)));
      if (anchors.length === 0) throw new CliError('ERR_USAGE', 'give --pki DIR, --anchor FILE or --anchor-key FILE');
      const bytes = await readInput(chainFile);
      const text = new TextDecoder().decode(bytes);
      const chain = text.includes('-----BEGIN CERTIFICATE-----') ? decodeCertificateChainPem(text) : [toDer(bytes, 'CERTIFICATE')!];
      const r = await validateChain({
        chain,
        anchors,
        role: flags.role,
        ...(crls.length ? { crls } : {}),
        usage: flags.usage as LeafUsage,
        ...(flags.at ? { at: parseDate(flags.at, '--at') } : {}),
      });
      const uris = r.leaf.sanUris.length ? ` ${r.leaf.sanUris.join(' ')}` : '';
      await writeOutput('-', `ok: ${flags.role} ${r.leaf.subject} (${r.keyAlgorithm}, serial ${r.leaf.serialNumber}, ${r.anchor} anchor)${uris}\n`);
    });
}
