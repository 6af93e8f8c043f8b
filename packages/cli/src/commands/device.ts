/**
 * `otrp device init | show | list | run`: a simulated TEE device (@otrp/device). The TEE is its own
 * process (forked by each command) holding the keys and the sealed TC store; these commands are the
 * REE side. Lifecycle and exit codes: packages/cli/README.md.
 */
import type { Command } from 'commander';
import { registerDeviceInit } from './device-init.js';
import { registerDeviceList } from './device-list.js';
import { registerDeviceRun } from './device-run.js';
import { registerDeviceShow } from './device-show.js';

export function registerDevice(program: Command): void {
  const device = program
    .command('device')
    .summary('a simulated TEE device: provision it, show it, list its TCs, run its Broker against a TAM')
    .description(
      'A simulated TEE (a separate process with sealed storage; not secure hardware) hosting the TEEP Agent, ' +
        'and the Broker that relays its messages to a TAM over HTTP (draft-ietf-teep-otrp-over-http-15).',
    );
  registerDeviceInit(device);
  registerDeviceShow(device);
  registerDeviceList(device);
  registerDeviceRun(device);
}
