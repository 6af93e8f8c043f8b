// POST /admin/v1/tcs: accepted only from a signer chaining to the TC-Signer CA; every refusal audited,
// no state change. Runs on every store backend (SQLite in memory; PostgreSQL when reachable).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeCbor, encodeCbor, toHex } from '@otrp/core';
import type { Store } from '../store/store.js';
import { adminApp, adminTestSuite, AUTH, buildTc, createTestPki, issueTestSigner, json, revokingCrl, trustWithSignerCrl, upload } from './test-support/admin-fixture.js';

const { backends: BACKENDS, pki } = await adminTestSuite();

/** The refusal entries of the admin upload route, newest first. */
async function uploadAudit(store: Store) {
  return (await store.audit.list({ action: 'admin.tc.upload' })).entries;
}

async function assertNothingStored(store: Store): Promise<void> {
  assert.deepEqual(await store.trustedComponents.list(), []);
}

for (const backend of BACKENDS) {
  describe(`admin TC upload (${backend.name})`, { skip: backend.skip }, () => {
    test('a TC signed by a signer of the TC-Signer CA is stored: 201, Location, manifest as uploaded, audited', async () => {
      const store = await backend.open();
      const app = adminApp(store, pki.trust);
      const envelope = await buildTc(pki.signer, { name: 'hello', sequenceNumber: 3 });
      const res = await upload(app, envelope, '?name=Hello%20TA');
      assert.equal(res.statusCode, 201, res.body);
      const tc = json(res);
      assert.equal(res.headers['location'], `/admin/v1/tcs/${tc['id']}`);
      assert.equal(tc['sequenceNumber'], 3);
      assert.equal(tc['name'], 'Hello TA');
      assert.equal(tc['format'], 'suit');
      assert.equal(tc['deprecated'], false);
      assert.match(tc['signerSubject'], /CN=otrp TC Signer/);
      assert.match(tc['signerThumbprint'], /^[0-9a-f]{64}$/);
      assert.match(tc['componentIdText'], /^\['TEEP-Device', 'SecureFS', .*'suit'\]$/);
      const stored = (await store.trustedComponents.get(tc['id']))!;
      assert.deepEqual(stored.manifest, envelope);
      assert.equal(toHex(stored.componentId), tc['componentId']);
      const id = decodeCbor(stored.componentId) as Uint8Array[];
      assert.equal(new TextDecoder().decode(id[3]), 'suit');
      const [entry] = await uploadAudit(store);
      assert.equal(entry!.decision, 'allow');
      assert.equal((entry!.detail as Record<string, unknown>)['tcId'], tc['id']);
      await app.close();
    });

    test('a higher sequence number updates the component (200); equal or lower is 409 and changes nothing', async () => {
      const store = await backend.open();
      const app = adminApp(store, pki.trust);
      const first = json(await upload(app, await buildTc(pki.signer, { sequenceNumber: 1 })));
      const v2 = await buildTc(pki.signer, { sequenceNumber: 2, payload: 'version two' });
      const res = await upload(app, v2);
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(json(res)['id'], first['id']);
      assert.equal(json(res)['sequenceNumber'], 2);
      for (const seq of [2, 1]) {
        const again = await upload(app, await buildTc(pki.signer, { sequenceNumber: seq, payload: `replay ${seq}` }));
        assert.equal(again.statusCode, 409);
        assert.equal(json(again)['code'], 'ERR_ADMIN_SEQUENCE_NOT_HIGHER');
      }
      const stored = (await store.trustedComponents.get(first['id']))!;
      assert.equal(stored.sequenceNumber, 2);
      assert.deepEqual(stored.manifest, v2);
      const entries = await uploadAudit(store);
      assert.deepEqual(entries.map((e) => [e.decision, e.code]), [
        ['deny', 'ERR_ADMIN_SEQUENCE_NOT_HIGHER'],
        ['deny', 'ERR_ADMIN_SEQUENCE_NOT_HIGHER'],
        ['allow', null],
        ['allow', null],
      ]);
      await app.close();
    });

    test('a signer from another PKI is 422 ERR_CHAIN_UNTRUSTED, audited with the claimed signer, nothing stored', async () => {
      const store = await backend.open();
      const app = adminApp(store, pki.trust);
      const other = await createTestPki();
      const res = await upload(app, await buildTc(other.signer));
      assert.equal(res.statusCode, 422);
      assert.equal(json(res)['code'], 'ERR_CHAIN_UNTRUSTED');
      await assertNothingStored(store);
      const [entry] = await uploadAudit(store);
      assert.equal(entry!.decision, 'deny');
      assert.equal(entry!.code, 'ERR_CHAIN_UNTRUSTED');
      assert.equal(entry!.actor, 'admin');
      const detail = entry!.detail as Record<string, unknown>;
      assert.equal(detail['status'], 422);
      assert.match(String(detail['presentedSigner']), /CN=otrp TC Signer/);
      await app.close();
    });

    test('a device certificate presented as a TC signer is 422 ERR_CERTIFICATE_ROLE', async () => {
      const store = await backend.open();
      const app = adminApp(store, pki.trust);
      const device = await issueTestSigner(pki.ca.device, 'device', 'device 1');
      const res = await upload(app, await buildTc(device));
      assert.equal(res.statusCode, 422);
      assert.equal(json(res)['code'], 'ERR_CERTIFICATE_ROLE');
      // The same device certificate is refused even when the TAM (wrongly) also trusted the Device CA.
      const both = adminApp(store, { anchors: [...pki.trust.anchors, { certificate: pki.ca.device.certificate }] });
      const res2 = await upload(both, await buildTc(device));
      assert.equal(json(res2)['code'], 'ERR_CERTIFICATE_ROLE');
      await assertNothingStored(store);
      assert.deepEqual((await uploadAudit(store)).map((e) => e.code), ['ERR_CERTIFICATE_ROLE', 'ERR_CERTIFICATE_ROLE']);
      await app.close();
      await both.close();
    });

    test('a revoked signer (CRL) is 422 ERR_CERTIFICATE_REVOKED; an envelope without x5chain is 422', async () => {
      const store = await backend.open();
      const signer = await issueTestSigner(pki.ca.signer, 'signer', 'soon revoked signer');
      const crl = await revokingCrl(pki.ca.signer, signer.chain[0]!);
      const app = adminApp(store, trustWithSignerCrl(pki, crl));
      assert.equal(json(await upload(app, await buildTc(signer)))['code'], 'ERR_CERTIFICATE_REVOKED');
      const noChain = await upload(app, await buildTc(pki.signer, { noChain: true }));
      assert.equal(noChain.statusCode, 422);
      assert.equal(json(noChain)['code'], 'ERR_ADMIN_SIGNER_CHAIN_MISSING');
      await assertNothingStored(store);
      await app.close();
    });

    test('a chain of the trusted signer around an envelope signed by another key is 422', async () => {
      const store = await backend.open();
      const app = adminApp(store, pki.trust);
      const intruder = await issueTestSigner(pki.ca.signer, 'signer', 'intruder');
      // Signed with the intruder's key, but presenting the legitimate signer's chain.
      const forged = await buildTc({ key: intruder.key, chain: pki.signer.chain });
      const res = await upload(app, forged);
      assert.equal(res.statusCode, 422);
      assert.equal(json(res)['code'], 'ERR_SUIT_AUTHENTICATION_FAILED');
      await assertNothingStored(store);
      await app.close();
    });

    test('garbage, empty and mislabelled bodies are refused (400 / 415) and audited', async () => {
      const store = await backend.open();
      const app = adminApp(store, pki.trust);
      const garbage = await upload(app, new Uint8Array([0xff, 0x00, 0x13, 0x37]));
      assert.equal(garbage.statusCode, 400);
      assert.equal(json(garbage)['code'], 'ERR_SUIT_MALFORMED');
      const notEnvelope = await upload(app, encodeCbor(new Map([[1, 2]])));
      assert.equal(notEnvelope.statusCode, 400);
      const empty = await app.inject({ method: 'POST', url: '/admin/v1/tcs', headers: { ...AUTH, 'content-type': 'application/octet-stream' } });
      assert.equal(empty.statusCode, 400);
      assert.equal(json(empty)['code'], 'ERR_ADMIN_INVALID_UPLOAD');
      const text = await app.inject({ method: 'POST', url: '/admin/v1/tcs', headers: { ...AUTH, 'content-type': 'text/plain' }, payload: 'hello' });
      assert.equal(text.statusCode, 415);
      assert.equal(json(text)['code'], 'ERR_ADMIN_UNSUPPORTED_MEDIA_TYPE');
      const badBase64 = await app.inject({ method: 'POST', url: '/admin/v1/tcs', headers: AUTH, payload: { envelope: 'not base64!' } });
      assert.equal(badBase64.statusCode, 400);
      assert.equal(json(badBase64)['code'], 'ERR_ADMIN_INVALID_UPLOAD');
      const noField = await app.inject({ method: 'POST', url: '/admin/v1/tcs', headers: AUTH, payload: { manifest: 'AAAA' } });
      assert.equal(noField.statusCode, 400);
      assert.equal(json(noField)['code'], 'ERR_HTTP_BAD_REQUEST');
      const badJson = await app.inject({ method: 'POST', url: '/admin/v1/tcs', headers: { ...AUTH, 'content-type': 'application/json' }, payload: '{"envelope":' });
      assert.equal(badJson.statusCode, 400);
      assert.equal(json(badJson)['code'], 'ERR_HTTP_BAD_REQUEST');
      await assertNothingStored(store);
      assert.deepEqual((await uploadAudit(store)).map((e) => e.code).reverse(), [
        'ERR_SUIT_MALFORMED', 'ERR_SUIT_MALFORMED', 'ERR_ADMIN_INVALID_UPLOAD', 'ERR_ADMIN_UNSUPPORTED_MEDIA_TYPE', 'ERR_ADMIN_INVALID_UPLOAD',
        'ERR_HTTP_BAD_REQUEST', 'ERR_HTTP_BAD_REQUEST',
      ]);
      await app.close();
    });

    test('JSON uploads carry the envelope in base64 or base64url, with a name', async () => {
      const store = await backend.open();
      const app = adminApp(store, pki.trust);
      const a = await buildTc(pki.signer, { name: 'json-a' });
      const b = await buildTc(pki.signer, { name: 'json-b' });
      const ra = await app.inject({ method: 'POST', url: '/admin/v1/tcs', headers: AUTH, payload: { envelope: Buffer.from(a).toString('base64'), name: 'A' } });
      const rb = await app.inject({ method: 'POST', url: '/admin/v1/tcs', headers: AUTH, payload: { envelope: Buffer.from(b).toString('base64url') } });
      assert.equal(ra.statusCode, 201, ra.body);
      assert.equal(rb.statusCode, 201, rb.body);
      assert.equal(json(ra)['name'], 'A');
      assert.equal(json(rb)['name'], null);
      assert.deepEqual((await store.trustedComponents.get(json(rb)['id']))!.manifest, b);
      await app.close();
    });

    test('an envelope above maxUploadBytes is 413', async () => {
      const store = await backend.open();
      const envelope = await buildTc(pki.signer);
      const app = adminApp(store, pki.trust, { maxUploadBytes: envelope.length - 1 });
      const res = await app.inject({ method: 'POST', url: '/admin/v1/tcs', headers: AUTH, payload: { envelope: Buffer.from(envelope).toString('base64') } });
      assert.equal(res.statusCode, 413);
      await assertNothingStored(store);
      await app.close();
    });

    test('without a token or with a wrong one: 401, audited, nothing stored', async () => {
      const store = await backend.open();
      const app = adminApp(store, pki.trust);
      const envelope = Buffer.from(await buildTc(pki.signer));
      const none = await app.inject({ method: 'POST', url: '/admin/v1/tcs', headers: { 'content-type': 'application/octet-stream' }, payload: envelope });
      const wrong = await app.inject({
        method: 'POST',
        url: '/admin/v1/tcs',
        headers: { 'content-type': 'application/octet-stream', authorization: 'Bearer wrong-token-wrong-token' },
        payload: envelope,
      });
      assert.equal(none.statusCode, 401);
      assert.equal(wrong.statusCode, 401);
      assert.match(String(wrong.headers['www-authenticate']), /invalid_token/);
      assert.equal((await app.inject({ method: 'GET', url: '/admin/v1/tcs' })).statusCode, 401);
      await assertNothingStored(store);
      const entries = (await store.audit.list({ decision: 'deny' })).entries;
      assert.deepEqual(entries.map((e) => [e.action, e.code]), [
        ['admin.tc.list', 'ERR_HTTP_UNAUTHORIZED'],
        ['admin.tc.upload', 'ERR_HTTP_UNAUTHORIZED'],
        ['admin.tc.upload', 'ERR_HTTP_UNAUTHORIZED'],
      ]);
      await app.close();
    });
  });
}

test('the signer trust may be a function, read at every upload (a re-signed CRL applies at once)', async () => {
  const [sqlite] = BACKENDS;
  const store = await sqlite!.open();
  let trust = pki.trust;
  const app = adminApp(store, () => trust);
  const signer = await issueTestSigner(pki.ca.signer, 'signer', 'rotating signer');
  assert.equal((await upload(app, await buildTc(signer, { name: 'r', sequenceNumber: 1 }))).statusCode, 201);
  const crl = await revokingCrl(pki.ca.signer, signer.chain[0]!);
  trust = trustWithSignerCrl(pki, crl);
  assert.equal(json(await upload(app, await buildTc(signer, { name: 'r', sequenceNumber: 2 })))['code'], 'ERR_CERTIFICATE_REVOKED');
  assert.equal((await store.trustedComponents.list())[0]!.sequenceNumber, 1);
  await app.close();
});


test('unknown media types get the admin 415 on every admin route; a policy sent as an envelope type is refused too', async () => {
  const [sqlite] = BACKENDS;
  const store = await sqlite!.open();
  const app = adminApp(store, pki.trust);
  for (const [url, type] of [['/admin/v1/tcs', 'application/cbor'], ['/admin/v1/policies', 'application/cbor'], ['/admin/v1/policies', 'text/plain']]) {
    const res = await app.inject({ method: 'POST', url: url!, headers: { ...AUTH, 'content-type': type! }, payload: 'x' });
    assert.equal(res.statusCode, type === 'text/plain' ? 400 : 415, `${url} ${type}`);
    if (type !== 'text/plain') assert.equal(json(res)['code'], 'ERR_ADMIN_UNSUPPORTED_MEDIA_TYPE');
  }
  const asEnvelope = await app.inject({ method: 'POST', url: '/admin/v1/policies', headers: { ...AUTH, 'content-type': 'application/octet-stream' }, payload: '{}' });
  assert.equal(asEnvelope.statusCode, 400);
  await assertNothingStored(store);
  assert.deepEqual(await store.policies.list(), []);
  await app.close();
});
