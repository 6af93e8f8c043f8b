#!/usr/bin/env node
// Store-only replay of TEEP install exchanges (packages/tam/src/store/replay.ts), from the built
// output: the TAM store's CPU per exchange without HTTP or crypto, steadier than `npm run bench`
// for comparing store changes build against build (run it from two checkouts, alternating).
// Usage: npm run bench:store -- [--exchanges N] [--warmup N]
// It writes into a new SQLite file in a temporary directory (the TAM's default settings), removed after.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { parseArgs } from 'node:util';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
let args;
try {
  args = parseArgs({ options: { exchanges: { type: 'string', default: '3000' }, warmup: { type: 'string', default: '600' } } }).values;
} catch (e) {
  console.error(`store-replay: ${e.message}`);
  process.exit(2);
}
const count = (name) => {
  const v = args[name];
  if (!/^[0-9]{1,7}$/.test(v)) {
    console.error(`store-replay: --${name} must be a whole number, not '${v}'`);
    process.exit(2);
  }
  return Number(v);
};
const exchanges = count('exchanges');
const warmup = count('warmup');
// As the fleet bench has them (BENCHMARKS.md).
const devices = 128;
const tcs = 30;

const { openStore } = await import(join(root, 'packages/tam/dist/store/open-store.js'));
const { replayInstallExchanges } = await import(join(root, 'packages/tam/dist/store/replay.js'));
const dir = mkdtempSync(join(tmpdir(), 'otrp-store-replay-'));
const store = openStore(`sqlite:${join(dir, 'tam.db')}`);
try {
  await store.init();
  const r = await replayInstallExchanges(store, { devices, tcs, warmup, exchanges });
  console.log(`store replay (${store.backend}): ${r.exchanges} install exchanges after ${warmup} warm-up, ${devices} devices, ${tcs} TCs: ` +
    `CPU ${r.cpuMsPerExchange.toFixed(3)} ms per exchange, wall ${r.wallMsPerExchange.toFixed(3)} ms`);
} catch (e) {
  console.error(`store-replay: ${e.code ?? 'error'}: ${e.message}`);
  process.exitCode = 1;
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
