/** `otrp tam tc add|list|deprecate|delete`: Trusted Components through the admin API. */
import type { Command } from 'commander';
import { readInput, writeOutput } from '../io.js';
import { adminClient, clientOptions, type ClientFlags } from './tam-client.js';
import { shortHex, table, when } from './tam-render.js';

interface TcView {
  id: string;
  name: string | null;
  componentIdText: string | null;
  sequenceNumber: number;
  signerSubject: string;
  signerThumbprint: string;
  deprecated: boolean;
  updatedAt: string;
}

const tcRows = (items: readonly TcView[]) =>
  table(
    ['ID', 'NAME', 'COMPONENT', 'SEQ', 'SIGNER', 'DEPRECATED', 'UPDATED'],
    items.map((t) => [t.id, t.name ?? '-', t.componentIdText ?? '-', String(t.sequenceNumber), t.signerSubject, t.deprecated ? 'yes' : 'no', when(t.updatedAt)]),
  );

const print = async (flags: ClientFlags, value: unknown, text: () => string) =>
  writeOutput('-', flags.json ? `${JSON.stringify(value, null, 2)}\n` : text());

export function registerTamTc(tam: Command): void {
  const tc = tam.command('tc').summary('upload and manage Trusted Components (SUIT envelopes)');
  clientOptions(
    tc.command('add')
      .summary('upload a signed SUIT envelope (its signer must chain to the TC-Signer CA)')
      .argument('<file>', 'SUIT envelope (binary), - for standard input')
      .option('--name <name>', 'a name to show in lists'),
  ).action(async (file: string, flags: ClientFlags & { name?: string }) => {
    const client = await adminClient(flags);
    const bytes = await readInput(file);
    const query = flags.name !== undefined ? `?name=${encodeURIComponent(flags.name)}` : '';
    const t = await client.request<TcView>('POST', `/tcs${query}`, { bytes });
    await print(flags, t, () => `stored ${t.id} ${t.componentIdText ?? ''} sequence ${t.sequenceNumber} (signer ${t.signerSubject}, ${shortHex(t.signerThumbprint)})\n`);
  });
  clientOptions(tc.command('list').summary('list Trusted Components').option('--all', 'include deprecated ones')).action(
    async (flags: ClientFlags & { all?: boolean }) => {
      const page = await (await adminClient(flags)).request<{ items: TcView[] }>('GET', `/tcs?limit=1000&includeDeprecated=${flags.all === true}`);
      await print(flags, page, () => tcRows(page.items));
    },
  );
  clientOptions(tc.command('deprecate').summary('stop sending a TC (policies stay)').argument('<id>')).action(async (id: string, flags: ClientFlags) => {
    const t = await (await adminClient(flags)).request<TcView>('POST', `/tcs/${encodeURIComponent(id)}/deprecate`);
    await print(flags, t, () => `deprecated ${t.id}\n`);
  });
  clientOptions(tc.command('delete').summary('delete a TC no policy names').argument('<id>')).action(async (id: string, flags: ClientFlags) => {
    const r = await (await adminClient(flags)).request<unknown>('DELETE', `/tcs/${encodeURIComponent(id)}`);
    await print(flags, r, () => `deleted ${id}\n`);
  });
}
