/** `otrp tam ...`: run the TAM server, and manage it through its admin API (packages/tam/README.md). */
import type { Command } from 'commander';
import { registerTamAudit } from './tam-audit.js';
import { registerTamDevices } from './tam-devices.js';
import { registerTamPolicy } from './tam-policy.js';
import { registerTamServe } from './tam-serve.js';
import { registerTamTc } from './tam-tc.js';

export function registerTam(program: Command): void {
  const tam = program
    .command('tam')
    .summary('the Trusted Application Manager: serve, and TCs, policies, devices and audit through its admin API')
    .description(
      '`otrp tam serve` runs the TAM (TEEP over HTTP at /tam, admin API at /admin/v1). The other subcommands ' +
        'are clients of the admin API: --tam URL and --token-file F, or --data DIR of the server to find both.',
    );
  registerTamServe(tam);
  registerTamTc(tam);
  registerTamPolicy(tam);
  registerTamDevices(tam);
  registerTamAudit(tam);
}
