/**
 * The kill test (issue 6): the TEE process is SIGKILLed at every step of an update, i.e. before and
 * after each write, fsync, rename and directory fsync of every atomic file write the update makes
 * (OTRP_TEE_CRASH_AT=<step>:<n> in the TEE process's environment), and at a few seeded random
 * moments (`otrp device run` and its TEE process killed together from outside). The points of the
 * last step are run through `otrp device run` from the built CLI (the variable reaches the TEE it
 * forks); the others drive the built @otrp/device directly (REE in this process, TEE in its own),
 * which is the same code minus one process start per point. After each crash a new TEE process must find either the old TC (sequence 1) or the
 * new one (sequence 2), whole, never a mix; then a policy check against the same TAM must succeed
 * and leave the new version installed.
 *
 * One TAM and one provisioned device (v1 installed) serve the whole test; every crash point works
 * on a copy of that device's directory (copying the directory copies the device).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { toHex } from '@otrp/core';
import { CRASH_STEPS } from '@otrp/device';
import { CLI_BIN, startTam, uploadTc } from '../tam/support/server.js';
import { deviceInit, deviceRun, errorCode, makePki, makeTcRelease, seqsAfter, setPolicy, tcComponentId } from './support/world.js';

/**
 * The BUILT @otrp/device (typed as its sources): its TEE process is the built tee-main.js, as under
 * `otrp device run`, and starts without a TypeScript loader, which keeps this test's time sane.
 */
const DEVICE_DIST = fileURLToPath(new URL('../../packages/device/dist/index.js', import.meta.url));
const { Device, runDeviceOnce } = (await import(pathToFileURL(DEVICE_DIST).href)) as typeof import('@otrp/device');

const idText = (id: readonly Uint8Array[]) => id.map(toHex).join('/');

/** Checks the store of the device in `dir` with a fresh TEE process, then runs a policy check. */
async function verifyAndRecover(dir: string, tamUri: string, label: string): Promise<1 | 2> {
  const device = await Device.open(dir);
  try {
    const before = await device.listInstalled();
    assert.equal(before.length, 1, `${label}: ${before.length} TCs installed`);
    const tc = before[0]!;
    const seq = Number(tc.sequenceNumber);
    assert.ok(seq === 1 || seq === 2, `${label}: sequence ${seq}`);
    assert.deepEqual(tc.componentIds.map(idText), [idText(tcComponentId())], `${label}: components`);
    const check = await runDeviceOnce(device, { tamUri });
    assert.equal(check.ok, true, `${label}: policy check ${JSON.stringify(check.events)}`);
    assert.deepEqual(check.installed.map((t) => Number(t.sequenceNumber)), [2], `${label}: after the policy check`);
    return seq as 1 | 2;
  } finally {
    await device.close();
  }
}

/** A small deterministic PRNG (mulberry32), so that the random points are the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `otrp device run` (policy check) killed, with its TEE process, `ms` after it started. */
function runKilledAfter(dir: string, tamUrl: string, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    // Its own process group, so that one signal reaches the REE and the TEE it forks.
    const child = spawn(process.execPath, [CLI_BIN, 'device', 'run', dir, '--tam', `${tamUrl}/tam`, '--once'], { stdio: 'ignore', detached: true });
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone: the run finished before the chosen moment
      }
    }, ms);
    child.on('error', reject);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

test('kill test: the TEE killed at every step of an update and at random moments; old or new, never a mix', { timeout: 600_000 }, async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'otrp-e2e-kill-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const pkiDir = join(root, 'pki');
  const pki = await makePki(pkiDir);
  const tam = await startTam({ pkiDir, dataDir: join(root, 'data') });
  t.after(() => tam.stop());
  const template = join(root, 'template');
  await deviceInit(template, pkiDir, 'kill');
  const tcId = (await uploadTc(tam.url, tam.token, await makeTcRelease(pki.signer, 1))).json.id as string;
  await setPolicy(tam.url, tam.token, tcId, 'required');
  const v1 = await deviceRun(template, tam.url);
  assert.equal(v1.code, 0, v1.stderr);
  assert.deepEqual(seqsAfter(v1), [1]);
  assert.equal((await uploadTc(tam.url, tam.token, await makeTcRelease(pki.signer, 2, undefined, 'a different TA binary, version 2 '.repeat(50)))).status, 200);

  let copies = 0;
  const copy = async () => {
    const dir = join(root, `d${++copies}`);
    await cp(template, dir, { recursive: true });
    return dir;
  };
  const outcomes = new Map<string, number>();
  const note = (k: string) => outcomes.set(k, (outcomes.get(k) ?? 0) + 1);

  /** One crash point on a fresh copy: the run must die with the TEE, the store must be old or new. */
  const crashAt = async (label: string, via: 'cli' | 'api'): Promise<boolean> => {
    const dir = await copy();
    try {
      if (via === 'cli') {
        const r = await deviceRun(dir, tam.url, [], { OTRP_TEE_CRASH_AT: label });
        if (r.code === 0) return false; // the point was not reached
        assert.equal(errorCode(r), 'ERR_TEE_CRASHED', `${label}: ${r.stderr}`);
      } else {
        const device = await Device.open(dir, { env: { OTRP_TEE_CRASH_AT: label } });
        try {
          await assert.rejects(runDeviceOnce(device, { tamUri: `${tam.url}/tam` }), { code: 'ERR_TEE_CRASHED' }, label);
        } finally {
          await device.close();
        }
      }
      note(`crash->v${await verifyAndRecover(dir, `${tam.url}/tam`, label)}`);
      return true;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };

  // How many atomic writes an update makes: crash at the last step of write n = 1, 2, ... until a
  // run completes without reaching it (each of these is a crash point too).
  const last = CRASH_STEPS[CRASH_STEPS.length - 1]!;
  let writes = 0;
  while (await crashAt(`${last}:${writes + 1}`, 'cli')) writes++;
  assert.ok(writes >= 3, `an update makes several writes (${writes})`);
  // Every other step of every write, two copies at a time.
  const points = CRASH_STEPS.slice(0, -1).flatMap((step) => Array.from({ length: writes }, (_, i) => `${step}:${i + 1}`));
  const queue = [...points];
  await Promise.all([0, 1].map(async () => {
    for (let p = queue.shift(); p !== undefined; p = queue.shift()) assert.equal(await crashAt(p, 'api'), true, `${p} was not reached`);
  }));
  assert.equal((outcomes.get('crash->v1') ?? 0) + (outcomes.get('crash->v2') ?? 0), CRASH_STEPS.length * writes);

  // Seeded random moments within the time a clean update run takes.
  const started = Date.now();
  const clean = await deviceRun(await copy(), tam.url);
  assert.equal(clean.code, 0, clean.stderr);
  const span = Date.now() - started;
  const random = prng(0x0172e6);
  for (let i = 0; i < 3; i++) {
    const dir = await copy();
    const ms = Math.floor(span * (0.5 + 0.5 * random()));
    await runKilledAfter(dir, tam.url, ms);
    note(`random->v${await verifyAndRecover(dir, `${tam.url}/tam`, `random kill after ${ms} ms`)}`);
    await rm(dir, { recursive: true, force: true });
  }
  t.diagnostic(`${writes} atomic writes per update; outcomes ${JSON.stringify(Object.fromEntries(outcomes))}`);
  // Crashes landed on both sides of the commit point (the index rename).
  assert.ok(outcomes.get('crash->v1')! > 0 && outcomes.get('crash->v2')! > 0);
});
