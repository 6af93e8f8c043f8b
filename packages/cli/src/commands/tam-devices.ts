/** `otrp tam devices` and `otrp tam device show|block|unblock|decommission`: devices and their inventory. */
import type { Command } from 'commander';
import { writeOutput } from '../io.js';
import { adminClient, clientOptions, type ClientFlags } from './tam-client.js';
import { hwmodelText, shortHex, table, when } from './tam-render.js';

interface InventoryView {
  componentIdText: string | null;
  componentId: string;
  tcId: string | null;
  state: string;
  sequenceNumber: number | null;
}

interface DeviceView {
  id: string;
  subject: string | null;
  certThumbprint: string | null;
  hwmodel: string | null;
  lastAttestationResult: string | null;
  lastSeenAt: string | null;
  blocked: boolean;
  decommissioned: boolean;
  inventory: InventoryView[];
}

const status = (d: DeviceView) => (d.decommissioned ? 'decommissioned' : d.blocked ? 'blocked' : 'active');
const inventoryText = (inv: readonly InventoryView[]) =>
  inv.length === 0 ? '-' : inv.map((i) => `${i.tcId ?? shortHex(i.componentId)}${i.sequenceNumber !== null ? `@${i.sequenceNumber}` : ''}${i.state === 'installed' ? '' : ` (${i.state})`}`).join(', ');

function deviceText(d: DeviceView): string {
  const head = `device ${d.id} (${status(d)})\n  subject      ${d.subject ?? '-'}\n  certificate  ${d.certThumbprint ?? '-'}\n  hwmodel      ${hwmodelText(d.hwmodel)}\n  attestation  ${d.lastAttestationResult ?? '-'}\n  last seen    ${when(d.lastSeenAt)}\n`;
  const inv = d.inventory.length
    ? table(['COMPONENT', 'TC', 'STATE', 'SEQ'], d.inventory.map((i) => [i.componentIdText ?? i.componentId, i.tcId ?? '-', i.state, i.sequenceNumber === null ? '-' : String(i.sequenceNumber)]))
    : 'no inventory\n';
  return `${head}\n${inv}`;
}

export function registerTamDevices(tam: Command): void {
  clientOptions(tam.command('devices').summary('list devices with their status and inventory').option('--decommissioned', 'include decommissioned devices')).action(
    async (flags: ClientFlags & { decommissioned?: boolean }) => {
      const page = await (await adminClient(flags)).request<{ items: DeviceView[] }>('GET', `/devices?limit=1000&includeDecommissioned=${flags.decommissioned === true}`);
      await writeOutput(
        '-',
        flags.json
          ? `${JSON.stringify(page, null, 2)}\n`
          : table(['ID', 'SUBJECT', 'STATUS', 'HWMODEL', 'ATTESTATION', 'LAST SEEN', 'INVENTORY'], page.items.map((d) => [
              d.id, d.subject ?? '-', status(d), hwmodelText(d.hwmodel), d.lastAttestationResult ?? '-', when(d.lastSeenAt), inventoryText(d.inventory),
            ])),
      );
    },
  );
  const device = tam.command('device').summary('show, block, unblock or decommission one device');
  clientOptions(device.command('show').argument('<id>').summary('one device, its inventory and policies')).action(async (id: string, flags: ClientFlags) => {
    const d = await (await adminClient(flags)).request<DeviceView>('GET', `/devices/${encodeURIComponent(id)}`);
    await writeOutput('-', flags.json ? `${JSON.stringify(d, null, 2)}\n` : deviceText(d));
  });
  for (const what of ['block', 'unblock', 'decommission'] as const) {
    clientOptions(device.command(what).argument('<id>').summary(`${what} a device`)).action(async (id: string, flags: ClientFlags) => {
      const d = await (await adminClient(flags)).request<DeviceView>('POST', `/devices/${encodeURIComponent(id)}/${what}`);
      await writeOutput('-', flags.json ? `${JSON.stringify(d, null, 2)}\n` : `device ${d.id} is ${status(d)}\n`);
    });
  }
}
