/** A UUID command-line option (RFC 9562 text; dashes optional, any case) as its 16 bytes. */
import { CliError } from './cli-error.js';

/** undefined when the option was not given; ERR_USAGE when it is not a UUID. */
export function uuidOption(s: string | undefined, flag: string): Uint8Array | undefined {
  if (s === undefined) return undefined;
  const h = s.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(h)) throw new CliError('ERR_USAGE', `${flag} must be a UUID, e.g. fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe`);
  return new Uint8Array(Buffer.from(h, 'hex'));
}
