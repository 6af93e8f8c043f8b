#!/usr/bin/env node
import { main } from './main.js';

// A reader that stops early (`otrp ... --help | head`) closes the pipe: stop quietly, as Unix tools
// do, instead of dying of an unhandled EPIPE with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

process.exitCode = await main(process.argv);
