/** File, stream and process-signal helpers shared by the subcommands. */
import { readFile, writeFile } from 'node:fs/promises';
import { CliError, formatError } from './cli-error.js';

/** Reads a whole file, or standard input for `-` or no name. */
export async function readInput(file: string | undefined): Promise<Uint8Array> {
  if (file === undefined || file === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return new Uint8Array(Buffer.concat(chunks));
  }
  try {
    return new Uint8Array(await readFile(file));
  } catch (e) {
    throw new CliError('ERR_FILE_READ', `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { cause: e });
  }
}

/** Writes bytes or text to a file, or to standard output for `-` or no name. */
export async function writeOutput(file: string | undefined, data: Uint8Array | string): Promise<void> {
  if (file === undefined || file === '-') {
    await new Promise<void>((resolve, reject) => process.stdout.write(data, (err) => (err ? reject(err) : resolve())));
    return;
  }
  try {
    await writeFile(file, data);
  } catch (e) {
    throw new CliError('ERR_FILE_WRITE', `cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { cause: e });
  }
}

/**
 * Runs `fn` with a signal that SIGINT or SIGTERM aborts (a `--poll` loop ends cleanly, exit 0), and
 * removes the handlers afterwards.
 */
export async function untilInterrupted<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await fn(stop.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** How `otrp device run` reports a round of either protocol: its text, and the failure that makes it exit 1. */
export interface RoundReport<R> {
  readonly text: (result: R) => string;
  readonly failure: (result: R) => Error | undefined;
}

/** `--once`: prints the round, then throws its failure (the error line, exit 1). */
export async function reportOnce<R>(result: R, report: RoundReport<R>): Promise<void> {
  await writeOutput('-', report.text(result));
  const failure = report.failure(result);
  if (failure) throw failure;
}

/** `--poll`: the `onRound` callback printing each round with its time, and its failure or error line. */
export function roundPrinter<R>(report: RoundReport<R>): (round: { readonly n: number; readonly result?: R; readonly error?: unknown }) => void {
  return ({ n, result, error }) => {
    const failure = result === undefined ? undefined : report.failure(result);
    const text = result === undefined ? '' : report.text(result);
    process.stdout.write(`round ${n} at ${new Date().toISOString()}\n${text}${failure || error ? `${formatError(failure ?? error)}\n` : ''}`);
  };
}
