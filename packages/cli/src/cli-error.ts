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
