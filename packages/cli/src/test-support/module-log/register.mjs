// `node --import <this file>`: appends the URL of every ES module the process resolves to the file
// named by OTRP_MODULE_LOG, one per line (main.test.ts checks which modules a command loads).
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url, { data: { log: process.env.OTRP_MODULE_LOG } });
