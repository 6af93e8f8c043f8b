import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isOtrpError } from '../errors.js';
import { validateChain } from './chain.js';
import { readCsr } from './csr.js';
import { readCrl } from './crl.js';
import { parseCertificate } from './certificate-info.js';
import { importPrivateKey, importPublicKey } from './pem.js';
import { makeFixture } from './test-support/fixture.js';

const fx = await makeFixture('ESP256');
const { der: leaf } = await fx.leaf('device');
const anchors = [{ certificate: fx.branches['device-ca'].certificate }];

/** Runs `f`; it may succeed, but any failure must be an OtrpError with a code (never TypeError/RangeError). */
async function onlyTyped(f: () => unknown): Promise<void> {
  try {
    await f();
  } catch (e) {
    assert.ok(isOtrpError(e), `untyped failure: ${(e as Error)?.name}: ${(e as Error)?.message}`);
  }
}

test('random bytes never crash the parsers or validateChain', async () => {
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (bytes) => {
      await onlyTyped(() => parseCertificate(bytes));
      await onlyTyped(() => readCrl(bytes));
      await onlyTyped(() => readCsr(bytes));
      await onlyTyped(() => importPrivateKey(bytes));
      await onlyTyped(() => importPublicKey(bytes));
      await onlyTyped(() => validateChain({ chain: [bytes], anchors, role: 'device' }));
      await onlyTyped(() => validateChain({ chain: [leaf], anchors: [{ certificate: bytes }], role: 'device' }));
      await onlyTyped(() => validateChain({ chain: [leaf], anchors, role: 'device', crls: [bytes] }));
    }),
    { numRuns: 150 },
  );
});

test('a valid certificate with one byte changed either still validates or fails with a typed error', async () => {
  let failures = 0;
  await fc.assert(
    fc.asyncProperty(fc.nat({ max: leaf.length - 1 }), fc.integer({ min: 1, max: 255 }), async (i, x) => {
      const mutated = leaf.slice();
      mutated[i] ^= x;
      try {
        await validateChain({ chain: [mutated], anchors, role: 'device' });
      } catch (e) {
        failures++;
        assert.ok(isOtrpError(e), `untyped failure at byte ${i}: ${(e as Error)?.name}: ${(e as Error)?.message}`);
      }
    }),
    { numRuns: 200 },
  );
  assert.ok(failures > 150, `mutations should mostly fail, ${failures} did`);
});
