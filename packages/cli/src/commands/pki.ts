/** `otrp pki ...`: the operator's certificate authorities (docs/pki.md). */
import type { Command } from 'commander';
import { registerPkiInit } from './pki-init.js';
import { registerPkiIssue } from './pki-issue.js';
import { registerPkiRevoke } from './pki-revoke.js';
import { registerPkiVerify } from './pki-verify.js';
import { registerPkiOcsp } from './pki-ocsp.js';

export function registerPki(program: Command): void {
  const pki = program
    .command('pki')
    .summary('create and run the PKI: CAs, certificates per role, CSRs, revocation, validation')
    .description(
      'A PKI directory holds a root CA, three branch CAs (TAM, Device, TC-Signer) and the keys and ' +
        'certificates of the TAM, a TC signer and a Verifier; `otrp tam serve --pki DIR` and ' +
        '`otrp device init --pki DIR` read it. A CA folder (CA_DIR) is one CA of it, e.g. DIR/device-ca.',
    );
  registerPkiInit(pki);
  registerPkiIssue(pki);
  registerPkiRevoke(pki);
  registerPkiVerify(pki);
  registerPkiOcsp(pki);
}
