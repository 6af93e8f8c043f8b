import { isOtrpError } from '@otrp/core';

/** Errors of the CLI itself (files, arguments), with the same `code` shape as the core's OtrpError. */
export class CliError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CliError';
  }
}

/** One line: `error: <CODE>: <message>`; unexpected errors get ERR_INTERNAL (main.ts prints it on exit 1). */
export function formatError(e: unknown): string {
  if (isOtrpError(e) || e instanceof CliError) return `error: ${e.code}: ${oneLine(e.message)}`;
  const code = typeof (e as { code?: unknown })?.code === 'string' ? (e as { code: string }).code : 'ERR_INTERNAL';
  const message = e instanceof Error ? e.message : String(e);
  return `error: ${/^[A-Z][A-Z0-9_]+$/.test(code) ? code : 'ERR_INTERNAL'}: ${oneLine(message)}`;
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}
