#!/usr/bin/env node
// tsc does not keep the executable bit; npm links node_modules/.bin/otrp to this file at install time,
// before the first build exists, so the build makes it executable.
import { chmodSync, existsSync } from 'node:fs';

const bin = new URL('../packages/cli/dist/bin.js', import.meta.url);
if (existsSync(bin)) chmodSync(bin, 0o755);
