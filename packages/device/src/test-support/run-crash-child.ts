/** Runs crash-child.ts in a fresh Node process (same loader flags as this one) with OTRP_TEE_CRASH_AT. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./crash-child.ts', import.meta.url));

export interface ChildOutcome {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

export function runCrashChild(args: readonly string[], crashAt: string | undefined): Promise<ChildOutcome> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env['NODE_TEST_CONTEXT'];
  if (crashAt) env['OTRP_TEE_CRASH_AT'] = crashAt;
  else delete env['OTRP_TEE_CRASH_AT'];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, script, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}
