/**
 * `otrp tam tc add|list|deprecate|delete`: Trusted Components through the admin API. `add` uploads a
 * SUIT envelope (TEEP) or an OTrP TA package (`otrp otrp ta-package`), told apart by their first byte
 * (a TA package is a JSON object, an envelope a CBOR map or tag) unless --format says which.
 */
import type { Command } from 'commander';
import { OTRP_TA_MEDIA_TYPE } from '@otrp/tam';
import { CliError } from '../cli-error.js';
import { readInput, writeOutput } from '../io.js';
import { adminClient, clientOptions, type ClientFlags } from './tam-client.js';
import { shortHex, table, when } from './tam-render.js';

interface TcView {
  id: string;
  name: string | null;
  format: string;
  componentIdText: string | null;
  sequenceNumber: number;
  signerSubject: string;
  signerThumbprint: string;
  deprecated: boolean;
  updatedAt: string;
}

const tcRows = (items: readonly TcView[]) =>
  table(
    ['ID', 'NAME', 'FORMAT', 'COMPONENT', 'SEQ', 'SIGNER', 'DEPRECATED', 'UPDATED'],
    items.map((t) => [t.id, t.name ?? '-', t.format, t.componentIdText ?? '-', String(t.sequenceNumber), t.signerSubject, t.deprecated ? 'yes' : 'no', when(t.updatedAt)]),
  );

/** `suit` or `otrp-ta`: --format, else the first non-blank byte (`{` starts a JSON TA package). */
export function uploadFormat(bytes: Uint8Array, format: string | undefined): 'suit' | 'otrp-ta' {
  if (format !== undefined) {
    if (format !== 'suit' && format !== 'otrp-ta') throw new CliError('ERR_USAGE', '--format must be suit or otrp-ta');
    return format;
  }
  const first = bytes.find((b) => b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d);
  return first === 0x7b ? 'otrp-ta' : 'suit';
}

const print = async (flags: ClientFlags, value: unknown, text: () => string) =>
  writeOutput('-', flags.json ? `${JSON.stringify(value, null, 2)}\n` : text());

export function registerTamTc(tam: Command): void {
  const tc = tam.command('tc').summary('upload and manage Trusted Components (SUIT envelopes, OTrP TA packages)');
  clientOptions(
    tc.command('add')
      .summary('upload a signed SUIT envelope or an OTrP TA package (its signer / SP certificate must chain to the TC-Signer CA)')
      .argument('<file>', 'SUIT envelope (binary) or OTrP TA package (`otrp otrp ta-package`), - for standard input')
      .option('--name <name>', 'a name to show in lists')
      .option('--format <format>', 'suit or otrp-ta (default: from the content: a JSON object is a TA package)'),
  ).action(async (file: string, flags: ClientFlags & { name?: string; format?: string }) => {
    const bytes = await readInput(file);
    const format = uploadFormat(bytes, flags.format);
    const client = await adminClient(flags);
    const query = flags.name !== undefined ? `?name=${encodeURIComponent(flags.name)}` : '';
    const t = await client.request<TcView>('POST', `/tcs${query}`, { bytes, ...(format === 'otrp-ta' && { contentType: OTRP_TA_MEDIA_TYPE }) });
    const what = format === 'otrp-ta' ? `OTrP TA ${t.componentIdText ?? ''} version` : `${t.componentIdText ?? ''} sequence`;
    await print(flags, t, () => `stored ${t.id} ${what} ${t.sequenceNumber} (signer ${t.signerSubject}, ${shortHex(t.signerThumbprint)})\n`);
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
