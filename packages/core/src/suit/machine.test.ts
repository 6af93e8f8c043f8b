/**
 * Interpreter semantics (manifest-37 §6.4-6.6, §8.4.10; trust-domains-12 §5.3, §5.6, §6) on small
 * hand-made manifests in unsigned envelopes (digest only, accepted with allowUnsigned).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeCbor } from '../wire/cbor.js';
import type { CborValue } from '../wire/cbor-value.js';
import { assembleEnvelope, signEnvelope } from './sign-envelope.js';
import { processEnvelope } from './processor.js';
import type { SuitProcessOptions } from './processor-types.js';
import { computeDigest, encodeDigest } from './digest.js';
import { bstrWrap } from './cbor-util.js';
import { webCryptoProvider } from '../cose/webcrypto-provider.js';
import { MemoryStorage, text, keys } from './test-support/fixtures.js';

const m = (entries: [number, CborValue][]) => new Map<CborValue, CborValue>(entries);
const seq = (...items: CborValue[]) => encodeCbor(items);
const A = text('A');
const B = text('B');

/**
 * A manifest with these sections. With several components, a sequence that does not name its
 * component starts with set-component-index 0 here (manifest-37 §6.2 requires the index first).
 */
function manifest(sections: [number, CborValue[]][], components: Uint8Array[][] = [[A], [B], [text('C')]], extraCommon: [number, CborValue][] = [], sharedSeq?: CborValue[]) {
  const indexed = (items: CborValue[]) => (components.length > 1 && items[0] !== 12 ? [12, 0, ...items] : items);
  const common = m([[2, components], ...extraCommon]);
  if (sharedSeq) common.set(4, seq(...indexed(sharedSeq)));
  return encodeCbor(m([[1, 1], [2, 1], [3, encodeCbor(common)], ...sections.map(([k, v]) => [k, seq(...indexed(v))] as [number, CborValue])]));
}

async function run(man: Uint8Array, extra: Partial<SuitProcessOptions> = {}, integrated?: Map<string, Uint8Array>) {
  const storage = new MemoryStorage();
  const r = await processEnvelope(await assembleEnvelope({ manifest: man, ...(integrated ? { integrated } : {}) }), { trust: { allowUnsigned: true }, storage, ...extra });
  return { r, storage };
}

const content = (s: string) => m([[18, text(s)]]);

test('set-component-index true and [list]: commands run once per listed component', async () => {
  const { r, storage } = await run(manifest([[20, [12, true, 20, content('all'), 18, 0, 12, [0, 2], 20, content('some'), 18, 0]]]));
  assert.equal(r.ok, true);
  assert.deepEqual(storage.get('A'), text('some'));
  assert.deepEqual(storage.get('B'), text('all'));
  assert.deepEqual(storage.get('C'), text('some'));
});

test('component index out of range: ERR_SUIT_COMPONENT_UNSUPPORTED', async () => {
  const { r, storage } = await run(manifest([[20, [12, 5, 20, content('x'), 18, 0]]]));
  assert.equal(!r.ok && r.error.code, 'ERR_SUIT_COMPONENT_UNSUPPORTED');
  assert.equal(storage.writes, 0);
});

test('try-each: first alternative whose conditions hold wins; all failing is ERR_SUIT_TRY_EACH_FAILED unless nil ends the list', async () => {
  const alt1 = seq(14, 0, 20, content('one'), 18, 0);
  const alt2 = seq(20, content('two'), 18, 0);
  const ok = await run(manifest([[20, [15, [alt1, alt2]]]]));
  assert.equal(ok.r.ok, true);
  assert.deepEqual(ok.storage.get('A'), text('two'));
  const none = await run(manifest([[20, [15, [alt1, alt1]]]]));
  assert.equal(!none.r.ok && none.r.error.code, 'ERR_SUIT_TRY_EACH_FAILED');
  const nil = await run(manifest([[20, [15, [alt1, alt1, null], 20, content('after'), 18, 0]]]));
  assert.equal(nil.r.ok, true);
  assert.deepEqual(nil.storage.get('A'), text('after'));
});

test('a directive failure inside try-each aborts everything (only conditions are soft)', async () => {
  const alt1 = seq(22, 0); // copy without source-component: parameter missing (a directive failure)
  const alt2 = seq(20, content('two'), 18, 0);
  const { r } = await run(manifest([[20, [15, [alt1, alt2]]]]));
  assert.equal(!r.ok && r.error.code, 'ERR_SUIT_PARAMETER_MISSING');
});

test('run-sequence: soft-failure set inside ends only that sequence; outside try-each/run-sequence it is refused', async () => {
  const inner = seq(20, m([[13, true]]), 14, 0, 20, content('never'), 18, 0);
  const { r, storage } = await run(manifest([[20, [32, inner, 20, content('after'), 18, 0]]]));
  assert.equal(r.ok, true);
  assert.deepEqual(storage.get('A'), text('after'));
  const hard = await run(manifest([[20, [32, seq(14, 0)]]]));
  assert.equal(!hard.r.ok && hard.r.error.code, 'ERR_SUIT_ABORT');
  const outside = await run(manifest([[20, [20, m([[13, true]])]]]));
  assert.equal(!outside.r.ok && outside.r.error.code, 'ERR_SUIT_INVALID_STATE');
});

test('set-parameters fills only unset values; override-parameters replaces', async () => {
  const { r, storage } = await run(manifest([[20, [20, content('first'), 19, content('ignored'), 18, 0, 12, 1, 19, content('set'), 20, content('override'), 18, 0]]]));
  assert.equal(r.ok, true);
  assert.deepEqual(storage.get('A'), text('first'));
  assert.deepEqual(storage.get('B'), text('override'));
});

test('copy, swap and check-content work on staged contents', async () => {
  const { r, storage } = await run(
    manifest([[20, [12, 0, 20, content('a'), 18, 0, 12, 1, 20, m([[22, 0]]), 22, 0, 20, content('a'), 6, 0, 12, 2, 20, content('c'), 18, 0, 20, m([[22, 0]]), 31, 0]]]),
  );
  assert.equal(r.ok, true, !r.ok ? r.error.code : '');
  assert.deepEqual(storage.get('B'), text('a'));
  assert.deepEqual(storage.get('C'), text('a'));
  assert.deepEqual(storage.get('A'), text('c'));
  const bad = await run(manifest([[20, [20, content('a'), 6, 0]]]));
  assert.equal(!bad.r.ok && bad.r.error.code, 'ERR_SUIT_CONTENT_MISMATCH');
});

test('unknown command, unknown parameter, custom command: typed failures', async () => {
  const unknown = await run(manifest([[20, [99, 0]]]));
  assert.equal(!unknown.r.ok && unknown.r.error.code, 'ERR_SUIT_COMMAND_UNSUPPORTED');
  const custom = await run(manifest([[20, [-300, null]]]));
  assert.equal(!custom.r.ok && custom.r.error.code, 'ERR_SUIT_COMMAND_UNSUPPORTED');
  const param = await run(manifest([[20, [20, m([[99, 1]])]]]));
  assert.equal(!param.r.ok && param.r.error.code, 'ERR_SUIT_PARAMETER_UNSUPPORTED');
  const version = await run(encodeCbor(m([[1, 2], [2, 1], [3, encodeCbor(m([[2, [[A]]]]))]])));
  assert.equal(!version.r.ok && version.r.error.code, 'ERR_SUIT_UNSUPPORTED_VERSION');
});

test('device-identifier and component-slot conditions', async () => {
  const dev = new Uint8Array(16).fill(7);
  const man = manifest([[20, [20, m([[24, dev], [5, 1]]), 24, 15, 5, 15, 20, content('ok'), 18, 0]]]);
  assert.equal((await run(man, { system: { deviceId: dev, componentSlot: 1 } })).r.ok, true);
  const r1 = await run(man, { system: { deviceId: new Uint8Array(16), componentSlot: 1 } });
  assert.equal(!r1.r.ok && r1.r.error.code, 'ERR_SUIT_DEVICE_MISMATCH');
  const r2 = await run(man, { system: { deviceId: dev, componentSlot: 0 } });
  assert.equal(!r2.r.ok && r2.r.error.code, 'ERR_SUIT_SLOT_MISMATCH');
});

test('invoke procedure: invocations reach the callback only after success, with their args', async () => {
  const calls: [string, string][] = [];
  const man = manifest([[9, [20, m([[23, text('--flag')]]), 23, 0]]]);
  const { r } = await run(man, { procedure: 'invoke', invoke: (cid, args) => void calls.push([new TextDecoder().decode(cid[0]), new TextDecoder().decode(args)]) });
  assert.equal(r.ok, true);
  assert.deepEqual(calls, [['A', '--flag']]);
  const failing = manifest([[9, [23, 0, 14, 0]]]);
  calls.length = 0;
  const f = await run(failing, { procedure: 'invoke', invoke: () => void calls.push(['x', 'x']) });
  assert.equal(f.r.ok, false);
  assert.deepEqual(calls, []);
});

test('uninstall procedure: unlink removes the component at commit', async () => {
  const storage = new MemoryStorage();
  storage.write([A], text('installed'));
  const r = await processEnvelope(await assembleEnvelope({ manifest: manifest([[24, [33, 15]]]) }), { trust: { allowUnsigned: true }, storage, procedure: 'uninstall' });
  assert.equal(r.ok, true);
  assert.equal(storage.get('A'), undefined);
});

test('dependencies: is-dependency; a dependency signed by an untrusted key fails dependency-integrity; process-dependency in the shared sequence is refused', async () => {
  const other = await webCryptoProvider.generateKeyPair('P-256');
  const depManifest = manifest([[20, [20, content('from dependency'), 18, 0]]], [[text('D')]]);
  const dep = await signEnvelope({ manifest: depManifest, key: other });
  const depDigest = encodeDigest(await computeDigest(-16, bstrWrap(depManifest)));
  const deps: [number, CborValue][] = [[1, m([[1, m([])]])]];
  const parent = manifest([[20, [12, 1, 8, 15, 20, m([[3, depDigest], [21, '#dep']]), 21, 2, 7, 15, 11, 15]]], [[A]], deps);
  const env = await signEnvelope({ manifest: parent, key: keys.signerPriv(), integrated: new Map([['#dep', dep]]) });
  const storage = new MemoryStorage();
  const untrusted = await processEnvelope(env, { trust: { keys: [keys.signer()] }, storage });
  assert.equal(!untrusted.ok && untrusted.error.code, 'ERR_SUIT_DEPENDENCY_INTEGRITY');
  assert.equal(storage.writes, 0);
  const trusted = await processEnvelope(env, { trust: { keys: [keys.signer(), other] }, storage });
  assert.equal(trusted.ok, true, !trusted.ok ? trusted.error.code : '');
  assert.deepEqual(storage.get('D'), text('from dependency'));
  const notDep = await run(manifest([[20, [8, 15]]]));
  assert.equal(!notDep.r.ok && notDep.r.error.code, 'ERR_SUIT_NOT_A_DEPENDENCY');
  const inShared = await run(manifest([[20, [12, 0]]], [[A]], deps, [12, 1, 11, 0]));
  assert.equal(!inShared.r.ok && inShared.r.error.code, 'ERR_SUIT_INVALID_STATE');
});

test('commit is all-or-nothing towards the sequence store and storage when a later section fails', async () => {
  const stored: bigint[] = [];
  const { r, storage } = await run(manifest([[20, [20, content('x'), 18, 0]], [7, [14, 0]]]), { sequenceStore: { get: () => undefined, set: (_i, s) => void stored.push(s) } });
  assert.equal(!r.ok && r.error.code, 'ERR_SUIT_ABORT');
  assert.equal(storage.writes, 0);
  assert.deepEqual(stored, []);
});

test('several components: a sequence that does not begin with set-component-index is refused (manifest-37 §6.2)', async () => {
  const raw = (common: Map<CborValue, CborValue>, install: CborValue[]) => encodeCbor(m([[1, 1], [2, 1], [3, encodeCbor(common)], [20, seq(...install)]]));
  const two = m([[2, [[A], [B]]]]);
  const bare = await run(raw(two, [20, content('x'), 18, 0]));
  assert.equal(!bare.r.ok && bare.r.error.code, 'ERR_SUIT_MALFORMED');
  assert.equal(bare.storage.writes, 0);
  const shared = await run(raw(m([[2, [[A], [B]]], [4, seq(14, 0)]]), [12, 0, 20, content('x'), 18, 0]));
  assert.equal(!shared.r.ok && shared.r.error.code, 'ERR_SUIT_MALFORMED', 'the shared sequence too');
  const indexed = await run(raw(two, [12, 1, 20, content('x'), 18, 0]));
  assert.equal(indexed.r.ok, true);
  assert.deepEqual(indexed.storage.get('B'), text('x'));
  const one = await run(raw(m([[2, [[A]]]]), [20, content('x'), 18, 0]));
  assert.equal(one.r.ok, true, 'one component: the index may be left out');
});
