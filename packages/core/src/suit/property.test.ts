/**
 * Property test: mutated example envelopes never throw anything but typed SUIT errors, and processing
 * never writes anything unless it succeeds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readVectorHex } from '../test-support/vectors.js';
import { verifyEnvelope } from './verify.js';
import { processEnvelope } from './processor.js';
import { SuitError } from './errors.js';
import { decodeManifest } from './manifest.js';
import { decodeEnvelope } from './envelope.js';
import { keys, MemoryStorage, TEEP_SYSTEM, M37_SYSTEM } from './test-support/fixtures.js';

const SOURCES = [
  readVectorHex('teep', 'suit_uri.hex'),
  readVectorHex('teep', 'suit_integrated.hex'),
  readVectorHex('teep', 'suit_personalization.hex'),
  readVectorHex('suit', 'manifest', 'example2.signed.hex'),
  readVectorHex('suit', 'manifest', 'example3.signed.hex'),
  readVectorHex('suit', 'trust-domains', 'example2_integrated.hex'),
  readVectorHex('suit', 'firmware-encryption', 'suit-manifest-es-ecdh-dependency.hex'),
  readVectorHex('suit', 'firmware-encryption', 'suit-manifest-aes-kw.hex'),
];

type Mutation = { kind: 'flip'; at: number; bit: number } | { kind: 'truncate'; at: number } | { kind: 'set'; at: number; value: number } | { kind: 'insert'; at: number; value: number } | { kind: 'delete'; at: number };

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
);

function mutate(src: Uint8Array, ms: Mutation[]): Uint8Array {
  let b = [...src];
  for (const m of ms) {
    const at = b.length ? m.at % b.length : 0;
    if (m.kind === 'flip' && b.length) b[at] = b[at]! ^ (1 << m.bit);
    else if (m.kind === 'truncate') b = b.slice(0, at);
    else if (m.kind === 'set' && b.length) b[at] = m.value;
    else if (m.kind === 'insert') b.splice(at, 0, m.value);
    else if (m.kind === 'delete' && b.length) b.splice(at, 1);
  }
  return new Uint8Array(b);
}

function assertTyped(e: unknown): void {
  assert.ok(e instanceof SuitError, `expected a SuitError, got ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
  assert.match(e.code, /^ERR_SUIT_[A-Z_]+$/);
  // the processor wraps anything unexpected (a TypeError from a bug) into this message: never acceptable here
  assert.notEqual(e.message, 'unexpected failure while processing', String((e.cause as Error)?.stack));
}

test('mutated envelopes: verify, decode and process only ever fail with SuitErrors; failures write nothing', async () => {
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 0, max: SOURCES.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), async (i, ms) => {
      const bytes = mutate(SOURCES[i]!, ms);
      try {
        await verifyEnvelope(bytes, { keys: [keys.signer(), keys.hmac(), keys.fwencDependencySigner()] });
      } catch (e) {
        assertTyped(e);
      }
      try {
        // the manifest decoder alone, without authentication in front of it
        decodeManifest(decodeEnvelope(bytes).manifestBytes);
      } catch (e) {
        assertTyped(e);
      }
      const storage = new MemoryStorage();
      const r = await processEnvelope(bytes, {
        trust: { keys: [keys.signer(), keys.hmac(), keys.fwencDependencySigner()], allowUnsigned: true },
        storage,
        system: i < 3 ? TEEP_SYSTEM : M37_SYSTEM,
        fetch: () => SOURCES[0]!,
        decryptionKeys: { keks: [keys.aeskwKek()], privateKeys: [keys.esdhReceiverPriv()] },
      });
      if (!r.ok) {
        assertTyped(r.error);
        assert.equal(storage.writes, 0);
      }
    }),
    { numRuns: 400 },
  );
});

test('mutated manifests re-signed would still be parsed safely: decodeManifest on mutated manifest bytes', () => {
  const manifests = SOURCES.map((s) => decodeEnvelope(s).manifestBytes);
  fc.assert(
    fc.property(fc.integer({ min: 0, max: manifests.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 3 }), (i, ms) => {
      try {
        decodeManifest(mutate(manifests[i]!, ms));
      } catch (e) {
        assertTyped(e);
      }
    }),
    { numRuns: 1000 },
  );
});

test('mutated manifests in valid unsigned envelopes: the interpreter itself only fails with SuitErrors', async () => {
  const { assembleEnvelope } = await import('./sign-envelope.js');
  const manifests = SOURCES.map((s) => decodeEnvelope(s).manifestBytes);
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 0, max: manifests.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 3 }), async (i, ms) => {
      const storage = new MemoryStorage();
      const env = await assembleEnvelope({ manifest: mutate(manifests[i]!, ms), integrated: decodeEnvelope(SOURCES[i]!).integrated });
      const r = await processEnvelope(env, {
        trust: { keys: [keys.signer(), keys.hmac(), keys.fwencDependencySigner()], allowUnsigned: true },
        storage,
        system: i < 3 ? TEEP_SYSTEM : M37_SYSTEM,
        fetch: () => SOURCES[0]!,
        decryptionKeys: { keks: [keys.aeskwKek()], privateKeys: [keys.esdhReceiverPriv()] },
      });
      if (!r.ok) {
        assertTyped(r.error);
        assert.equal(storage.writes, 0);
      }
    }),
    { numRuns: 400 },
  );
});
