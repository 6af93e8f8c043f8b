// Module customization hooks (they run on the loader's own thread): the log is written synchronously,
// so it is complete when the process exits.
import { appendFileSync } from 'node:fs';

let log;

export async function initialize(data) {
  log = data.log;
}

export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(log, `${resolved.url}\n`);
  return resolved;
}
