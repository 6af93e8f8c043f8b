/**
 * OTrP negative cases over loopback HTTP (SQLite): each is answered with the draft's error code (by
 * the TEE, inside its signed response, and audited by the TAM with that code) or refused by the TAM,
 * and leaves the TAM's store (SD rows, inventory) and the TEE's state as they were: a stale dsihash,
 * a replayed rid/tid (to the TEE and to the TAM), a tampered JWS (each direction), a TAM certificate
 * revoked through the stapled OCSP data, a TEE using RSA1_5 without the per-peer opt-in, and the
 * otrp-over-http-02 binding itself (media types, methods, Cache-Control: no-store).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_JOSE_POLICY, DRAFT_MANDATORY_POLICY, generateJoseKeyPair, processOtrpRequest } from '@otrp/core';
import type { JosePrivateKey } from '@otrp/core';
import { makeOtrpPki, makeTee, messageName, postOtrp, revokeTamCertificate, runOtrpSession, type OtrpTestPki, type TestTee } from './support/otrp-fixture.js';
import { addRequiredTa, spCertificate, startTam, type TamHandle } from './support/tam.js';
import type { OtrpTamConfig } from '@otrp/tam';

interface World {
  root: string;
  pki: OtrpTestPki;
  tam: TamHandle;
  tee: TestTee;
}

async function world(fn: (w: World) => Promise<void>, options: { rsa?: JosePrivateKey; policy?: typeof DEFAULT_JOSE_POLICY; otrp?: OtrpTamConfig } = {}): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'otrp-otrp-neg-'));
  const pki = await makeOtrpPki(join(root, 'pki'), options.rsa);
  const tee = await makeTee(pki, options.rsa ?? (await generateJoseKeyPair('EC-P256')), options.policy ?? DEFAULT_JOSE_POLICY);
  const tam = await startTam(pki.dir, join(root, 'data'), undefined, options.otrp);
  try {
    await addRequiredTa(tam, await spCertificate(pki.dir));
    await fn({ root, pki, tam, tee });
  } finally {
    await tam.close();
    await rm(root, { recursive: true, force: true });
  }
}

async function tamState(w: World) {
  const store = w.tam.current.store;
  const devices = await store.devices.list();
  const out: { sds: string[]; inventory: string[] }[] = [];
  for (const d of devices) {
    out.push({
      sds: (await store.securityDomains.listForDevice(d.id)).map((s) => s.name),
      inventory: (await store.inventory.list(d.id)).map((e) => `${e.protocol}:${e.state}:${e.sequenceNumber}`),
    });
  }
  return out;
}

async function auditCodes(w: World, action: string): Promise<(string | null)[]> {
  return (await w.tam.current.store.audit.list({ action })).entries.map((e) => e.code);
}

/** Flips one character in the middle of a base64url string. */
function flip(s: string): string {
  const i = Math.floor(s.length / 2);
  return s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
}

function tamperSignature(message: string): string {
  const outer = JSON.parse(message);
  const name = Object.keys(outer)[0]!;
  outer[name].signature = flip(outer[name].signature);
  return JSON.stringify(outer);
}

test('stale dsihash: the TEE answers ERR_DEV_STATE_MISMATCH, nothing changes, the TAM re-reads the device state', () =>
  world(async (w) => {
    let checked = false;
    const s = await runOtrpSession(w.tam.url(), w.tee, {
      beforeTee: async (request, i) => {
        if (i === 1) {
          // The device changes between GetDeviceState and CreateSD: another SD of this TAM appears.
          const st = await w.tee.store.load();
          await w.tee.store.commit({ ...st, sds: [...st.sds, { tamid: 'https://tam.example/tam', spid: 'other.example', name: 'sd.other', spcerts: [], tas: [] }] });
        }
        if (i === 2) {
          assert.equal(messageName(request), 'GetDeviceStateRequest');
          assert.deepEqual(w.tee.store.snapshot().sds.map((x) => x.name), ['sd.other']);
          assert.deepEqual((await tamState(w)).map((d) => d.sds), [[]]);
          checked = true;
        }
      },
    });
    assert.equal(checked, true);
    assert.deepEqual(s.teeErrors, ['ERR_DEV_STATE_MISMATCH']);
    assert.deepEqual(s.names.slice(0, 8), [
      'GetDeviceStateRequest', 'GetDeviceStateResponse', 'CreateSDRequest', 'CreateSDResponse',
      'GetDeviceStateRequest', 'GetDeviceStateResponse', 'CreateSDRequest', 'CreateSDResponse',
    ]);
    assert.deepEqual(await auditCodes(w, 'otrp.tee-refused'), ['ERR_DEV_STATE_MISMATCH']);
    // Recovered: the TA is installed, and the SD the TAM did not want (empty, no policy) was deleted.
    assert.deepEqual(w.tee.store.snapshot().sds.map((x) => [x.name, x.tas.length]), [['sd.bank.example', 1]]);
  }));

test('replayed rid/tid: the TEE refuses a replayed request (ERR_REQUEST_INVALID), the TAM drops a replayed response', () =>
  world(async (w) => {
    const requests: string[] = [];
    const s = await runOtrpSession(w.tam.url(), w.tee, {
      beforeTee: async (request) => {
        requests.push(request);
      },
    });
    assert.deepEqual(s.teeErrors, []);
    const before = await tamState(w);
    const teeBefore = JSON.stringify(w.tee.store.snapshot());
    assert.deepEqual(before, [{ sds: ['sd.bank.example'], inventory: ['otrp:installed:1'] }]);
    // TAM -> TEE: the InstallTARequest again (same rid/tid).
    const installRequest = requests[2]!;
    assert.equal(messageName(installRequest), 'InstallTARequest');
    const replayed = await processOtrpRequest(w.tee.agent, installRequest);
    assert.equal(replayed.error?.wireCode, 'ERR_REQUEST_INVALID');
    assert.equal(replayed.error?.code, 'ERR_OTRP_REPLAY');
    assert.equal(JSON.stringify(w.tee.store.snapshot()), teeBefore);
    // TEE -> TAM: the CreateSDResponse again; and the TEE's replay error, which names no open request.
    const createResponse = (await processOtrpRequest(w.tee.agent, requests[1]!)).response;
    for (const body of [createResponse, replayed.response]) {
      const r = await postOtrp(w.tam.url(), body);
      assert.equal(r.status, 204);
      assert.equal(r.text, '');
    }
    assert.deepEqual(await auditCodes(w, 'otrp.message-refused'), ['ERR_TAM_OTRP_NO_SESSION', 'ERR_TAM_OTRP_NO_SESSION']);
    assert.deepEqual(await tamState(w), before);
  }));

test('tampered JWS: a tampered response changes nothing at the TAM (the genuine one still goes through); a tampered request is refused by the TEE', () =>
  world(async (w) => {
    let tampered = false;
    const s = await runOtrpSession(w.tam.url(), w.tee, {
      beforePost: async (response) => {
        if (messageName(response) !== 'CreateSDResponse' || tampered) return;
        tampered = true;
        const r = await postOtrp(w.tam.url(), tamperSignature(response));
        assert.equal(r.status, 204);
        assert.deepEqual((await tamState(w)).map((d) => d.sds), [[]]);
      },
    });
    assert.equal(tampered, true);
    // The draft's code for a signature that does not verify (-03 §13.1.1 "invalid ... signature").
    assert.deepEqual(await auditCodes(w, 'otrp.message-refused'), ['ERR_OTRP_REQUEST_INVALID']);
    assert.deepEqual(s.names.slice(-2), ['InstallTARequest', 'InstallTAResponse']);
    assert.deepEqual(await tamState(w), [{ sds: ['sd.bank.example'], inventory: ['otrp:installed:1'] }]);

    // TAM -> TEE: a new release, its UpdateTARequest tampered on the way.
    const store = w.tam.current.store;
    const [tc] = await store.trustedComponents.list();
    const { taPackage } = await import('./support/tam.js');
    await store.trustedComponents.updateManifest(tc!.id, { manifest: taPackage(await spCertificate(w.pki.dir), 2), sequenceNumber: 2, signerSubject: tc!.signerSubject, signerThumbprint: tc!.signerThumbprint });
    const teeBefore = JSON.stringify(w.tee.store.snapshot());
    const s2 = await runOtrpSession(w.tam.url(), w.tee, {
      beforeTee: async (request) => (messageName(request) === 'UpdateTARequest' ? tamperSignature(request) : undefined),
    });
    assert.deepEqual(s2.teeErrors, ['ERR_REQUEST_INVALID']);
    assert.deepEqual(s2.statuses, [200, 200, 204]);
    assert.equal(JSON.stringify(w.tee.store.snapshot()), teeBefore);
    assert.deepEqual(await auditCodes(w, 'otrp.tee-refused'), ['ERR_REQUEST_INVALID']);
    assert.deepEqual(await tamState(w), [{ sds: ['sd.bank.example'], inventory: ['otrp:installed:1'] }]);
  }));

test('TAM certificate revoked: the stapled OCSP data says so, the TEE answers ERR_TAM_NOT_TRUSTED, nothing changes', () =>
  world(async (w) => {
    await revokeTamCertificate(w.pki, 'esp256');
    const s = await runOtrpSession(w.tam.url(), w.tee);
    assert.deepEqual(s.teeErrors, ['ERR_TAM_NOT_TRUSTED']);
    assert.deepEqual(s.names, ['GetDeviceStateRequest', 'GetDeviceStateResponse']);
    assert.deepEqual(s.statuses, [200, 204]);
    // Before the TAM is trusted the TEE answers in clear, without did (A14): the TAM cannot tell which device.
    assert.deepEqual(await auditCodes(w, 'otrp.tee-refused'), ['ERR_TAM_NOT_TRUSTED']);
    assert.deepEqual(await tamState(w), []);
    assert.deepEqual(w.tee.store.snapshot(), { sds: [], spaiks: [] });
  }));

test('RSA parties: RSA1_5 without the per-peer opt-in is refused; the TAM falls back to RS256 for a TEE that cannot verify ES256', async () => {
  const rsa = await generateJoseKeyPair('RSA'); // the one RSA key pair of this file
  const refused = async (otrp: OtrpTamConfig | undefined, code: string) =>
    world(
      async (w) => {
        const s = await runOtrpSession(w.tam.url(), w.tee);
        // ES256 first (the default), the TEE asks for RS256, the TAM retries; then the edsi arrives with RSA1_5.
        assert.deepEqual(s.teeErrors, ['ERR_UNSUPPORTED_CRYPTO_ALG']);
        assert.deepEqual(s.names, ['GetDeviceStateRequest', 'GetDeviceStateResponse', 'GetDeviceStateRequest', 'GetDeviceStateResponse']);
        assert.deepEqual(s.statuses, [200, 200, 204]);
        assert.deepEqual(await auditCodes(w, 'otrp.message-refused'), [code]);
        assert.deepEqual(await tamState(w), []);
      },
      { rsa, policy: DRAFT_MANDATORY_POLICY, ...(otrp && { otrp }) },
    );
  // No peer has RSA1_5: the TAM does not even try to unwrap it.
  await refused(undefined, 'ERR_JOSE_ALG_REFUSED');
  // Another TEE has it: this one (other thumbprint) is still refused once its certificate is known.
  await refused({ peers: [{ thumbprint: '00'.repeat(32), keyTransport: ['RSA1_5'] }] }, 'ERR_TAM_OTRP_PEER_REFUSED');
});

test('otrp-over-http-02 binding: media type, Accept, methods, Cache-Control: no-store (and none on /tam)', () =>
  world(async (w) => {
    const open = await postOtrp(w.tam.url());
    assert.equal(open.status, 200);
    assert.equal(open.headers.get('content-type'), 'application/otrp+json');
    assert.equal(open.headers.get('cache-control'), 'no-store');
    assert.equal(open.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(messageName(open.text), 'GetDeviceStateRequest');
    assert.equal((await postOtrp(w.tam.url(), '', { accept: 'application/teep+cbor' })).status, 406);
    const wrongType = await postOtrp(w.tam.url(), '{}', { 'content-type': 'application/json' });
    assert.equal(wrongType.status, 415);
    assert.equal(JSON.parse(wrongType.text).code, 'ERR_HTTP_UNSUPPORTED_MEDIA_TYPE');
    const garbage = await postOtrp(w.tam.url(), '{"not":"otrp"}');
    assert.equal(garbage.status, 204);
    assert.equal(garbage.headers.get('cache-control'), 'no-store');
    assert.deepEqual(await auditCodes(w, 'otrp.message-refused'), ['ERR_OTRP_REQUEST_INVALID']);
    const get = await fetch(`${w.tam.url()}/otrp`);
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST');
    const teep = await fetch(`${w.tam.url()}/tam`, { method: 'POST', headers: { accept: 'application/teep+cbor' } });
    assert.equal(teep.status, 200);
    assert.equal(teep.headers.get('cache-control'), null);
  }));
