/** `otrp device list DIR`: the TCs installed in the device's TEE (id, sequence number, signer, installed at). */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { Device, formatTcId } from '@otrp/device';
import { writeOutput } from '../io.js';
import { table } from './tam-render.js';

export function registerDeviceList(device: Command): void {
  device
    .command('list')
    .summary('list the Trusted Components installed in the TEE')
    .description(
      'Lists the installed TCs as the TEE reports them: the component identifiers (hex of their CBOR, the TC_ID ' +
        'form `device run --request` takes), the SUIT sequence number, the signer\'s certificate subject and when ' +
        'it was installed.',
    )
    .argument('<dir>', 'device directory (`otrp device init`)')
    .option('--json', 'print JSON')
    .action(async (dirArg: string, flags: { json?: boolean }) => {
      const dev = await Device.open(resolve(dirArg));
      try {
        const tcs = await dev.listInstalled();
        const rows = tcs.map((tc) => ({
          manifestId: formatTcId(tc.manifestId),
          components: tc.componentIds.map((c) => formatTcId(c)),
          sequenceNumber: tc.sequenceNumber.toString(),
          signer: tc.signer,
          installedAt: new Date(tc.installedAt).toISOString(),
        }));
        if (flags.json) await writeOutput('-', `${JSON.stringify(rows, null, 2)}\n`);
        else if (rows.length === 0) await writeOutput('-', 'no Trusted Components installed\n');
        else await writeOutput('-', table(['ID', 'SEQ', 'SIGNER', 'INSTALLED AT'], rows.map((r) => [r.components.join(' '), r.sequenceNumber, r.signer, r.installedAt])));
      } finally {
        await dev.close();
      }
    });
}
