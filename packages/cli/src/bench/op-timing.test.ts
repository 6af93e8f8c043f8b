import { test } from 'node:test';
import assert from 'node:assert/strict';
import { operationSpec, timeOperation } from './op-timing.js';
import { computeCeiling, formatInProcessCost, inProcessCost } from './ceiling.js';
import { median } from './timed-run.js';

test('counted labels map to the node:crypto operation that prices them', () => {
  assert.deepEqual(operationSpec('sign ESP256'), { kind: 'sign', curve: 'P-256', hash: 'sha256' });
  assert.deepEqual(operationSpec('verify EdDSA'), { kind: 'verify', curve: 'Ed25519', hash: null });
  assert.deepEqual(operationSpec('ecdh X25519'), { kind: 'ecdh', curve: 'X25519', hash: null });
  assert.deepEqual(operationSpec('keygen P-256'), { kind: 'keygen', curve: 'P-256', hash: null });
  assert.deepEqual(operationSpec('subtle verify ECDSA P-256 SHA-256'), { kind: 'verify', curve: 'P-256', hash: 'sha256' });
  assert.deepEqual(operationSpec('subtle ecdh ECDH P-384'), { kind: 'ecdh', curve: 'P-384', hash: null });
  assert.deepEqual(operationSpec('subtle verify Ed25519'), { kind: 'verify', curve: 'Ed25519', hash: null });
});

test('a label that cannot be priced is an error, not a zero', () => {
  for (const label of ['sign RS256', 'subtle verify RSASSA-PKCS1-v1_5 SHA-256', 'wrap A128KW', 'subtle ecdh HKDF SHA-256']) {
    assert.throws(() => operationSpec(label), { code: 'ERR_BENCH_UNPRICED_OPERATION' }, label);
  }
});

test('the ceiling is cores / the priced work per exchange', () => {
  const c = computeCeiling({ tam: { 'sign ESP256': 20 }, devices: { 'verify ESP256': 20, 'ecdh X25519': 10 } }, 10, 2);
  assert.deepEqual(c.rows.map((r) => [r.party, r.label, r.perExchange]), [['tam', 'sign ESP256', 2], ['devices', 'ecdh X25519', 1], ['devices', 'verify ESP256', 2]]);
  for (const r of c.rows) assert.ok(r.micros > 0 && Number.isFinite(r.micros));
  const work = c.rows.reduce((t, r) => t + r.perExchange * r.micros, 0);
  assert.equal(c.microsPerExchange, work);
  assert.equal(c.ceiling, 2e6 / work);
  assert.ok(timeOperation(operationSpec('keygen X25519'), 5, 1) > 0);
});

test('in-process cost: the timed rows per exchange by party, against the same rows priced', () => {
  const c = computeCeiling({ tam: { 'sign ESP256': 20 }, devices: { 'verify ESP256': 20, 'subtle verify ECDSA P-256 SHA-256': 10 } }, 10, 2);
  const sign = c.rows.find((r) => r.label === 'sign ESP256')!;
  const verify = c.rows.find((r) => r.label === 'verify ESP256')!;
  // 10 exchanges: the TAM spent 3000 µs signing, the devices 5000 µs verifying; WebCrypto is untimed.
  const k = inProcessCost(c, { tam: { 'sign ESP256': 3000 }, devices: { 'verify ESP256': 5000 } }, 10);
  assert.equal(k.tam, 300);
  assert.equal(k.devices, 500);
  assert.equal(k.priced, sign.perExchange * sign.micros + verify.perExchange * verify.micros);
  assert.equal(k.untimed, 1);
  const line = formatInProcessCost(k, c);
  assert.match(line, /^in the processes the same operations took 800\.0 µs per exchange \(TAM 300\.0, devices 500\.0\), [0-9.]+x their price above: that work alone allows 2500\.0\/s \([0-9.]+% of ceiling\); 1 untimed row left out$/);
  assert.equal(formatInProcessCost(inProcessCost(c, { tam: {}, devices: {} }, 10), c), 'in the processes: no operation was timed');
});

test('median of odd and even counts', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
});
