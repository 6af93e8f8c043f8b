/** Keeps foreign exceptions (WebCrypto DOMException, TypeError ...) from escaping the cose layer. */
import { isOtrpError } from '../errors.js';

/** Runs `fn`, turning anything that is not an OtrpError into `wrap(e)`. */
export function guard<T>(fn: () => T, wrap: (e: unknown) => Error): T {
  try {
    return fn();
  } catch (e) {
    throw isOtrpError(e) ? e : wrap(e);
  }
}

/** Async `guard`. */
export async function guardAsync<T>(fn: () => Promise<T>, wrap: (e: unknown) => Error): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw isOtrpError(e) ? e : wrap(e);
  }
}

