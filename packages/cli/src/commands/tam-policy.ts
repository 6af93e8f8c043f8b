/** `otrp tam policy set|list|delete`: which TCs devices should have, through the admin API. */
import type { Command } from 'commander';
import { CliError } from '../cli-error.js';
import { writeOutput } from '../io.js';
import { adminClient, clientOptions, type ClientFlags } from './tam-client.js';
import { hwmodelText, table, when } from './tam-render.js';

interface PolicyView {
  id: string;
  tcId: string;
  action: string;
  scope: { kind: string; deviceId?: string; hwmodel?: string };
  updatedAt: string;
}

interface SetFlags extends ClientFlags {
  tc: string;
  action: string;
  device?: string;
  hwmodel?: string;
  hwmodelText?: string;
  all?: boolean;
}

const scopeText = (s: PolicyView['scope']) => (s.kind === 'device' ? `device ${s.deviceId}` : s.kind === 'hwmodel' ? `hwmodel ${hwmodelText(s.hwmodel)}` : 'all');

export function registerTamPolicy(tam: Command): void {
  const policy = tam.command('policy').summary('set and list policies (required, optional on request, remove)');
  clientOptions(
    policy.command('set')
      .summary('create or replace the policy of one TC for a scope')
      .requiredOption('--tc <id>', 'the TC id (`otrp tam tc list`)')
      .requiredOption('--action <action>', 'required | optional | remove')
      .option('--device <id>', 'scope: one device')
      .option('--hwmodel <hex>', 'scope: devices of this EAT hwmodel (hex)')
      .option('--hwmodel-text <text>', 'scope: devices of this EAT hwmodel (UTF-8 text)')
      .option('--all', 'scope: every device (the default)'),
  ).action(async (flags: SetFlags) => {
    const chosen = [flags.device, flags.hwmodel, flags.hwmodelText, flags.all ? true : undefined].filter((x) => x !== undefined);
    if (chosen.length > 1) throw new CliError('ERR_USAGE', 'give one scope: --device, --hwmodel, --hwmodel-text or --all');
    if (!['required', 'optional', 'remove'].includes(flags.action)) throw new CliError('ERR_USAGE', '--action must be required, optional or remove');
    const scope =
      flags.device !== undefined ? { kind: 'device', deviceId: flags.device }
      : flags.hwmodel !== undefined ? { kind: 'hwmodel', hwmodel: flags.hwmodel }
      : flags.hwmodelText !== undefined ? { kind: 'hwmodel', hwmodel: Buffer.from(flags.hwmodelText, 'utf8').toString('hex') }
      : { kind: 'all' };
    const p = await (await adminClient(flags)).request<PolicyView>('POST', '/policies', { json: { tcId: flags.tc, action: flags.action, scope } });
    await writeOutput('-', flags.json ? `${JSON.stringify(p, null, 2)}\n` : `policy ${p.id}: ${p.action} ${p.tcId} for ${scopeText(p.scope)}\n`);
  });
  clientOptions(policy.command('list').summary('list policies')).action(async (flags: ClientFlags) => {
    const r = await (await adminClient(flags)).request<PolicyView[] | { items: PolicyView[] }>('GET', '/policies');
    const items = Array.isArray(r) ? r : r.items;
    await writeOutput('-', flags.json ? `${JSON.stringify(r, null, 2)}\n` : table(['ID', 'TC', 'ACTION', 'SCOPE', 'UPDATED'], items.map((p) => [p.id, p.tcId, p.action, scopeText(p.scope), when(p.updatedAt)])));
  });
  clientOptions(policy.command('delete').summary('delete a policy').argument('<id>')).action(async (id: string, flags: ClientFlags) => {
    const r = await (await adminClient(flags)).request<unknown>('DELETE', `/policies/${encodeURIComponent(id)}`);
    await writeOutput('-', flags.json ? `${JSON.stringify(r, null, 2)}\n` : `deleted ${id}\n`);
  });
}
