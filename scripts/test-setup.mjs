// Loaded into every test process by run-tests.mjs (--import). The property tests (fast-check) draw
// their cases from one fixed seed, so a run passes or fails the same way on every machine and CI
// never fails by the luck of the draw. OTRP_TEST_SEED=<integer> picks another seed; =random draws
// a new one per run (fast-check prints the seed of a failing case, to run it again).
import fc from 'fast-check';

const DEFAULT_SEED = 20261128;
const wanted = process.env.OTRP_TEST_SEED;
if (wanted !== 'random') {
  const seed = wanted === undefined || wanted === '' ? DEFAULT_SEED : Number(wanted);
  if (!Number.isSafeInteger(seed)) throw new Error(`OTRP_TEST_SEED must be an integer or 'random', not '${wanted}'`);
  fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
}
