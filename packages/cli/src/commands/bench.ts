/**
 * `otrp bench`: the fleet benchmark (bench/bench.ts). Standard output is the report, whose last line
 * is `ceiling <C>/s; achieved <A>/s (<P>% of ceiling); errors: <E>`; the progress display goes to
 * standard error. Exit 1 (ERR_BENCH_ERRORS) when any timed exchange failed.
 */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { runBench } from '../bench/bench.js';
import { CliError } from '../cli-error.js';
import { writeOutput } from '../io.js';

interface BenchFlags {
  scenario: string;
  devices: string;
  concurrency: string;
  duration: string;
  runs: string;
  tam?: string;
  pki?: string;
  data?: string;
  profileTam?: string;
}

function positiveInt(flag: string, value: string, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new CliError('ERR_USAGE', `${flag} needs a whole number from 1 to ${max}, not ${value}`);
  return n;
}

export function registerBench(program: Command): void {
  program
    .command('bench')
    .summary('fleet benchmark: simulated devices drive attested TEEP exchanges against a TAM over loopback HTTP')
    .description(
      'Drives complete attested TEEP exchanges over HTTP with many simulated Agents (in this process, in-memory ' +
        'TC stores) against a TAM. Without --tam it starts its own TAM as a separate process (SQLite, default ' +
        'settings, a new ESP256 PKI) and stops it at the end. Devices are enrolled before the timed window. ' +
        'install = QueryRequest, QueryResponse (EAT), Update (SUIT), Success, each on a device that lacks the TC; ' +
        'poll = a policy check that finds nothing to do. R runs of S seconds, then the median. The ceiling is ' +
        'cores / the single-core node:crypto time of the public-key operations counted per exchange (TAM and ' +
        'devices, certificate checks included). A TAM given with --tam must run with OTRP_COUNT_CRYPTO=1; --pki ' +
        'is its PKI directory (devices are enrolled into it) and --data its data directory (admin token).',
    )
    .option('--scenario <name>', 'install or poll', 'install')
    .option('--devices <n>', 'simulated devices (at least the concurrency)', '128')
    .option('--concurrency <n>', 'exchanges in flight', '32')
    .option('--duration <seconds>', 'length of each timed run', '10')
    .option('--runs <n>', 'timed runs; the median is reported', '3')
    .option('--tam <url>', 'a running TAM (base URL, TEEP at /tam) instead of an own one')
    .option('--pki <dir>', 'with --tam: the PKI directory the TAM uses')
    .option('--data <dir>', 'with --tam: the TAM data directory (admin-token)')
    .option('--profile-tam <dir>', 'write a V8 CPU profile of the own TAM process into this directory')
    .addHelpText('after', '\nExamples:\n  otrp bench\n  otrp bench --scenario poll --concurrency 8 --duration 5 --runs 1\n  OTRP_COUNT_CRYPTO=1 otrp tam serve --pki ./pki --data ./tam-data &\n  otrp bench --tam http://127.0.0.1:8443 --pki ./pki --data ./tam-data\n')
    .action(async (flags: BenchFlags) => {
      if (flags.scenario !== 'install' && flags.scenario !== 'poll') throw new CliError('ERR_USAGE', `--scenario must be install or poll, not ${flags.scenario}`);
      const devices = positiveInt('--devices', flags.devices, 100_000);
      const concurrency = positiveInt('--concurrency', flags.concurrency, 10_000);
      if (devices < concurrency) throw new CliError('ERR_USAGE', `--devices (${devices}) must be at least --concurrency (${concurrency}): one exchange per device at a time`);
      const durationSeconds = positiveInt('--duration', flags.duration, 3600);
      const runs = positiveInt('--runs', flags.runs, 100);
      if (flags.tam !== undefined && (flags.pki === undefined || flags.data === undefined)) throw new CliError('ERR_USAGE', '--tam needs --pki and --data of that TAM');
      if (flags.tam === undefined && (flags.pki !== undefined || flags.data !== undefined)) throw new CliError('ERR_USAGE', '--pki and --data go with --tam');
      const summary = await runBench(
        {
          scenario: flags.scenario,
          devices,
          concurrency,
          durationSeconds,
          runs,
          ...(flags.tam !== undefined && { tam: { url: flags.tam, pkiDir: resolve(flags.pki!), dataDir: resolve(flags.data!) } }),
          ...(flags.profileTam !== undefined && { profileTamDir: resolve(flags.profileTam) }),
        },
        (line) => void writeOutput('-', `${line}\n`),
      );
      // After the report: its last line stays the ceiling line, the error line goes to standard error.
      if (summary.errors > 0) throw new CliError('ERR_BENCH_ERRORS', `${summary.errors} timed exchange${summary.errors === 1 ? '' : 's'} failed`);
    });
}
