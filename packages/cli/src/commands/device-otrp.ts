/**
 * `otrp device run DIR --tam URL --protocol otrp`: the OTrP Broker (draft-ietf-teep-otrp-over-http-02)
 * in the REE, the OTrP implementation (draft-ietf-teep-opentrustprotocol-03) in the TEE process. One
 * session per round: an empty POST opens it, the TAM's policy drives GetDeviceState and the SD/TA
 * commands, 204 ends it (@otrp/device runOtrpOnce).
 *
 * Exit codes:
 *   --once (default)  0: the session ended with an empty (204) response and the TEE reported no failure;
 *                     1: `error: CODE: message`: ERR_OTRP_ERROR_SENT (the TEE answered a request with
 *                        status "fail" and one of the draft's error codes), ERR_BROKER_* (HTTP/transport),
 *                        ERR_TEE_COMMAND_FAILED (the TEE could not answer at all, e.g. teeCode
 *                        ERR_OTRP_UNAVAILABLE on an Ed25519 device) or ERR_TEE_CRASHED.
 *   --poll SECONDS    a session every SECONDS until SIGINT / SIGTERM (then 0); exits 1 only if the TEE dies.
 *
 * Also the transcript line of one relayed OTrP message (`--verbose`, and `otrp demo --protocol otrp`).
 */
import { describeOtrpMessage, pollOtrpDevice, runOtrpOnce, type Device, type OtrpExchange, type OtrpRunResult, type OtrpTeeOutcome } from '@otrp/device';
import { CliError } from '../cli-error.js';
import { reportOnce, roundPrinter, untilInterrupted } from '../io.js';

type Change = OtrpTeeOutcome['changes'][number];

/** One change the TEE made, in words. */
export function otrpChangeText(c: Change): string {
  switch (c.action) {
    case 'sd-created':
      return `created SD ${c.sdname} (SP ${c.spid})`;
    case 'sd-updated':
      return `updated SD ${c.sdname} (SP ${c.spid})`;
    case 'sd-deleted':
      return `deleted SD ${c.sdname} (SP ${c.spid})`;
    case 'ta-installed':
      return `installed TA ${c.taid} in SD ${c.sdname}`;
    case 'ta-updated':
      return `updated TA ${c.taid} in SD ${c.sdname}`;
    case 'ta-deleted':
      return `deleted TA ${c.taid} from SD ${c.sdname}`;
  }
}

/**
 * One transcript line, e.g.
 * `device -> TAM  CreateSDResponse  1432 bytes  rid=.. tid=..  status=pass  [TEE: created SD sd.x (SP sp)]`.
 * What the REE can read of the signed message (rid, tid, status, a reason in the clear), and, for the
 * TEE's responses, what the TEE reported over the channel (its error code and changes: the content
 * itself is encrypted to the TAM).
 */
export function otrpTranscriptLine(x: OtrpExchange): string {
  const dir = x.direction === 'to-tam' ? 'device -> TAM' : 'TAM -> device';
  if (x.body === undefined || x.body.length === 0) {
    return `${dir}  ${x.direction === 'to-tam' ? '(empty POST: open session)' : '(204 No Content: session over)'}`;
  }
  const view = describeOtrpMessage(x.body);
  const parts = [view.name ?? 'undecodable message', `${x.body.length} bytes`, ...view.fields];
  if (x.tee) {
    if (x.tee.error) parts.push(`[TEE: ${x.tee.error} (${x.tee.errorCode ?? '?'})]`);
    else if (x.tee.changes.length) parts.push(`[TEE: ${x.tee.changes.map(otrpChangeText).join('; ')}]`);
  }
  return `${dir}  ${parts.join('  ')}`;
}

/** What a round did, one line per fact. */
export function otrpRoundText(r: OtrpRunResult): string {
  const lines = [`OTrP session with ${r.session.tamUri}: ${r.session.roundTrips} HTTP round trips`];
  for (const o of r.session.outcomes) {
    if (o.error) lines.push(`${o.request}: the TEE answered status fail, ${o.error} (${o.errorCode ?? '?'})`);
    else lines.push(`${o.request}: ${o.changes.length ? o.changes.map(otrpChangeText).join('; ') : 'answered'}`);
  }
  const tas = r.inventory.tas;
  lines.push(`OTrP TAs now: ${tas.length === 0 ? 'none' : tas.map((t) => `${t.taid} (SD ${t.sdname}, SP ${t.spid})`).join(', ')}`);
  return `${lines.join('\n')}\n`;
}

/** The error `--once` exits with when the TEE reported a failure (undefined when it did not). */
export function otrpRoundFailure(r: OtrpRunResult): CliError | undefined {
  const f = r.failures[0];
  if (!f) return undefined;
  return new CliError('ERR_OTRP_ERROR_SENT', `the TEE answered ${f.request} with ${f.error} (${f.errorCode ?? '?'})`);
}


export interface OtrpRunFlags {
  readonly tam: string;
  readonly pollSeconds?: number;
  readonly verbose?: boolean;
}

/** Runs `device run --protocol otrp` on an open device (see the module comment). */
export async function runOtrpCommand(dev: Device, flags: OtrpRunFlags): Promise<void> {
  const onExchange = flags.verbose ? (x: OtrpExchange) => process.stdout.write(`${otrpTranscriptLine(x)}\n`) : undefined;
  const options = { tamUri: flags.tam, ...(onExchange && { broker: { onExchange } }) };
  const report = { text: otrpRoundText, failure: otrpRoundFailure };
  if (flags.pollSeconds === undefined) return reportOnce(await runOtrpOnce(dev, options), report);
  const pollSeconds = flags.pollSeconds;
  await untilInterrupted((signal) => pollOtrpDevice(dev, { ...options, intervalMs: pollSeconds * 1000, signal, onRound: roundPrinter(report) }));
}
