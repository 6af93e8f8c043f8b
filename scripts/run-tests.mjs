#!/usr/bin/env node
// Runs every *.test.ts through Node's built-in runner. Node 20 has no test globs and runs zero tests,
// successfully, when given no files; so the list is built here and an empty list is an error.
// Usage: node scripts/run-tests.mjs [substring filter ...]
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const roots = ['packages', 'tests'].map((d) => join(root, d)).filter(existsSync);

function* walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    if (name === 'node_modules' || name === 'dist') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else if (name.endsWith('.test.ts')) yield relative(root, p);
  }
}

const filters = process.argv.slice(2);
const files = roots.flatMap((r) => [...walk(r)]).filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)));
if (files.length === 0) {
  console.error('run-tests: no test files found' + (filters.length ? ` matching ${filters.join(', ')}` : ''));
  process.exit(1);
}
console.log(`run-tests: ${files.length} test files`);
// Many test files mostly wait on child processes (TAM, TEE, CLI) and databases, so two files run at
// once even on 2 cores; OTRP_TEST_CONCURRENCY overrides (1 = one file at a time).
const concurrency = process.env.OTRP_TEST_CONCURRENCY ?? '2';
if (!/^[1-9][0-9]*$/.test(concurrency)) {
  console.error(`run-tests: OTRP_TEST_CONCURRENCY must be a positive integer, not '${concurrency}'`);
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--import', './scripts/test-setup.mjs', '--conditions=development', '--test', `--test-concurrency=${concurrency}`, ...files], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
