import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair, coseKeyFromJwk, coseKeyToSpki, exportPrivateKeyPem, coseKeyFromPkcs8, decodePem, createCaCertificate, issueCertificate, exportSpki } from '@otrp/core';
import { Device, initDevice, keyAgreementJwk, runDeviceOnce } from './device.js';
import { pollDevice } from './poll.js';
import { issueDeviceCertificates } from './enrolment.js';
import { DEVICE_LAYOUT } from './device-dir.js';
import { makeRelease, startLoopbackTam, testPki, type TestPki } from './test-support/loopback-tam.js';

async function newDevice(t: { after(fn: () => unknown): void }, pki: TestPki, name: string, identity: { vendorId?: Uint8Array; classId?: Uint8Array } = {}): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'otrp-device-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const dir = join(root, name);
  await initDevice({
    dir,
    enrol: (request) => issueDeviceCertificates(request, pki.deviceCa),
    trust: { tamAnchors: [pki.tamCaCert], signerAnchors: [pki.signerCaCert], ...identity },
  });
  return dir;
}

test('init writes the documented layout; a second init is refused; show gives the key-agreement JWK', async (t) => {
  const pki = await testPki();
  const dir = await newDevice(t, pki, 'dev-layout');
  assert.deepEqual((await readdir(dir)).sort(), [DEVICE_LAYOUT.config, DEVICE_LAYOUT.tee].sort());
  const config = JSON.parse(await readFile(join(dir, DEVICE_LAYOUT.config), 'utf8'));
  assert.equal(config.name, 'dev-layout');
  assert.equal(config.alg, 'ESP256');
  assert.equal((await stat(join(dir, DEVICE_LAYOUT.tee))).mode & 0o777, 0o700);
  const teeFiles = await readdir(join(dir, DEVICE_LAYOUT.tee));
  assert.deepEqual(teeFiles.sort(), ['device-credentials.sealed', 'device-keys.sealed', 'device-secret']);
  await assert.rejects(
    initDevice({ dir, enrol: (r) => issueDeviceCertificates(r, pki.deviceCa), trust: {} }),
    { code: 'ERR_DEVICE_ALREADY_INITIALIZED' },
  );
  const device = await Device.open(dir);
  t.after(() => device.close());
  const id = await device.identity();
  const jwk = keyAgreementJwk(id);
  assert.equal(jwk.kty, 'EC');
  assert.equal(jwk.d, undefined);
  assert.deepEqual(coseKeyFromJwk(jwk).x, id.publicKeys!.keyAgreement.x);
  assert.deepEqual(await device.listInstalled(), []);
  await assert.rejects(Device.open(join(dir, 'nope')), { code: 'ERR_DEVICE_NOT_INITIALIZED' });
});

test('an enrolment that failed is resumed by the next init with the same keys', async (t) => {
  const pki = await testPki();
  const root = await mkdtemp(join(tmpdir(), 'otrp-device-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const dir = join(root, 'dev-resume');
  let first: Uint8Array | undefined;
  await assert.rejects(
    initDevice({ dir, trust: {}, enrol: async (r) => { first = r.spki.teep; throw new Error('CA offline'); } }),
    /CA offline/,
  );
  await assert.rejects(Device.open(dir), { code: 'ERR_DEVICE_NOT_INITIALIZED' });
  const id = await initDevice({ dir, trust: {}, enrol: (r) => issueDeviceCertificates(r, pki.deviceCa) });
  assert.deepEqual(coseKeyToSpki(id.publicKeys!.teep), first);
});

test('end to end over loopback HTTP: install, restart, update, rollback refused, untrusted signer refused, removal', async (t) => {
  const pki = await testPki();
  const dir = await newDevice(t, pki, 'dev-e2e');
  let device = await Device.open(dir);
  t.after(() => device.close());
  const id = await device.identity();
  const tam = await startLoopbackTam(pki, id.publicKeys!);
  t.after(() => tam.close());

  const v1 = await makeRelease('hello', 1, pki.signerKey, pki.signerChain);
  tam.policy.wanted = [v1];
  const first = await runDeviceOnce(device, { tamUri: tam.uri, request: [v1.componentId] });
  assert.equal(first.ok, true, JSON.stringify({ events: first.events, log: tam.log }));
  assert.deepEqual(tam.log, ['query-request', 'update']); // Success answered with 204
  assert.equal(first.installed.length, 1);
  assert.equal(first.installed[0]!.sequenceNumber, 1n);
  assert.match(first.installed[0]!.signer, /otrp TC Signer/);
  assert.ok(first.events.some((e) => e.type === 'installed'));

  // Restart the TEE process: the installed TC is still there.
  await device.close();
  device = await Device.open(dir);
  assert.equal((await device.listInstalled())[0]!.sequenceNumber, 1n);

  // An update found by a policy check.
  const v2 = await makeRelease('hello', 2, pki.signerKey, pki.signerChain);
  tam.policy.wanted = [v2];
  const second = await runDeviceOnce(device, { tamUri: tam.uri });
  assert.equal(second.ok, true, JSON.stringify(second.events));
  assert.equal((await device.listInstalled())[0]!.sequenceNumber, 2n);

  // Rollback: the TAM offers sequence 1 again; the Agent refuses it with a TEEP Error; state unchanged.
  tam.policy.wanted = [v1];
  const rollback = await runDeviceOnce(device, { tamUri: tam.uri });
  assert.equal(rollback.ok, false);
  assert.ok(rollback.events.some((e) => e.type === 'error-sent' && e.name === 'ERR_MANIFEST_PROCESSING_FAILED'), JSON.stringify(rollback.events));
  assert.equal((await device.listInstalled())[0]!.sequenceNumber, 2n);

  // A TC signed by a signer outside the TC-signer CA: refused, nothing installed.
  const rogueKeys = await generateKeyPair('ESP256');
  const rogueCa = { certificate: await createCaCertificate({ name: 'Rogue CA', keys: rogueKeys }), privateKey: rogueKeys.privateKey };
  const rogueSigner = await generateKeyPair('ESP256');
  const rogueCert = await issueCertificate({ issuer: rogueCa, role: 'signer', subject: 'rogue signer', publicKey: await exportSpki(rogueSigner.publicKey) });
  const rogueKey = await coseKeyFromPkcs8(decodePem(await exportPrivateKeyPem(rogueSigner.privateKey), 'PRIVATE KEY')[0]!);
  const rogue = await makeRelease('other', 1, rogueKey, [rogueCert, rogueCa.certificate]);
  tam.policy.wanted = [v2, rogue];
  const refused = await runDeviceOnce(device, { tamUri: tam.uri, request: [rogue.componentId] });
  assert.equal(refused.ok, false);
  assert.deepEqual(refused.unmet, [rogue.componentId]);
  assert.ok(refused.events.some((e) => e.type === 'error-sent'));
  assert.deepEqual((await device.listInstalled()).map((tc) => tc.sequenceNumber), [2n]);

  // Removal: the device no longer needs the TC (UnrequestTA); the TAM grants the unlink.
  tam.policy.wanted = [];
  const removed = await runDeviceOnce(device, { tamUri: tam.uri, unrequest: [v2.componentId] });
  assert.equal(removed.ok, true, JSON.stringify(removed.events));
  assert.ok(removed.events.some((e) => e.type === 'unlinked'));
  assert.deepEqual(await device.listInstalled(), []);
  // Nothing of it is left in the TEE folder but the (empty) index.
  assert.deepEqual((await readdir(join(dir, DEVICE_LAYOUT.tee))).filter((f) => f.startsWith('tc-blob-')), []);

  // Polling: the first round installs what is wanted again, later rounds find nothing to do.
  tam.policy.wanted = [await makeRelease('hello', 3, pki.signerKey, pki.signerChain)];
  const ac = new AbortController();
  const rounds: boolean[] = [];
  await pollDevice(device, {
    tamUri: tam.uri,
    intervalMs: 10,
    signal: ac.signal,
    onRound: (r) => {
      rounds.push(r.result?.ok ?? false);
      if (r.n === 3) ac.abort();
    },
  });
  assert.deepEqual(rounds, [true, true, true]);
  assert.deepEqual((await device.listInstalled()).map((tc) => tc.sequenceNumber), [3n]);
  assert.equal(tam.log.filter((l) => l.startsWith('dropped')).length, 0);
});

test("the device's SUIT identity (vendor and class UUIDs, sealed at init) is what manifests' vendor and class conditions check", async (t) => {
  const pki = await testPki();
  const VENDOR = 'fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe';
  const CLASS = '1492af14-2569-5e48-bf42-9b2d51f2ab45';
  const uuid = (s: string) => new Uint8Array(Buffer.from(s.replace(/-/g, ''), 'hex'));
  const identified = await Device.open(await newDevice(t, pki, 'dev-vendor', { vendorId: uuid(VENDOR), classId: uuid(CLASS) }));
  t.after(() => identified.close());
  const plain = await Device.open(await newDevice(t, pki, 'dev-plain'));
  t.after(() => plain.close());
  const id = await identified.identity();
  assert.deepEqual([id.credentials?.vendorId, id.credentials?.classId], [uuid(VENDOR), uuid(CLASS)], 'kept in the sealed credentials');
  const tam = await startLoopbackTam(pki, [id.publicKeys!, (await plain.identity()).publicKeys!]);
  t.after(() => tam.close());

  const forClass = await makeRelease('classy', 1, pki.signerKey, pki.signerChain, { vendorId: VENDOR, classId: CLASS });
  tam.policy.wanted = [forClass];
  const ok = await runDeviceOnce(identified, { tamUri: tam.uri, request: [forClass.componentId] });
  assert.equal(ok.ok, true, JSON.stringify(ok.events));
  assert.equal((await identified.listInstalled()).length, 1);

  // A device without an identity cannot satisfy the conditions; another class is refused too.
  const refused = await runDeviceOnce(plain, { tamUri: tam.uri, request: [forClass.componentId] });
  assert.equal(refused.ok, false);
  assert.ok(refused.events.some((e) => e.type === 'error-sent' && e.name === 'ERR_MANIFEST_PROCESSING_FAILED'), JSON.stringify(refused.events));
  assert.deepEqual(await plain.listInstalled(), []);
  const otherClass = await makeRelease('other-class', 1, pki.signerKey, pki.signerChain, { vendorId: VENDOR, classId: '00000000-0000-0000-0000-000000000001' });
  tam.policy.wanted = [forClass, otherClass];
  const wrong = await runDeviceOnce(identified, { tamUri: tam.uri, request: [otherClass.componentId] });
  assert.equal(wrong.ok, false);
  assert.deepEqual((await identified.listInstalled()).map((tc) => tc.sequenceNumber), [1n], 'only the matching TC');
});
