/**
 * A child process for the kill tests: performs one storage operation, with OTRP_TEE_CRASH_AT (set by
 * the parent) killing it at a chosen step. Usage:
 *   crash-child.ts atomic <file> <text>     writeFileAtomic(file, text)
 *   crash-child.ts tc-install <teeDir>      installs tcFixture('new') over whatever is there
 */
import { writeFileAtomic } from '../tee/atomic-file.js';
import { SealedStorage } from '../tee/sealed-storage.js';
import { AgentTcStore } from '../agent/tc-store.js';
import { installFixture } from './tc-fixture.js';

const [mode, target, text] = process.argv.slice(2);
if (mode === 'atomic') {
  await writeFileAtomic(target!, new TextEncoder().encode(text!));
} else if (mode === 'tc-install') {
  const store = await AgentTcStore.open(await SealedStorage.open(target!));
  await installFixture(store, 'new');
} else {
  throw new Error(`unknown mode ${mode}`);
}
