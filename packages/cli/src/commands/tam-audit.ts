/** `otrp tam audit`: the TAM's audit log, newest first. */
import type { Command } from 'commander';
import { CliError } from '../cli-error.js';
import { writeOutput } from '../io.js';
import { adminClient, clientOptions, type ClientFlags } from './tam-client.js';
import { table, when } from './tam-render.js';

interface AuditView {
  id: string;
  at: string;
  deviceId: string | null;
  actor: string;
  action: string;
  decision: string;
  code: string | null;
}

interface AuditFlags extends ClientFlags {
  device?: string;
  action?: string;
  decision?: string;
  limit: string;
}

export function registerTamAudit(tam: Command): void {
  clientOptions(
    tam.command('audit')
      .summary('read the audit log (every decision: accepted, refused with its code)')
      .option('--device <id>', 'only this device')
      .option('--action <action>', 'only this action, e.g. teep.drop or admin.tc.upload')
      .option('--decision <decision>', 'allow | deny | error | info')
      .option('--limit <n>', 'entries (1..1000)', '100'),
  ).action(async (flags: AuditFlags) => {
    const limit = Number(flags.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new CliError('ERR_USAGE', '--limit must be 1..1000');
    const q = new URLSearchParams({ limit: String(limit) });
    if (flags.device !== undefined) q.set('deviceId', flags.device);
    if (flags.action !== undefined) q.set('action', flags.action);
    if (flags.decision !== undefined) q.set('decision', flags.decision);
    const page = await (await adminClient(flags)).request<{ entries: AuditView[]; next: string | null }>('GET', `/audit?${q}`);
    await writeOutput(
      '-',
      flags.json
        ? `${JSON.stringify(page, null, 2)}\n`
        : table(['AT', 'ACTOR', 'ACTION', 'DECISION', 'CODE', 'DEVICE'], page.entries.map((e) => [when(e.at), e.actor, e.action, e.decision, e.code ?? '-', e.deviceId ?? '-'])),
    );
  });
}
