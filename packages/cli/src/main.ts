/**
 * The `otrp` command. Each subcommand lives in its own file under commands/ and registers itself on
 * the program; this file owns the one mapping from errors to exit codes:
 *   exit 0 on success; exit 1 with one line `error: <CODE>: <message>` on stderr on any failure
 *   (a usage error is ERR_USAGE), never a stack trace unless `--debug` is given.
 */
import { Command, CommanderError } from 'commander';
import { isOtrpError } from '@otrp/core';
import { CliError } from './cli-error.js';
import { version } from './version.js';
// ---- command modules (one import per file under commands/) ----
import { registerPki } from './commands/pki.js';
import { registerTeep } from './commands/teep.js';
import { registerDecode } from './commands/decode.js';
import { registerEncode } from './commands/encode.js';
import { registerSuit } from './commands/suit.js';
import { registerTam } from './commands/tam.js';
import { registerOtrp } from './commands/otrp.js';
import { registerBench } from './commands/bench.js';
import { registerDevice } from './commands/device.js';
import { registerDemo } from './commands/demo.js';

export function buildProgram(): Command {
  const program = new Command('otrp')
    .description('Open Trust Protocol (OTrP) and TEEP: TAM server, simulated TEE device, PKI, SUIT and COSE tools')
    .version(version, '-V, --version', 'print the version and exit')
    .option('--debug', 'show stack traces of errors')
    .configureOutput({ outputError: () => {} }) // main() prints the one error line itself
    .exitOverride();
  // ---- command registration (one line per command module) ----
  registerPki(program);
  registerTeep(program);
  registerDecode(program);
  registerEncode(program);
  registerSuit(program);
  registerTam(program);
  registerOtrp(program);
  registerBench(program);
  registerDevice(program);
  registerDemo(program);
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
    await buildProgram().parseAsync(argv);
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

/** One line: `error: <CODE>: <message>`; unexpected errors get ERR_INTERNAL. */
export function formatError(e: unknown): string {
  if (isOtrpError(e) || e instanceof CliError) return `error: ${e.code}: ${oneLine(e.message)}`;
  const code = typeof (e as { code?: unknown })?.code === 'string' ? (e as { code: string }).code : 'ERR_INTERNAL';
  const message = e instanceof Error ? e.message : String(e);
  return `error: ${/^[A-Z][A-Z0-9_]+$/.test(code) ? code : 'ERR_INTERNAL'}: ${oneLine(message)}`;
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}
