/** The Agent's per-message reuse: the resolved config per config object, one public key object per key. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { publicCoseKey } from '../cose/key.js';
import { webCryptoProvider } from '../cose/webcrypto-provider.js';
import { publicKeyOf, resolveAgentConfigFor } from './agent-config.js';
import { makeWorld } from './test-support/world.js';
import type { AgentConfig } from './agent-types.js';

test('resolveAgentConfigFor: the same resolution while the config is unchanged, a new one (and its checks) after any change', async () => {
  const w = await makeWorld({ model: 'background-check' });
  const config: AgentConfig = { ...w.agent };
  const a = resolveAgentConfigFor(config, 'draft-26');
  assert.equal(resolveAgentConfigFor(config, 'draft-26'), a);
  assert.equal(a.teepProfile.name, 'draft-26');
  const pre = resolveAgentConfigFor(config, 'pre-26');
  assert.notEqual(pre, a);
  assert.equal(pre.teepProfile.name, 'pre-26');
  assert.equal(resolveAgentConfigFor(config, 'draft-26'), a);

  // A member replaced in place: resolved again, with the new value.
  const other = await webCryptoProvider.generateKeyPair('P-256');
  (config as { suitReportKey: unknown }).suitReportKey = other;
  const b = resolveAgentConfigFor(config, 'draft-26');
  assert.notEqual(b, a);
  assert.equal(b.suitReportKey, other);
  // A member added or removed counts as a change too.
  (config as { encryptToTam?: boolean }).encryptToTam = false;
  const c = resolveAgentConfigFor(config, 'draft-26');
  assert.notEqual(c, b);
  assert.equal(c.encryptionKey, undefined);
  delete (config as { encryptToTam?: boolean }).encryptToTam;
  assert.notEqual(resolveAgentConfigFor(config, 'draft-26'), c);
  // The checks of resolveAgentConfig run on every new resolution (-26 §4.5: report key distinct).
  (config as { suitReportKey: unknown }).suitReportKey = config.keys[0];
  assert.throws(() => resolveAgentConfigFor(config, 'draft-26'), { code: 'ERR_INVALID_ARGUMENT' });
});

test('publicKeyOf: one public object per private key object, a public key as it is, a changed key again', async () => {
  const k = await webCryptoProvider.generateKeyPair('P-256');
  const p = publicKeyOf(k);
  assert.deepEqual(p, publicCoseKey(k));
  assert.equal(p.d, undefined);
  assert.equal(publicKeyOf(k), p);
  assert.equal(publicKeyOf(p), p);
  const other = await webCryptoProvider.generateKeyPair('P-256');
  const mutable = { ...k } as { x?: Uint8Array; y?: Uint8Array };
  const before = publicKeyOf(mutable as typeof k);
  mutable.x = other.x;
  mutable.y = other.y;
  const after = publicKeyOf(mutable as typeof k);
  assert.notEqual(after, before);
  assert.deepEqual(after.x, other.x);
  assert.throws(() => publicKeyOf({ kty: 'Symmetric', k: new Uint8Array(16) }), { code: 'ERR_COSE_KEY_INVALID' });
});
