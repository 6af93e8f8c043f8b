import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildEnvelope, encodeCbor, webCryptoProvider } from '@otrp/core';
import { openStore } from '../store/open-store.js';
import { StorePolicy } from './store-policy.js';
import { TcCatalog } from './tc-catalog.js';
import { newExchange } from './exchange.js';

const enc = new TextEncoder();

test('TEEP policy sends SUIT components only: an OTrP TA with a `required` policy is not handed to the SUIT catalog', async () => {
  const store = await openStore('sqlite::memory:');
  await store.init();
  try {
    const device = await store.devices.create({ subject: 'CN=device-1' });
    const key = await webCryptoProvider.generateKeyPair('P-256');
    const manifest = await buildEnvelope(
      { sequenceNumber: 1, manifestComponentId: ['TEEP-Device', 'App', 'suit'], components: [{ id: ['TEEP-Device', 'App', 'ta'] }] },
      { payloads: [enc.encode('the TA')], key },
    );
    const suitTc = await store.trustedComponents.add({
      componentId: encodeCbor([enc.encode('TEEP-Device'), enc.encode('App'), enc.encode('suit')]),
      manifest, signerSubject: 'CN=signer', signerThumbprint: new Uint8Array(32), sequenceNumber: 1,
    });
    // An OTrP TA package is JSON, not a SUIT envelope: the SUIT catalog would refuse it.
    const otrpTa = await store.trustedComponents.add({
      componentId: enc.encode('wallet-ta'), format: 'otrp-ta', manifest: enc.encode('{"taid":"wallet-ta"}'),
      signerSubject: 'CN=sp', signerThumbprint: new Uint8Array(32), sequenceNumber: 1,
    });
    for (const tcId of [otrpTa.id, suitTc.id]) await store.policies.set({ tcId, action: 'required', scope: { kind: 'all' } });

    const decision = await store.transaction(async (tx) => {
      const ex = { ...newExchange(), device };
      return new StorePolicy(tx, ex, new TcCatalog(), Date.now()).decide({
        sessionId: 's', agentKid: '00', tcList: [], requestedTcList: [], unneededManifestList: [],
      });
    });
    assert.deepEqual(decision.manifests, [manifest]);
    assert.deepEqual(decision.unneeded, []);
  } finally {
    await store.close();
  }
});

test('identity claims: stored when new or changed, no write when repeated, a UEID owned by another device left out', async () => {
  const store = await openStore('sqlite::memory:');
  await store.init();
  try {
    const other = await store.devices.create({ subject: 'CN=other', ueid: enc.encode('taken-ueid') });
    let device = await store.devices.create({ subject: 'CN=device-1' });
    const decide = (claims: Record<string, unknown>) =>
      store.transaction(async (tx) => {
        const ex = { ...newExchange(), device };
        await new StorePolicy(tx, ex, new TcCatalog(), Date.now()).decide({
          sessionId: 's', agentKid: '00', claims, tcList: [], requestedTcList: [], unneededManifestList: [],
        });
        return ex.device!;
      });
    const claims = { ueid: enc.encode('ueid-1'), hwmodel: enc.encode('model-a'), hwversion: { version: '1.0' } };
    device = await decide(claims);
    assert.deepEqual([device.ueid, device.hwmodel, device.hwversion], [enc.encode('ueid-1'), enc.encode('model-a'), '1.0']);
    const written = (await store.devices.get(device.id))!.updatedAt;

    // The same claims again: the row is not written (its updatedAt stays).
    await new Promise((r) => setTimeout(r, 5));
    device = await decide(claims);
    assert.equal((await store.devices.get(device.id))!.updatedAt, written);

    // A changed hwversion is written.
    device = await decide({ ...claims, hwversion: { version: '2.0' } });
    assert.equal((await store.devices.get(device.id))!.hwversion, '2.0');

    // A UEID another device row holds: the rest of the claims are still stored.
    device = await decide({ ueid: enc.encode('taken-ueid'), hwmodel: enc.encode('model-b') });
    const stored = (await store.devices.get(device.id))!;
    assert.deepEqual([stored.ueid, stored.hwmodel], [enc.encode('ueid-1'), enc.encode('model-b')]);
    assert.deepEqual((await store.devices.get(other.id))!.ueid, enc.encode('taken-ueid'));
  } finally {
    await store.close();
  }
});
