/**
 * `otrp device run DIR --tam URL [--protocol teep|otrp]`: with `--protocol otrp` (device-otrp.ts) the
 * OTrP Broker of draft-ietf-teep-otrp-over-http-02 instead; what follows is TEEP (the default).
 *
 * `otrp device run DIR --tam URL`: the Broker of draft-ietf-teep-otrp-over-http-15 in the REE, the
 * Agent in the TEE process. RequestTA / UnrequestTA for each --request / --unrequest (TC_ID: a UUID
 * or the hex of a CBOR component identifier, @otrp/device tc-id.ts), then the TAM session the Agent
 * asks for; without either, a policy check (-15 §5.5).
 *
 * Exit codes (issue 6; packages/cli/README.md):
 *   --once (default)  0: the session ended normally and every request was met, or there was nothing to do;
 *                     1: `error: CODE: message` on a transport failure (ERR_BROKER_*), a TEEP Error sent
 *                        (ERR_TEEP_ERROR_SENT) or received (ERR_TEEP_ERROR_RECEIVED), a request not met
 *                        (ERR_DEVICE_REQUEST_NOT_MET), or a TEE failure (ERR_TEE_*).
 *   --poll SECONDS    runs until SIGINT / SIGTERM (then 0); each round's outcome is printed, a failed
 *                     round does not stop the loop; exits 1 only if the TEE process dies.
 */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { formatComponentId } from '@otrp/core';
import { Device, parseTcId, pollDevice, runDeviceOnce, type BrokerExchange, type RunOnceResult } from '@otrp/device';
import { CliError } from '../cli-error.js';
import { reportOnce, roundPrinter, untilInterrupted } from '../io.js';
import { transcriptLine } from './device-transcript.js';
import { runOtrpCommand } from './device-otrp.js';

interface RunFlags {
  tam: string;
  request?: string[];
  unrequest?: string[];
  once?: boolean;
  poll?: string;
  profile?: string;
  protocol?: string;
  verbose?: boolean;
}

/** `error: CODE: message`, as main.ts prints a command's failure. */

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

/** What a round did, one line per fact. */
export function roundText(r: RunOnceResult): string {
  const lines: string[] = [];
  const contacted = r.sessions.filter((s) => s.contacted);
  if (contacted.length === 0) lines.push('nothing to do: the Agent did not contact the TAM');
  for (const s of contacted) lines.push(`session with ${s.tamUri}: ${s.roundTrips} HTTP round trips`);
  for (const e of r.events) {
    if (e.type === 'installed') lines.push(`installed ${e.count} manifest(s)`);
    else if (e.type === 'unlinked') lines.push(`removed ${e.count} manifest(s)`);
    else if (e.type === 'error-sent') lines.push(`the Agent sent a TEEP Error: ${e.name ?? '?'} (${e.code ?? '?'})`);
    else if (e.type === 'tam-error') lines.push(`the TAM reported err-code ${e.errCode ?? '?'}${e.name ? ` (${e.name})` : ''}${e.errMsg ? `: ${e.errMsg}` : ''}`);
    else if (e.type === 'transport-error') lines.push(`transport error${e.detail ? `: ${e.detail}` : ''}`);
  }
  lines.push(`installed now: ${r.installed.length === 0 ? 'none' : r.installed.map((tc) => `${formatComponentId(tc.manifestId)} seq ${tc.sequenceNumber}`).join(', ')}`);
  return `${lines.join('\n')}\n`;
}

/** The error `--once` exits with when the round did not succeed (undefined when it did). */
export function roundFailure(r: RunOnceResult): CliError | undefined {
  if (r.ok) return undefined;
  // The Error that ended the session is the last one sent (earlier ones were negotiation the TAM answered).
  const sent = [...r.events].reverse().find((e) => e.type === 'error-sent');
  if (sent) return new CliError('ERR_TEEP_ERROR_SENT', `the Agent refused the TAM's message with a TEEP Error: ${sent.name ?? '?'} (${sent.code ?? '?'})`);
  const got = r.events.find((e) => e.type === 'tam-error');
  if (got) return new CliError('ERR_TEEP_ERROR_RECEIVED', `the TAM reported err-code ${got.errCode ?? '?'}${got.name ? ` (${got.name})` : ''}${got.errMsg ? `: ${got.errMsg}` : ''}`);
  if (r.unmet.length) return new CliError('ERR_DEVICE_REQUEST_NOT_MET', `not installed after the session: ${r.unmet.map(formatComponentId).join(', ')}`);
  return new CliError('ERR_DEVICE_REQUEST_NOT_MET', `still installed after the session: ${r.notRemoved.map(formatComponentId).join(', ')}`);
}

export function registerDeviceRun(device: Command): void {
  device
    .command('run')
    .summary("run the device's Broker against a TAM: request / unrequest TCs, or check the TAM's policy (TEEP or OTrP)")
    .description(
      'Starts the TEE process and relays TEEP messages between its Agent and the TAM at URL (HTTP POST, ' +
        'application/teep+cbor; no redirects, no cookies). Each --request / --unrequest is passed to the Agent ' +
        '(RequestTA / UnrequestTA) before one TAM session; with neither, the Agent runs a policy check. The Agent ' +
        "validates the TAM's certificate chain and every TC signer's chain before installing anything.\n\n" +
        'TC_ID is the SUIT component identifier of a Trusted Component, written as a UUID (the TEEP convention ' +
        "['TEEP-Device', 'SecureFS', h'<UUID>', 'ta']) or as the hex of the CBOR-encoded identifier (as " +
        '`otrp device list` prints it).\n\n' +
        'Exit status with --once (the default): 0 when the session ended normally and every request was met ' +
        '(or there was nothing to do); 1 with `error: CODE: message` on a transport failure, a TEEP Error sent ' +
        'or received, or a request not met. With --poll the command runs until interrupted.\n\n' +
        'With --protocol otrp the Broker speaks OTrP (draft-ietf-teep-opentrustprotocol-03) over HTTP per ' +
        'draft-ietf-teep-otrp-over-http-02 to URL, the TAM\'s OTrP URI (e.g. http://127.0.0.1:8080/otrp): an ' +
        'empty POST (Accept: application/otrp+json) opens the session, the TAM\'s policy drives GetDeviceState and ' +
        'the SD/TA commands, the TEE answers each one, a 204 ends the session. Requests carry Cache-Control: ' +
        'no-store, redirects are followed (301/302/307/308, at most 5), no cookies. The device needs an OTrP key: ' +
        'its P-256 TEEP key (`device init` with the default --alg ESP256) or one made with `device init --otrp-alg ' +
        'RS256`. --request, --unrequest and --profile are TEEP-only. ' +
        'Exit status with --once: 0 when the session ended with 204 and the TEE reported no failure; 1 with ' +
        '`error: CODE: message` otherwise (ERR_OTRP_ERROR_SENT when the TEE answered with one of the draft\'s ' +
        'error codes). --verbose prints each relayed message: direction, message name, size, rid/tid, ' +
        'status/reason, and what the TEE did (SD/TA names, error code).',
    )
    .argument('<dir>', 'device directory (`otrp device init`)')
    .requiredOption('--tam <url>', 'the TAM URI, e.g. http://127.0.0.1:8080/tam (or .../tam/pre26 with --profile pre-26; .../otrp with --protocol otrp)')
    .option('--protocol <protocol>', 'teep (default) or otrp')
    .option('--request <TC_ID>', 'ask for this Trusted Component (RequestTA); repeatable; TEEP only', collect)
    .option('--unrequest <TC_ID>', 'no longer need this Trusted Component (UnrequestTA); repeatable; TEEP only', collect)
    .option('--once', 'one round, then exit with its outcome (the default)')
    .option('--poll <seconds>', 'repeat a policy check every SECONDS until interrupted (the first round carries the requests)')
    .option('--profile <profile>', 'TEEP wire numbering: draft-26 (default) or pre-26 (drafts -12..-25); TEEP only')
    .option('-v, --verbose', 'print every relayed message (direction, type, size, key fields)')
    .addHelpText(
      'after',
      '\nExamples:\n  otrp device run ./dev1 --tam http://127.0.0.1:8080/tam --request 8d82573a-926d-4754-9353-32dc29997f74\n' +
        '  otrp device run ./dev1 --tam http://127.0.0.1:8080/tam --poll 60\n' +
        '  otrp device run ./dev1 --tam http://127.0.0.1:8080/otrp --protocol otrp --once --verbose\n',
    )
    .action(async (dirArg: string, flags: RunFlags) => {
      if (flags.once && flags.poll !== undefined) throw new CliError('ERR_USAGE', '--once and --poll exclude each other');
      const protocol = flags.protocol ?? 'teep';
      if (protocol !== 'teep' && protocol !== 'otrp') throw new CliError('ERR_USAGE', '--protocol must be teep or otrp');
      const profile = flags.profile ?? 'draft-26';
      if (profile !== 'draft-26' && profile !== 'pre-26') throw new CliError('ERR_USAGE', '--profile must be draft-26 or pre-26');
      const pollSeconds = flags.poll === undefined ? undefined : Number(flags.poll);
      if (pollSeconds !== undefined && !(Number.isFinite(pollSeconds) && pollSeconds > 0)) throw new CliError('ERR_USAGE', '--poll needs a positive number of seconds');
      if (protocol === 'otrp') {
        const teepOnly = ['request', 'unrequest', 'profile'].filter((k) => flags[k as keyof RunFlags] !== undefined);
        if (teepOnly.length) throw new CliError('ERR_USAGE', `${teepOnly.map((k) => `--${k}`).join(', ')}: TEEP only, not with --protocol otrp`);
        const dev = await Device.open(resolve(dirArg));
        try {
          await runOtrpCommand(dev, { tam: flags.tam, ...(pollSeconds !== undefined && { pollSeconds }), ...(flags.verbose && { verbose: true }) });
        } finally {
          await dev.close();
        }
        return;
      }
      const request = (flags.request ?? []).map(parseTcId);
      const unrequest = (flags.unrequest ?? []).map(parseTcId);
      const onExchange = flags.verbose ? (x: BrokerExchange) => process.stdout.write(`${transcriptLine(x, profile)}\n`) : undefined;
      const options = { tamUri: flags.tam, request, unrequest, ...(onExchange && { broker: { onExchange } }) };

      const dev = await Device.open(resolve(dirArg), { profile });
      try {
        const report = { text: roundText, failure: roundFailure };
        if (pollSeconds === undefined) return await reportOnce(await runDeviceOnce(dev, options), report);
        await untilInterrupted((signal) => pollDevice(dev, { ...options, intervalMs: pollSeconds * 1000, signal, onRound: roundPrinter(report) }));
      } finally {
        await dev.close();
      }
    });
}
