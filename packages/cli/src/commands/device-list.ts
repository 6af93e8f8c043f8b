/**
 * `otrp device list DIR`: what is installed in the device's TEE, both protocols side by side: the
 * TEEP TCs (id, sequence number, signer, installed at) and the OTrP TAs (taid, SP and SD, installed
 * at), with a PROTOCOL column; OTrP Security Domains without TAs are listed too.
 *
 * `--json` prints one object:
 *   { "teep": [ { "protocol": "teep", "manifestId", "components", "sequenceNumber", "signer", "installedAt" } ],
 *     "otrp": { "sds": [ { "tamid", "spid", "name", "tas" } ],
 *               "tas": [ { "protocol": "otrp", "tamid", "spid", "sdname", "taid", "taname"?, "size",
 *                          "installedAt", "updatedAt" } ] } }
 */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { Device, formatTcId } from '@otrp/device';
import { writeOutput } from '../io.js';
import { table } from './tam-render.js';

export function registerDeviceList(device: Command): void {
  device
    .command('list')
    .summary('list the Trusted Components (TEEP) and Trusted Applications (OTrP) installed in the TEE')
    .description(
      'Lists what the TEE reports, one row per installed item with its protocol. TEEP TCs: the component ' +
        'identifiers (hex of their CBOR, the TC_ID form `device run --request` takes), the SUIT sequence number, ' +
        "the signer's certificate subject and when it was installed. OTrP TAs: the TA id, its Service Provider " +
        'and Security Domain, and when it was installed (an update keeps that time). OTrP Security Domains that ' +
        'hold no TA are listed below the table. --json prints {"teep": [...], "otrp": {"sds": [...], "tas": [...]}}.',
    )
    .argument('<dir>', 'device directory (`otrp device init`)')
    .option('--json', 'print JSON')
    .action(async (dirArg: string, flags: { json?: boolean }) => {
      const dev = await Device.open(resolve(dirArg));
      try {
        const tcs = await dev.listInstalled();
        const otrp = await dev.listOtrp();
        const teep = tcs.map((tc) => ({
          protocol: 'teep' as const,
          manifestId: formatTcId(tc.manifestId),
          components: tc.componentIds.map((c) => formatTcId(c)),
          sequenceNumber: tc.sequenceNumber.toString(),
          signer: tc.signer,
          installedAt: new Date(tc.installedAt).toISOString(),
        }));
        const tas = otrp.tas.map((t) => ({
          protocol: 'otrp' as const,
          ...t,
          installedAt: new Date(t.installedAt).toISOString(),
          updatedAt: new Date(t.updatedAt).toISOString(),
        }));
        if (flags.json) {
          await writeOutput('-', `${JSON.stringify({ teep, otrp: { sds: otrp.sds, tas } }, null, 2)}\n`);
          return;
        }
        const emptySds = otrp.sds.filter((sd) => sd.tas === 0);
        let out = '';
        if (teep.length === 0 && tas.length === 0) out += 'no Trusted Components or Trusted Applications installed\n';
        else {
          out += table(
            ['PROTOCOL', 'ID', 'SEQ', 'SIGNER / SP, SD', 'INSTALLED AT'],
            [
              ...teep.map((r) => ['teep', r.components.join(' '), r.sequenceNumber, r.signer, r.installedAt]),
              ...tas.map((t) => ['otrp', t.taid, '-', `SP ${t.spid}, SD ${t.sdname}`, t.installedAt]),
            ],
          );
        }
        for (const sd of emptySds) out += `OTrP Security Domain ${sd.name} (SP ${sd.spid}, TAM ${sd.tamid}): no TA\n`;
        await writeOutput('-', out);
      } finally {
        await dev.close();
      }
    });
}
