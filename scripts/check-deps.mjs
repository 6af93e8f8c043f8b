#!/usr/bin/env node
// Dependency-direction check (STYLE.md "Dependency direction", DESIGN.md "Packages and layers").
//  * @otrp/core imports no node:* (or bare builtin) module and no other workspace package;
//  * inside core, a lower layer never imports a higher one:
//      wire  <-  cose, jose, pki  <-  suit, eat  <-  teep, otrp
//    (files directly under core/src, such as errors.ts, sit below every layer; index.ts above all);
//  * tam and device import only core; cli may import every package.
//  * each package's package.json lists the workspace packages it imports.
// Test files (*.test.ts) and test-support folders are exempt: they run under Node, not in a TEE.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative, resolve, dirname, sep } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const LAYER = { wire: 0, cose: 1, jose: 1, pki: 1, suit: 2, eat: 2, teep: 3, otrp: 3 };
const ALLOWED_WORKSPACE = {
  core: [],
  tam: ['@otrp/core'],
  device: ['@otrp/core'],
  cli: ['@otrp/core', '@otrp/tam', '@otrp/device'],
};
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const problems = [];

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name === 'test-support' || name === 'node_modules') continue;
      yield* walk(p);
    } else if (/\.(ts|mts)$/.test(name) && !/\.test\.ts$/.test(name) && !name.endsWith('.d.ts')) {
      yield p;
    }
  }
}

const IMPORT_RE = /(?:^|\n)\s*(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|[^.\w])import\s*\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;

function importsOf(file) {
  const text = readFileSync(file, 'utf8');
  const out = [];
  for (const m of text.matchAll(IMPORT_RE)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

// The layer of a file inside core/src: -1 for shared root files, Infinity for index.ts.
function layerOf(coreSrc, file) {
  const rel = relative(coreSrc, file).split(sep);
  if (rel.length === 1) return rel[0] === 'index.ts' ? Infinity : -1;
  const l = LAYER[rel[0]];
  if (l === undefined) problems.push(`${relative(root, file)}: folder '${rel[0]}' is not a known layer of core`);
  return l ?? Infinity;
}

for (const pkg of Object.keys(ALLOWED_WORKSPACE)) {
  const src = join(root, 'packages', pkg, 'src');
  const manifest = JSON.parse(readFileSync(join(root, 'packages', pkg, 'package.json'), 'utf8'));
  const declared = new Set(Object.keys(manifest.dependencies ?? {}));
  for (const file of walk(src)) {
    const where = relative(root, file);
    for (const spec of importsOf(file)) {
      if (spec.startsWith('@otrp/') || spec === 'otrp') {
        const name = spec.split('/').slice(0, 2).join('/');
        if (!ALLOWED_WORKSPACE[pkg].includes(name)) problems.push(`${where}: ${pkg} must not import ${spec}`);
        else if (!declared.has(name)) problems.push(`${where}: imports ${name}, which packages/${pkg}/package.json does not list`);
      }
      if (pkg === 'core') {
        if (builtins.has(spec) || spec.startsWith('node:')) problems.push(`${where}: core must not import '${spec}' (no I/O in core)`);
        if (spec.startsWith('.')) {
          const target = resolve(dirname(file), spec);
          const from = layerOf(src, file);
          const to = layerOf(src, target);
          if (to > from) problems.push(`${where}: a lower layer imports a higher one ('${spec}')`);
        }
      }
    }
  }
}

if (problems.length) {
  console.error(`dependency-direction check: ${problems.length} problem(s)`);
  for (const p of problems) console.error(`  - ${p}`);
  process.exit(1);
}
console.log('dependency-direction check: ok');
