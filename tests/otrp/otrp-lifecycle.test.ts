/**
 * OTrP end to end over loopback HTTP against the TAM (startTamServer in-process, `POST /otrp`), the
 * TEE played by core's processOtrpRequest: GetDeviceState -> CreateSD -> InstallTA (with a TAM
 * restart between CreateSD's response and InstallTA) -> UpdateTA -> DeleteTA -> DeleteSD, driven by
 * the TAM's policy, on SQLite and on PostgreSQL, once with RSA parties on the draft's mandatory set
 * (RS256 + RSA1_5 + A128CBC-HS256, RSA1_5 opted in for that TEE only) and once with P-256 parties
 * (ES256 + ECDH-ES+A128KW). The P-256 run also installs a TEEP TC on the same device certificate:
 * both show in one inventory in the admin device listing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_JOSE_POLICY, DRAFT_MANDATORY_POLICY, generateJoseKeyPair, toHex } from '@otrp/core';
import type { JosePrivateKey } from '@otrp/core';
import { makeOtrpPki, makeTee, messageName, runOtrpSession, type TestTee } from './support/otrp-fixture.js';
import { addRequiredTa, listedInventory, sha256, spCertificate, startTam, taPackage, uploadTaPackage } from './support/tam.js';
import { installTeepTc } from './support/teep.js';
import { onFreshPostgres } from '../tam/support/pg.js';

let rsaKey: Promise<JosePrivateKey> | undefined;
/** The one RSA-2048 key pair of this file: the TAM's tam/rs256 key and the RSA TEE's key. */
const theRsaKey = () => (rsaKey ??= generateJoseKeyPair('RSA'));

const FIRST = ['GetDeviceStateRequest', 'GetDeviceStateResponse', 'CreateSDRequest', 'CreateSDResponse', 'InstallTARequest', 'InstallTAResponse'];

function decodePart(b64url: string): any {
  return JSON.parse(Buffer.from(b64url.trim(), 'base64url').toString('utf8'));
}

/** The JWS alg, the JWE key transport and enc of a signed SD/TA message. */
function algorithmsOf(message: string): { jws: string; keyTransport: string; enc: string } {
  const outer = JSON.parse(message);
  const jws = outer[Object.keys(outer)[0]!];
  const tbs = decodePart(jws.payload);
  const content = tbs[Object.keys(tbs)[0]!].content;
  return { jws: decodePart(jws.protected).alg, keyTransport: content.recipients?.[0]?.header?.alg ?? decodePart(content.protected).alg, enc: decodePart(content.protected).enc };
}

async function lifecycle(kind: 'rsa' | 'p256', db: string | undefined): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'otrp-otrp-e2e-'));
  const pkiDir = join(root, 'pki');
  const rsa = kind === 'rsa' ? await theRsaKey() : undefined;
  const pki = await makeOtrpPki(pkiDir, rsa);
  const teeKey = rsa ?? (await generateJoseKeyPair('EC-P256'));
  let tee: TestTee = await makeTee(pki, teeKey, rsa ? DRAFT_MANDATORY_POLICY : DEFAULT_JOSE_POLICY);
  // RSA1_5 is opt-in per peer: only this TEE (by certificate thumbprint) gets it.
  const otrp = rsa ? { signingAlg: 'RS256' as const, peers: [{ thumbprint: toHex(sha256(tee.chain[0]!)), keyTransport: ['RSA1_5' as const] }] } : undefined;
  const tam = await startTam(pkiDir, join(root, 'data'), db, otrp);
  try {
    if (kind === 'p256') {
      // TEEP first, with the same device certificate: one device row, two protocols.
      const teep = await installTeepTc(tam, pki, pkiDir, teeKey, tee.chain);
      assert.deepEqual(teep.types, ['query-request', 'query-response', 'update', 'success']);
      tee = await makeTee(pki, teeKey, DEFAULT_JOSE_POLICY, tee.chain);
    }
    const spcert = await spCertificate(pkiDir);
    const tcId = await addRequiredTa(tam, spcert);

    // Session 1: GetDeviceState, CreateSD, (TAM restart), InstallTA.
    let restarted = false;
    const requests: string[] = [];
    const s1 = await runOtrpSession(tam.url(), tee, {
      beforeTee: async (request) => {
        requests.push(request);
      },
      beforePost: async (response) => {
        if (messageName(response) === 'CreateSDResponse') {
          await tam.restart();
          restarted = true;
        }
      },
      url: () => tam.url(),
    });
    assert.equal(restarted, true);
    assert.deepEqual(s1.teeErrors, []);
    assert.deepEqual(s1.names, FIRST);
    assert.deepEqual(s1.statuses, [200, 200, 200, 204]);
    const snap1 = tee.store.snapshot();
    assert.equal(snap1.sds.length, 1);
    assert.equal(snap1.sds[0]!.tamid, 'https://tam.example/tam');
    assert.equal(Buffer.from(snap1.sds[0]!.tas[0]!.binary).toString(), 'wallet TA v1');
    const expectAlgs = rsa ? { jws: 'RS256', keyTransport: 'RSA1_5', enc: 'A128CBC-HS256' } : { jws: 'ES256', keyTransport: 'ECDH-ES+A128KW', enc: 'A128CBC-HS256' };
    assert.deepEqual(algorithmsOf(requests[1]!), expectAlgs, 'CreateSDRequest');
    assert.deepEqual(algorithmsOf(s1.last!.response), expectAlgs, 'InstallTAResponse');
    const store = () => tam.current.store;
    const [device] = await store().devices.list();
    assert.ok(device);
    const sds = await store().securityDomains.listForDevice(device.id);
    assert.deepEqual(sds.map((s) => [s.name, s.spid, s.ownerTam]), [['sd.bank.example', 'bank.example', 'https://tam.example/tam']]);
    const otrpEntry = { protocol: 'otrp', tcId, state: 'installed', seq: 1 };
    const listed1 = await listedInventory(tam, 'otrp e2e TEE');
    if (kind === 'p256') {
      assert.equal(listed1.length, 2);
      assert.deepEqual(listed1[0], otrpEntry);
      assert.equal(listed1[1]!.protocol, 'teep');
      assert.equal(listed1[1]!.state, 'installed');
    } else assert.deepEqual(listed1, [otrpEntry]);

    // Session 2: a newer TA release, uploaded through the admin API (version 2 replaces 1) -> UpdateTA.
    const up2 = await uploadTaPackage(tam, taPackage(spcert, 2));
    assert.deepEqual([up2.status, up2.json.id, up2.json.sequenceNumber], [200, tcId, 2]);
    const s2 = await runOtrpSession(tam.url(), tee);
    assert.deepEqual(s2.names, ['GetDeviceStateRequest', 'GetDeviceStateResponse', 'UpdateTARequest', 'UpdateTAResponse']);
    assert.equal(Buffer.from(tee.store.snapshot().sds[0]!.tas[0]!.binary).toString(), 'wallet TA v2');
    assert.deepEqual((await listedInventory(tam, 'otrp e2e TEE')).find((e) => e.protocol === 'otrp'), { ...otrpEntry, seq: 2 });

    // Session 3 after another restart: policy `remove` -> DeleteTA, then the empty SD -> DeleteSD.
    await tam.restart();
    await store().policies.set({ tcId, action: 'remove', scope: { kind: 'all' } });
    const s3 = await runOtrpSession(tam.url(), tee);
    assert.deepEqual(s3.names, ['GetDeviceStateRequest', 'GetDeviceStateResponse', 'DeleteTARequest', 'DeleteTAResponse', 'DeleteSDRequest', 'DeleteSDResponse']);
    assert.deepEqual(s3.teeErrors, []);
    assert.deepEqual(tee.store.snapshot(), { sds: [], spaiks: [] });
    assert.deepEqual(await store().securityDomains.listForDevice(device.id), []);
    const listed3 = await listedInventory(tam, 'otrp e2e TEE');
    assert.deepEqual(listed3.map((e) => e.protocol), kind === 'p256' ? ['teep'] : []);

    // Session 4: nothing left to do.
    const s4 = await runOtrpSession(tam.url(), tee);
    assert.deepEqual(s4.names, ['GetDeviceStateRequest', 'GetDeviceStateResponse']);
    assert.deepEqual(s4.statuses, [200, 204]);
  } finally {
    await tam.close();
    await rm(root, { recursive: true, force: true });
  }
}

test('OTrP lifecycle, P-256 parties, SQLite (with a TEEP TC side by side)', () => lifecycle('p256', undefined));
test('OTrP lifecycle, RSA parties on RS256 + RSA1_5 + A128CBC-HS256, SQLite', () => lifecycle('rsa', undefined));
test('OTrP lifecycle, P-256 parties, PostgreSQL (with a TEEP TC side by side)', (t) => onFreshPostgres(t, 'the P-256 OTrP lifecycle on PostgreSQL', (db) => lifecycle('p256', db)));
test('OTrP lifecycle, RSA parties on RS256 + RSA1_5 + A128CBC-HS256, PostgreSQL', (t) => onFreshPostgres(t, 'the RSA OTrP lifecycle on PostgreSQL', (db) => lifecycle('rsa', db)));
