/**
 * `otrp bench`: the fleet benchmark (issue 6 "Demo and benchmark").
 *
 *   setup (not timed)  PKI (own TAM: a new ESP256 one), the TAM (own process unless --tam), N devices
 *                      enrolled, a TC every device installs once (registers it with the TAM, warms up),
 *                      for install the rollout pool of TCs uploaded
 *   R timed runs       C workers driving whole exchanges for S seconds each; operation counts of the
 *                      TAM (its /admin/v1/crypto-operations) and of the devices taken around each run
 *   ceiling            counts per exchange priced with node:crypto (ceiling.ts), and what the same
 *                      operations took inside the processes during the runs
 *   report             the last line: `ceiling <C>/s; achieved <A>/s (<P>% of ceiling); errors: <E>`
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError } from '../cli-error.js';
import { computeCeiling, formatCeilingTable, formatInProcessCost, inProcessCost } from './ceiling.js';
import { addTallyDelta, cryptoCensus, emptyTally, tallyOf, type OperationTally } from './crypto-census.js';
import { buildTc, createFleetPki, enrolDevice, loadFleetPki, type FleetPki } from './fleet.js';
import { bar, createProgress } from './progress.js';
import { simulateDevice, type SimDevice } from './sim-agent.js';
import { setPolicy, startOwnTam, linkExternalTam, tamOperations, uploadTc, type TamLink } from './tam-link.js';
import { median, timedRun, type RunResult } from './timed-run.js';
import { installWorkload, pollWorkload, type RolloutControl, type Scenario, type TcRelease } from './workload.js';

export interface BenchOptions {
  readonly scenario: Scenario;
  readonly devices: number;
  readonly concurrency: number;
  readonly durationSeconds: number;
  readonly runs: number;
  /** An already running TAM, with the PKI directory it uses and its data directory (admin token). */
  readonly tam?: { readonly url: string; readonly pkiDir: string; readonly dataDir: string };
  /** Write a V8 CPU profile of the bench's own TAM into this directory. */
  readonly profileTamDir?: string;
}

export interface BenchSummary {
  readonly ceiling: number;
  readonly achieved: number;
  readonly percent: number;
  readonly errors: number;
}

/** CPU milliseconds (user + system) of a process, from /proc on Linux; undefined elsewhere. */
async function processCpuMs(pid: number | undefined): Promise<number | undefined> {
  if (pid === undefined) return undefined;
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[11], fields[12]: utime, stime in clock ticks (USER_HZ, 100 on Linux).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

/** Exchanges per second the TC pool of the first install run is sized for, at least (see topUp). */
const FIRST_RUN_RATE_GUESS = 200;

const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : 'inf');

export async function runBench(o: BenchOptions, out: (line: string) => void): Promise<BenchSummary> {
  const progress = createProgress();
  const census = cryptoCensus();
  const work = await mkdtemp(join(tmpdir(), 'otrp-bench-'));
  let tam: TamLink | undefined;
  try {
    const cores = availableParallelism();
    out(`otrp bench: scenario ${o.scenario}, ${o.devices} devices, concurrency ${o.concurrency}, ${o.runs} runs of ${o.durationSeconds} s, ESP256`);
    out(`machine: ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${cores} cores, Node ${process.version}, ${process.platform} ${process.arch}; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}; ${new Date().toISOString()}`);

    // ---- setup: nothing here is timed ----
    let pki: FleetPki;
    if (o.tam) {
      pki = await loadFleetPki(o.tam.pkiDir);
      tam = await linkExternalTam(o.tam.url, o.tam.dataDir);
      out(`TAM: ${tam.url} (running elsewhere)`);
    } else {
      pki = await createFleetPki(join(work, 'pki'), 'https://tam.example/tam');
      tam = await startOwnTam(pki.dir, join(work, 'data'), o.profileTamDir ? ['--cpu-prof', '--cpu-prof-dir', o.profileTamDir] : []);
      out(`TAM: ${tam.url} (own process${tam.pid !== undefined ? ` ${tam.pid}` : ''}, SQLite, default settings)`);
    }
    await tamOperations(tam); // fails early when the TAM does not count
    const tamUrl = `${tam.url}/tam`;
    const runId = Math.random().toString(36).slice(2, 8);

    let t0 = performance.now();
    const devices: SimDevice[] = [];
    for (let i = 0; i < o.devices; i++) {
      devices.push(simulateDevice(await enrolDevice(pki, `bench-${runId}-${String(i).padStart(5, '0')}`), pki, census.provider));
      progress.update(`enrolling devices ${bar((i + 1) / o.devices)} ${i + 1}/${o.devices}`);
    }
    progress.done(`enrolled ${o.devices} devices in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const pool: TcRelease[] = [];
    const grow = async () => {
      const name = `bench-${runId}-tc-${pool.length}`;
      pool.push({ name, id: await uploadTc(tam!, await buildTc(pki.signer, name), name) });
    };
    await grow();
    await setPolicy(tam, pool[0]!.id, 'required');
    // Every device installs the first TC once: the TAM registers it, both sides warm up.
    t0 = performance.now();
    const rollout: RolloutControl = { pool, current: 0, grow, setPolicy: (id, a) => setPolicy(tam!, id, a), uploadsInWindow: 0 };
    const warm = await timedRun({
      tamUrl,
      workload: installWorkload(devices, { ...rollout, grow: async () => { throw new Error('setup: the first TC is enough'); } }),
      concurrency: o.concurrency,
      limit: o.devices,
      onProgress: (p) => progress.update(`setup: first install on every device ${bar(p.exchanges / o.devices)} ${p.exchanges}/${o.devices}`),
    });
    const warmRate = warm.exchanges / ((performance.now() - t0) / 1000);
    progress.done(`setup: ${warm.exchanges} first installs at ${fmt(warmRate)}/s, errors ${warm.errors}`);
    if (warm.errors > 0) throw new CliError('ERR_BENCH_SETUP', `setup exchanges failed: ${warm.samples.join('; ')}`);

    // install: enough TCs in the pool for the next run, uploaded before its window: the TAM's upload
    // check is public-key work too, and must not land in the counts. Sized from the last rate seen.
    // The first installs run far slower than the timed exchanges (every device is new to the TAM): a
    // pool sized from their rate ran out inside the first window. At least FIRST_RUN_RATE_GUESS/s.
    let lastRate = Math.max(warmRate, FIRST_RUN_RATE_GUESS);
    const topUp = async () => {
      if (o.scenario !== 'install') return;
      const needed = rollout.current + Math.ceil((Math.max(lastRate, 1) * 2 * o.durationSeconds) / o.devices) + 2;
      const before = pool.length;
      while (pool.length <= needed) {
        await grow();
        progress.update(`uploading TCs for the rollout ${bar((pool.length - before) / (needed + 1 - before))} ${pool.length - before}/${needed + 1 - before}`);
      }
      if (pool.length > before) progress.done(`uploaded ${pool.length - before} TCs for the rollout (${pool.length - rollout.current - 1} ahead)`);
    };
    const workload = o.scenario === 'install' ? installWorkload(devices, rollout) : pollWorkload(devices);

    // ---- the timed runs ----
    const results: RunResult[] = [];
    let tamOps: OperationTally = emptyTally;
    let deviceOps: OperationTally = emptyTally;
    let tamCpuMs: number | undefined = 0;
    let benchCpuMs = 0;
    for (let r = 1; r <= o.runs; r++) {
      await topUp();
      const tamBefore = await tamOperations(tam);
      const localBefore = tallyOf(census);
      const tamCpuBefore = await processCpuMs(tam.pid);
      const benchCpuBefore = process.cpuUsage();
      const label = `run ${r}/${o.runs}`;
      const res = await timedRun({
        tamUrl,
        workload,
        concurrency: o.concurrency,
        durationMs: o.durationSeconds * 1000,
        onProgress: (p) => {
          const s = (performance.now() - p.startedAt) / 1000;
          progress.update(`${label} ${bar(s / o.durationSeconds)} ${s.toFixed(1)} s  ${p.exchanges} exchanges  ${fmt(p.exchanges / Math.max(s, 0.001))}/s  errors ${p.errors}`);
        },
      });
      const benchCpu = process.cpuUsage(benchCpuBefore);
      benchCpuMs += (benchCpu.user + benchCpu.system) / 1000;
      const tamCpuAfter = await processCpuMs(tam.pid);
      tamCpuMs = tamCpuMs !== undefined && tamCpuBefore !== undefined && tamCpuAfter !== undefined ? tamCpuMs + tamCpuAfter - tamCpuBefore : undefined;
      deviceOps = addTallyDelta(deviceOps, tallyOf(census), localBefore);
      tamOps = addTallyDelta(tamOps, await tamOperations(tam), tamBefore);
      results.push(res);
      lastRate = res.inWindow / res.seconds;
      progress.done(`${label}: ${res.inWindow} exchanges in ${res.seconds} s`);
      out(`run ${r}: ${res.inWindow} exchanges in ${res.seconds} s = ${fmt(res.inWindow / res.seconds)}/s (${res.exchanges - res.inWindow} finished after the window), errors ${res.errors}; bench CPU ${((benchCpu.user + benchCpu.system) / 1000 / Math.max(res.exchanges, 1)).toFixed(2)} ms per exchange`);
      for (const s of res.samples) out(`  error: ${s}`);
    }
    if (rollout.uploadsInWindow > 0) out(`note: ${rollout.uploadsInWindow} TC uploads happened inside timed windows (the pool ran out); their TAM work is in the counts`);

    const rates = results.map((x) => x.inWindow / x.seconds);
    const achieved = median(rates);
    const exchanges = results.reduce((t, x) => t + x.exchanges, 0);
    const errors = results.reduce((t, x) => t + x.errors, 0);
    out(`median: ${fmt(achieved)}/s over ${o.runs} run${o.runs === 1 ? '' : 's'} (${rates.map(fmt).join(', ')})`);
    if (exchanges === 0) throw new CliError('ERR_BENCH_NO_EXCHANGES', 'no exchange completed');
    out(`CPU per exchange: ${tamCpuMs !== undefined ? `TAM process ${(tamCpuMs / exchanges).toFixed(2)} ms, ` : ''}bench process (devices and load generator) ${(benchCpuMs / exchanges).toFixed(2)} ms`);

    // ---- the ceiling, priced on one core while nothing else runs ----
    progress.done('timing public-key operations with node:crypto ...');
    const c = computeCeiling({ tam: tamOps.counts, devices: deviceOps.counts }, exchanges, cores);
    out(`public-key operations per exchange, counted over ${exchanges} exchanges, priced with node:crypto on one core:`);
    for (const line of formatCeilingTable(c)) out(line);
    out(`ceiling = ${cores} cores / ${fmt(c.microsPerExchange)} µs per exchange`);
    out(formatInProcessCost(inProcessCost(c, { tam: tamOps.micros, devices: deviceOps.micros }, exchanges), c));
    const percent = (achieved / c.ceiling) * 100;
    out(`ceiling ${fmt(c.ceiling)}/s; achieved ${fmt(achieved)}/s (${fmt(percent)}% of ceiling); errors: ${errors}`);
    return { ceiling: c.ceiling, achieved, percent, errors };
  } finally {
    await tam?.stop();
    await rm(work, { recursive: true, force: true });
  }
}
