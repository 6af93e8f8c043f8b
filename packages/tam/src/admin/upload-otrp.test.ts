// POST /admin/v1/tcs with an OTrP TA package (application/vnd.otrp-ta+json, or JSON with format
// otrp-ta): accepted only when its spcert is a TC signer's under the TC-Signer CA; version = sequence
// number (no rollback); every refusal audited, no state change. Every store backend.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { toHex } from '@otrp/core';
import type { Store } from '../store/store.js';
import { encodeOtrpTaPackage, TA_PACKAGE_LIMITS, type OtrpTaPackage } from '../otrp/ta-package.js';
import { adminApp, adminTestSuite, AUTH, createTestPki, issueTestSigner, json, revokingCrl, trustWithSignerCrl } from './test-support/admin-fixture.js';

const { backends: BACKENDS, pki } = await adminTestSuite();

const te = (s: string) => new TextEncoder().encode(s);

function pkg(overrides: Partial<OtrpTaPackage> = {}): OtrpTaPackage {
  return { spid: 'bank.example', sdname: 'sd.bank.example', taid: 'ta.wallet', taname: 'wallet', version: 1, spcert: pki.signer.chain[0]!, binary: te('wallet v1'), pdata: te('perso'), ...overrides };
}

function uploadTa(app: FastifyInstance, body: Uint8Array | string, query = '') {
  return app.inject({ method: 'POST', url: `/admin/v1/tcs${query}`, headers: { ...AUTH, 'content-type': 'application/vnd.otrp-ta+json' }, payload: typeof body === 'string' ? body : Buffer.from(body) });
}

async function uploadAudit(store: Store) {
  return (await store.audit.list({ action: 'admin.tc.upload' })).entries;
}

async function assertNothingStored(store: Store): Promise<void> {
  assert.deepEqual(await store.trustedComponents.list(), []);
}

for (const backend of BACKENDS) {
  describe(`admin OTrP TA upload (${backend.name})`, { skip: backend.skip }, () => {
    test('a TA package with the TC signer as SP certificate is stored as otrp-ta: 201, version = sequence, audited; download as uploaded', async () => {
      const store = await backend.open();
      const app = adminApp(store, pki.trust);
      const bytes = encodeOtrpTaPackage(pkg({ version: 4 }));
      const res = await uploadTa(app, bytes, '?name=wallet');
      assert.equal(res.statusCode, 201, res.body);
      const tc = json(res);
      assert.equal(res.headers['location'], `/admin/v1/tcs/${tc['id']}`);
      assert.equal(tc['format'], 'otrp-ta');
      assert.equal(tc['name'], 'wallet');
      assert.equal(tc['sequenceNumber'], 4);
      assert.equal(tc['componentId'], toHex(te('ta.wallet')));
      assert.equal(tc['componentIdText'], 'ta.wallet');
      assert.match(tc['signerSubject'], /CN=otrp TC Signer/);
      const stored = (await store.trustedComponents.get(tc['id']))!;
      assert.deepEqual(stored.manifest, bytes);
      assert.equal(stored.format, 'otrp-ta');
      const dl = await app.inject({ method: 'GET', url: `/admin/v1/tcs/${tc['id']}/envelope`, headers: AUTH });
      assert.equal(dl.headers['content-type'], 'application/vnd.otrp-ta+json');
      assert.deepEqual(new Uint8Array(dl.rawPayload), bytes);
      const [entry] = await uploadAudit(store);
      assert.equal(entry!.decision, 'allow');
      const detail = entry!.detail as Record<string, unknown>;
      assert.deepEqual([detail['tcId'], detail['format'], detail['taid'], detail['spid'], detail['sdname'], detail['sequenceNumber']], [tc['id'], 'otrp-ta', 'ta.wallet', 'bank.example', 'sd.bank.example', 4]);
      await app.close();
    });

    test('a higher version replaces the package (200); equal or lower is 409 ERR_ADMIN_SEQUENCE_NOT_HIGHER; another SP or SD is 409 ERR_ADMIN_COMPONENT_CONFLICT', async () => {
      const store = await backend.open();
      const app = adminApp(store, pki.trust);
      const first = json(await uploadTa(app, encodeOtrpTaPackage(pkg())));
      const v2 = encodeOtrpTaPackage(pkg({ version: 2, binary: te('wallet v2') }));
      const res = await uploadTa(app, v2);
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(json(res)['id'], first['id']);
      assert.equal(json(res)['sequenceNumber'], 2);
      for (const p of [pkg({ version: 2, binary: te('replay') }), pkg({ version: 1 }), pkg({ version: undefined })]) {
        const again = await uploadTa(app, encodeOtrpTaPackage(p));
        assert.equal(again.statusCode, 409);
        assert.equal(json(again)['code'], 'ERR_ADMIN_SEQUENCE_NOT_HIGHER');
      }
      for (const p of [pkg({ version: 3, sdname: 'other.sd' }), pkg({ version: 3, spid: 'other.sp' })]) {
        const moved = await uploadTa(app, encodeOtrpTaPackage(p));
        assert.equal(moved.statusCode, 409);
        assert.equal(json(moved)['code'], 'ERR_ADMIN_COMPONENT_CONFLICT');
      }
      const stored = (await store.trustedComponents.get(first['id']))!;
      assert.equal(stored.sequenceNumber, 2);
      assert.deepEqual(stored.manifest, v2);
      assert.deepEqual((await uploadAudit(store)).map((e) => [e.decision, e.code]), [
        ['deny', 'ERR_ADMIN_COMPONENT_CONFLICT'],
        ['deny', 'ERR_ADMIN_COMPONENT_CONFLICT'],
        ['deny', 'ERR_ADMIN_SEQUENCE_NOT_HIGHER'],
        ['deny', 'ERR_ADMIN_SEQUENCE_NOT_HIGHER'],
        ['deny', 'ERR_ADMIN_SEQUENCE_NOT_HIGHER'],
        ['allow', null],
        ['allow', null],
      ]);
      await app.close();
    });

    test('an SP certificate from another PKI or another branch, a device certificate, a revoked signer, a CA: 422 with the chain code, audited with the claimed signer, nothing stored', async () => {
      const store = await backend.open();
      const other = await createTestPki();
      const device = await issueTestSigner(pki.ca.device, 'device', 'device 1');
      const revoked = await issueTestSigner(pki.ca.signer, 'signer', 'revoked SP');
      const wrongBranch = await issueTestSigner(pki.ca.device, 'signer', 'SP under the Device CA');
      const app = adminApp(store, trustWithSignerCrl(pki, await revokingCrl(pki.ca.signer, revoked.chain[0]!)));
      for (const [spcert, code] of [
        // Same issuer name as our TC-Signer CA, another key: the path is built and its signature fails.
        [other.signer.chain[0]!, 'ERR_CERTIFICATE_SIGNATURE'],
        [wrongBranch.chain[0]!, 'ERR_CHAIN_UNTRUSTED'],
        [device.chain[0]!, 'ERR_CERTIFICATE_ROLE'],
        [revoked.chain[0]!, 'ERR_CERTIFICATE_REVOKED'],
        [pki.ca.signer.certificate, 'ERR_CERTIFICATE_CONSTRAINTS'],
      ] as const) {
        const res = await uploadTa(app, encodeOtrpTaPackage(pkg({ spcert })));
        assert.equal(res.statusCode, 422, res.body);
        assert.equal(json(res)['code'], code);
      }
      await assertNothingStored(store);
      const entries = await uploadAudit(store);
      assert.deepEqual(entries.map((e) => e.code), ['ERR_CERTIFICATE_CONSTRAINTS', 'ERR_CERTIFICATE_REVOKED', 'ERR_CERTIFICATE_ROLE', 'ERR_CHAIN_UNTRUSTED', 'ERR_CERTIFICATE_SIGNATURE']);
      const detail = entries[4]!.detail as Record<string, unknown>;
      assert.equal(detail['status'], 422);
      assert.equal(detail['taid'], 'ta.wallet');
      assert.match(String(detail['presentedSigner']), /CN=otrp TC Signer/);
      await app.close();
    });

    test('malformed packages are 400 (ERR_ADMIN_INVALID_UPLOAD, ERR_CERTIFICATE_MALFORMED), audited, nothing stored', async () => {
      const store = await backend.open();
      const app = adminApp(store, pki.trust);
      const good = JSON.parse(new TextDecoder().decode(encodeOtrpTaPackage(pkg()))) as Record<string, unknown>;
      const bodies: [string | Uint8Array, string][] = [
        ['{"spid":', 'ERR_ADMIN_INVALID_UPLOAD'],
        [new Uint8Array([0xff, 0xfe]), 'ERR_ADMIN_INVALID_UPLOAD'],
        ['[]', 'ERR_ADMIN_INVALID_UPLOAD'],
        [JSON.stringify({ ...good, extra: 1 }), 'ERR_ADMIN_INVALID_UPLOAD'],
        [JSON.stringify({ ...good, version: 0 }), 'ERR_ADMIN_INVALID_UPLOAD'],
        [JSON.stringify({ ...good, version: '2' }), 'ERR_ADMIN_INVALID_UPLOAD'],
        [JSON.stringify({ ...good, version: 1.5 }), 'ERR_ADMIN_INVALID_UPLOAD'],
        [JSON.stringify({ ...good, taid: 'a\nb' }), 'ERR_ADMIN_INVALID_UPLOAD'],
        [JSON.stringify({ ...good, sdname: 'x'.repeat(TA_PACKAGE_LIMITS.maxIdLength + 1) }), 'ERR_ADMIN_INVALID_UPLOAD'],
        [JSON.stringify({ ...good, binary: { nested: 'AA==' } }), 'ERR_ADMIN_INVALID_UPLOAD'],
        [JSON.stringify({ ...good, binary: Buffer.alloc(TA_PACKAGE_LIMITS.maxPayloadBytes).toString('base64') }), 'ERR_ADMIN_INVALID_UPLOAD'],
        [JSON.stringify({ ...good, spcert: 'AAAA' }), 'ERR_CERTIFICATE_MALFORMED'],
        ['', 'ERR_ADMIN_INVALID_UPLOAD'],
      ];
      for (const [body, code] of bodies) {
        const res = await uploadTa(app, body);
        assert.equal(res.statusCode, 400, `${String(body).slice(0, 40)}: ${res.body}`);
        assert.equal(json(res)['code'], code);
      }
      await assertNothingStored(store);
      assert.deepEqual((await uploadAudit(store)).map((e) => e.code).reverse(), bodies.map(([, c]) => c));
      await app.close();
    });

    test('JSON uploads with format otrp-ta; a TA package sent as a SUIT envelope is not one; above maxUploadBytes is 413', async () => {
      const store = await backend.open();
      const bytes = encodeOtrpTaPackage(pkg());
      const app = adminApp(store, pki.trust, { maxUploadBytes: bytes.length });
      const asSuit = await app.inject({ method: 'POST', url: '/admin/v1/tcs', headers: { ...AUTH, 'content-type': 'application/suit-envelope+cose' }, payload: Buffer.from(bytes) });
      assert.equal(asSuit.statusCode, 400);
      assert.equal(json(asSuit)['code'], 'ERR_SUIT_MALFORMED');
      const tooBig = await uploadTa(app, encodeOtrpTaPackage(pkg({ binary: te('wallet v1 plus') })));
      assert.equal(tooBig.statusCode, 413);
      const badFormat = await app.inject({ method: 'POST', url: '/admin/v1/tcs', headers: AUTH, payload: { envelope: Buffer.from(bytes).toString('base64'), format: 'jar' } });
      assert.equal(badFormat.statusCode, 400);
      assert.equal(json(badFormat)['code'], 'ERR_HTTP_BAD_REQUEST');
      await assertNothingStored(store);
      const res = await app.inject({ method: 'POST', url: '/admin/v1/tcs', headers: AUTH, payload: { envelope: Buffer.from(bytes).toString('base64url'), format: 'otrp-ta', name: 'W' } });
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(json(res)['format'], 'otrp-ta');
      assert.equal(json(res)['name'], 'W');
      assert.deepEqual((await store.trustedComponents.get(json(res)['id']))!.manifest, bytes);
      await app.close();
    });
  });
}
