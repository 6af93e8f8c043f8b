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

/**
 * One line: `error: <CODE>: <message>`, the code of a CliError or core OtrpError (or of any error
 * with such a code, e.g. Node's); anything else is ERR_INTERNAL (main.ts prints it on exit 1). This
 * file does not import core, so that `otrp --version` loads none of it.
 */
export function formatError(e: unknown): string {
  const code: unknown = (e as { code?: unknown } | null | undefined)?.code;
  const message = e instanceof Error ? e.message : String(e);
  return `error: ${typeof code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(code) ? code : 'ERR_INTERNAL'}: ${oneLine(message)}`;
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}
