import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Device, initDevice, runDeviceOnce } from './device.js';
import { issueDeviceCertificates } from './enrolment.js';
import { makeRelease, startLoopbackTam, testPki } from './test-support/loopback-tam.js';

// The TEE process is SIGKILLed around renames of a first install driven over HTTP. A first install
// makes about six atomic writes in the TEE (Agent state twice, two blobs, the TC index, Agent state),
// so these points fall just before and after the index rename, the commit point. After each crash a
// fresh TEE process must see either nothing installed or the whole TC, and a clean rerun must then
// complete the install. (tc-store.test.ts kills a store install at every step of every write; the
// exhaustive kill test over the whole device belongs to the end-to-end suite.)
test('TEE process killed around each rename of an install: nothing or everything, then recovery', async (t) => {
  const pki = await testPki();
  const root = await mkdtemp(join(tmpdir(), 'otrp-kill-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const release = await makeRelease('killme', 1, pki.signerKey, pki.signerChain);
  // One enrolled device, cloned for every crash point (cloning the TEE folder clones the device).
  const template = join(root, 'template');
  const id = await initDevice({ dir: template, enrol: (r) => issueDeviceCertificates(r, pki.deviceCa), trust: { tamAnchors: [pki.tamCaCert], signerAnchors: [pki.signerCaCert] } });
  const tam = await startLoopbackTam(pki, id.publicKeys!);
  t.after(() => tam.close());
  tam.policy.wanted = [release];
  const seen = new Set<string>();
  for (const point of ['after-rename:4', 'before-rename:5', 'after-rename:5', 'before-rename:6']) {
    const dir = join(root, `d-${point.replace(':', '-')}`);
    await cp(template, dir, { recursive: true });
    const crashing = await Device.open(dir, { env: { OTRP_TEE_CRASH_AT: point } });
    let crashed = false;
    try {
      await runDeviceOnce(crashing, { tamUri: tam.uri, request: [release.componentId] });
    } catch (e) {
      assert.equal((e as { code?: string }).code, 'ERR_TEE_CRASHED');
      crashed = true;
    } finally {
      await crashing.close();
    }
    const device = await Device.open(dir);
    try {
      const after = await device.listInstalled();
      assert.ok(after.length === 0 || (after.length === 1 && after[0]!.sequenceNumber === 1n), `${point}: ${after.length} TCs`);
      seen.add(crashed ? (after.length ? 'crashed-installed' : 'crashed-empty') : 'completed');
      const rerun = await runDeviceOnce(device, { tamUri: tam.uri, request: [release.componentId] });
      assert.equal(rerun.ok, true, `${point} ${JSON.stringify(rerun.events)}`);
      assert.deepEqual((await device.listInstalled()).map((tc) => tc.sequenceNumber), [1n]);
    } finally {
      await device.close();
    }
  }
  // Crashes landed on both sides of the commit point.
  assert.ok(seen.has('crashed-empty') && seen.has('crashed-installed'), [...seen].join(','));
});
