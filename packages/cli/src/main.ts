/**
 * The `otrp` command. Each subcommand lives in its own file under commands/ and registers itself on
 * the program; this file owns the one mapping from errors to exit codes:
 *   exit 0 on success; exit 1 with one line `error: <CODE>: <message>` on stderr on any failure
 *   (a usage error is ERR_USAGE), never a stack trace unless `--debug` is given.
 */
import { Command, CommanderError } from 'commander';
import { formatError } from './cli-error.js';
import { version } from './version.js';

export { formatError };

/**
 * The top-level commands, in help order, each with the module that registers it. Only the module of
 * the command being run is loaded (the TAM's server stack alone takes half a second to import, and
 * `otrp device run` or `otrp pki` need none of it); help, a bare `otrp` and unknown commands load all,
 * `otrp --version` none.
 */
// ---- command modules (one line per file under commands/) ----
const COMMANDS: readonly (readonly [string, () => Promise<(program: Command) => void>])[] = [
  ['pki', async () => (await import('./commands/pki.js')).registerPki],
  ['teep', async () => (await import('./commands/teep.js')).registerTeep],
  ['decode', async () => (await import('./commands/decode.js')).registerDecode],
  ['encode', async () => (await import('./commands/encode.js')).registerEncode],
  ['suit', async () => (await import('./commands/suit.js')).registerSuit],
  ['tam', async () => (await import('./commands/tam.js')).registerTam],
  ['otrp', async () => (await import('./commands/otrp.js')).registerOtrp],
  ['bench', async () => (await import('./commands/bench.js')).registerBench],
  ['device', async () => (await import('./commands/device.js')).registerDevice],
  ['demo', async () => (await import('./commands/demo.js')).registerDemo],
];

/** The command named by `argv` (as process.argv): its first word that is not an option. */
function commandOf(argv: readonly string[]): string | undefined {
  return argv.slice(2).find((a) => !a.startsWith('-'));
}

/** The program with every command, or with only the one `argv` runs when it names a known command. */
export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command('otrp')
    .description('Open Trust Protocol (OTrP) and TEEP: TAM server, simulated TEE device, PKI, SUIT and COSE tools')
    .version(version, '-V, --version', 'print the version and exit')
    .option('--debug', 'show stack traces of errors')
    .configureOutput({ outputError: () => {} }) // main() prints the one error line itself
    .exitOverride();
  const wanted = commandOf(argv);
  const versionOnly = wanted === undefined && argv.some((a) => a === '-V' || a === '--version');
  const known = COMMANDS.filter(([name]) => name === wanted);
  const chosen = versionOnly ? [] : known.length > 0 ? known : COMMANDS;
  for (const register of await Promise.all(chosen.map(([, load]) => load()))) register(program);
  quiet(program);
  return program;
}

/** Every (sub)command throws instead of exiting, and leaves printing the error line to main(). */
function quiet(command: Command): void {
  for (const c of command.commands) {
    c.exitOverride().configureOutput({ outputError: () => {} });
    quiet(c);
  }
}

/** Runs the CLI with `argv` (as process.argv) and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const debug = argv.includes('--debug');
  try {
    await (await buildProgram(argv)).parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end with a CommanderError too, with exit code 0; commander already
      // printed its usage message for real usage errors.
      if (e.exitCode === 0) return 0;
      process.stderr.write(`error: ERR_USAGE: ${e.message.replace(/^error: /, '')} (see otrp --help)\n`);
      return 1;
    }
    process.stderr.write(`${formatError(e)}\n`);
    if (debug && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
    return 1;
  }
}
