/**
 * Negative end to end (built CLI, separate processes, loopback HTTP; one TAM for the group), each
 * with the outcome draft-ietf-teep-protocol-26 prescribes and both sides' state unchanged:
 *
 *   - an Update altered in transit (a proxy in the test flips a byte): the Agent's COSE check fails,
 *     it answers with a TEEP Error (§4.1.2 / §7.2: a message that fails verification is not acted on),
 *     installs nothing; the TAM's inventory keeps the installed version;
 *   - a TC from an untrusted signer, put straight into the TAM's store by this test (the TAM's upload
 *     check refuses it, so the test goes around it; no configuration switches that check off): the
 *     Agent validates the signer chain against its TC-Signer CA and refuses (TEEP Error);
 *   - a lower sequence number (rollback), likewise put into the store directly: the Agent refuses it
 *     (SUIT manifest-37 §8.4.2 / draft-26 §10, replay protection);
 *   - a TAM whose certificate has expired: the Agent does not trust the QueryRequest and installs
 *     nothing (it answers the QueryRequest with a TEEP Error, never a QueryResponse); that TAM records
 *     nothing installed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  coseKeyThumbprint, decodeCertificateChainPem, encodeCbor, encodePem, importPrivateKey, issueCertificate, parseCertificate, publicCoseKey,
} from '@otrp/core';
import { openStore } from '@otrp/tam';
import { adminCall, startTam, uploadTc } from '../tam/support/server.js';
import { startTamperProxy } from './support/tamper-proxy.js';
import { deviceInit, deviceRun, errorCode, installedSeqs, makePki, makeTcRelease, seqsAfter, setPolicy, tamInventory, type TestSigner } from './support/world.js';

const te = (s: string) => new TextEncoder().encode(s);

/** Puts a TC into the TAM's store behind the admin API's back (the test plays a compromised TAM). */
async function insertTc(db: string, envelope: Uint8Array, storeKey: Uint8Array[], sequenceNumber: number, signer: TestSigner): Promise<string> {
  const store = openStore(db);
  await store.init();
  try {
    const rec = await store.trustedComponents.add({
      componentId: encodeCbor(storeKey),
      name: 'inserted by the test',
      manifest: envelope,
      sequenceNumber,
      signerSubject: parseCertificate(signer.chain[0]!).subject,
      signerThumbprint: await coseKeyThumbprint(publicCoseKey(signer.key)),
    });
    return rec.id;
  } finally {
    await store.close();
  }
}

/** Rewrites the TAM's two signing certificates in `pkiDir` as expired ones (same keys, same TAM CA). */
async function expireTamCertificates(pkiDir: string): Promise<void> {
  const caPem = await readFile(join(pkiDir, 'tam-ca', 'cert.pem'), 'utf8');
  const ca = { certificate: decodeCertificateChainPem(caPem)[0]!, privateKey: (await importPrivateKey(await readFile(join(pkiDir, 'tam-ca', 'key.pem'), 'utf8'))).key };
  const day = 86_400_000;
  for (const folder of ['esp256', 'ed25519']) {
    const old = parseCertificate(await readFile(join(pkiDir, 'tam', folder, 'cert.pem'), 'utf8'));
    const leaf = await issueCertificate({
      issuer: ca, role: 'tam', subject: old.subject.replace(/^CN=/, ''), publicKey: old.spki, sanUris: old.sanUris,
      notBefore: new Date(Date.now() - 30 * day), notAfter: new Date(Date.now() - day),
    });
    await writeFile(join(pkiDir, 'tam', folder, 'cert.pem'), encodePem(leaf, 'CERTIFICATE'));
    await writeFile(join(pkiDir, 'tam', folder, 'chain.pem'), encodePem(leaf, 'CERTIFICATE') + caPem);
  }
}

test('negative e2e: tampered Update, untrusted signer, rollback, expired TAM certificate', { timeout: 240_000 }, async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'otrp-e2e-neg-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const pkiDir = join(root, 'pki');
  const dataDir = join(root, 'data');
  const db = `sqlite:${join(dataDir, 'tam.db')}`;
  const dev = join(root, 'dev');
  const pki = await makePki(pkiDir);
  // A one-second back-off after an Error (-26 §4.6; default one hour) so that the test can show the
  // same Update going through once the tampering stops.
  const config = join(root, 'tam.json');
  await writeFile(config, JSON.stringify({ backoffSeconds: 1 }));
  const tam = await startTam({ pkiDir, dataDir, config });
  t.after(() => tam.stop());
  await deviceInit(dev, pkiDir, 'neg');

  // Baseline: version 1 installed.
  const tcId = (await uploadTc(tam.url, tam.token, await makeTcRelease(pki.signer, 1))).json.id as string;
  await setPolicy(tam.url, tam.token, tcId, 'required');
  const base = await deviceRun(dev, tam.url);
  assert.equal(base.code, 0, base.stderr);
  assert.deepEqual(seqsAfter(base), [1]);
  assert.deepEqual(await tamInventory(tam.url, tam.token, 'neg'), [{ tcId, state: 'installed', seq: 1 }]);

  await t.test('an Update tampered with in transit is refused with a TEEP Error; nothing changes', async () => {
    assert.equal((await uploadTc(tam.url, tam.token, await makeTcRelease(pki.signer, 2))).status, 200);
    const proxy = await startTamperProxy(tam.url, 'update');
    try {
      const r = await deviceRun(dev, proxy.url, ['--verbose']);
      assert.equal(proxy.tampered(), 1);
      assert.equal(r.code, 1);
      assert.equal(errorCode(r), 'ERR_TEEP_ERROR_SENT', r.stderr);
      assert.match(r.stdout, /device -> TAM {2}Error/);
      assert.deepEqual(seqsAfter(r), [1]);
    } finally {
      await proxy.close();
    }
    assert.deepEqual(await installedSeqs(dev), [1]);
    // The TAM still has the component as installed (from the attested tc-list), at a version it no
    // longer holds (so no sequence number), with no change pending: the Error cancelled the Update.
    assert.deepEqual(await tamInventory(tam.url, tam.token, 'neg'), [{ tcId, state: 'installed', seq: null }]);
    // Without the proxy (and after the back-off) the same Update goes through.
    await new Promise((r) => setTimeout(r, 1100));
    const ok = await deviceRun(dev, tam.url);
    assert.equal(ok.code, 0, ok.stderr);
    assert.deepEqual(seqsAfter(ok), [2]);
  });
  const installedV2 = [{ tcId, state: 'installed', seq: 2 }];

  await t.test('a lower sequence number (rollback) is refused; version 2 stays', async () => {
    // Stored under another key so that the TAM does not match it against the installed component.
    const id = await insertTc(db, await makeTcRelease(pki.signer, 1), [te('TEEP-Device'), te('rollback')], 1, pki.signer);
    const policy = await setPolicy(tam.url, tam.token, id, 'required');
    const r = await deviceRun(dev, tam.url, ['--verbose']);
    assert.equal(r.code, 1, r.stdout);
    assert.equal(errorCode(r), 'ERR_TEEP_ERROR_SENT', r.stderr);
    assert.deepEqual(seqsAfter(r), [2]);
    assert.deepEqual(await installedSeqs(dev), [2]);
    // The TAM now relates the installed component to both records of it; the one it sees in the
    // attested tc-list is not at the rolled-back version, and nothing is pending.
    const inv = (await tamInventory(tam.url, tam.token, 'neg'))!;
    assert.deepEqual(inv.map((i) => [i.state, i.seq === 1]), [['installed', false]]);
    assert.equal((await adminCall(tam.url, tam.token, 'DELETE', `/policies/${policy}`)).status, 204);
    assert.equal((await adminCall(tam.url, tam.token, 'DELETE', `/tcs/${id}`)).status, 204);
  });

  await t.test('a TC signed by an untrusted signer is refused by the Agent; nothing is installed', async () => {
    const foreign = await makePki(undefined);
    const uuid = '0f4bd2d4-3f5c-4a53-9e39-5e2d4fb0c0ee';
    const envelope = await makeTcRelease(foreign.signer, 1, uuid);
    // The TAM's own upload check refuses it (which is why the test writes into the store directly).
    assert.equal((await uploadTc(tam.url, tam.token, envelope)).status, 422);
    const id = await insertTc(db, envelope, [te('TEEP-Device'), te('SecureFS'), Buffer.from(uuid.replace(/-/g, ''), 'hex'), te('suit')], 1, foreign.signer);
    const policy = await setPolicy(tam.url, tam.token, id, 'required');
    const r = await deviceRun(dev, tam.url, ['--verbose']);
    assert.equal(r.code, 1, r.stdout);
    assert.equal(errorCode(r), 'ERR_TEEP_ERROR_SENT', r.stderr);
    assert.deepEqual(seqsAfter(r), [2]);
    assert.deepEqual(await installedSeqs(dev), [2]);
    assert.deepEqual((await tamInventory(tam.url, tam.token, 'neg'))!.filter((i) => i.state === 'installed'), installedV2);
    assert.equal((await adminCall(tam.url, tam.token, 'DELETE', `/policies/${policy}`)).status, 204);
  });

  await t.test('a TAM with an expired certificate is not trusted; nothing is installed', async () => {
    const expiredPki = join(root, 'pki-expired');
    await cp(pkiDir, expiredPki, { recursive: true });
    await expireTamCertificates(expiredPki);
    const bad = await startTam({ pkiDir: expiredPki, dataDir: join(root, 'data-expired') });
    try {
      const up = await uploadTc(bad.url, bad.token, await makeTcRelease(pki.signer, 3));
      assert.equal(up.status, 201);
      await setPolicy(bad.url, bad.token, up.json.id as string, 'required');
      const r = await deviceRun(dev, bad.url, ['--verbose']);
      assert.equal(r.code, 1, r.stdout);
      assert.equal(errorCode(r), 'ERR_TEEP_ERROR_SENT', r.stderr);
      assert.doesNotMatch(r.stdout, /QueryResponse/);
      assert.deepEqual(seqsAfter(r), [2]);
      // That TAM got only the Agent's Error: it may know the device now, but it recorded nothing installed.
      assert.deepEqual((await tamInventory(bad.url, bad.token, 'neg')) ?? [], []);
    } finally {
      await bad.stop();
    }
    assert.deepEqual(await installedSeqs(dev), [2]);
    assert.deepEqual((await tamInventory(tam.url, tam.token, 'neg'))!.filter((i) => i.state === 'installed'), installedV2);
  });
});
