import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateJoseKeyPair, issueCertificate, parseCertificate, readCsr } from '@otrp/core';
import { SealedStorage, createDeviceSecret } from './sealed-storage.js';
import { OTRP_KEY_FILE, generateOtrpKey, installOtrpCertificate, readOtrpKey } from './otrp-identity.js';
import { encodeRecord } from './cbor-record.js';
import { issueOtrpCertificate } from '../enrolment.js';
import { testDeviceCa } from '../test-support/test-ca.js';

async function freshStorage(t: { after(fn: () => unknown): void }): Promise<SealedStorage> {
  const dir = await mkdtemp(join(tmpdir(), 'otrp-otrp-key-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await createDeviceSecret(join(dir, 'tee'));
  return SealedStorage.open(join(dir, 'tee'));
}

test('the dedicated OTrP key: generated once, CSR with proof of possession, certificate must certify it', { timeout: 60_000 }, async (t) => {
  const storage = await freshStorage(t);
  const ca = await testDeviceCa();
  assert.equal(await readOtrpKey(storage), undefined);
  await assert.rejects(installOtrpCertificate(storage, [ca.certificate]), { code: 'ERR_DEVICE_CREDENTIAL_MISMATCH' });
  await assert.rejects(generateOtrpKey(storage, 'dev', 'PS256', false), { code: 'ERR_INVALID_ARGUMENT' });

  const req = await generateOtrpKey(storage, 'dev', 'RS256', false);
  const csr = await readCsr(req.csr);
  assert.equal(csr.subjectText, 'CN=dev otrp');
  assert.deepEqual(csr.spki, req.spki);
  // Asked again (a resumed init): the same key, never a new one.
  const again = await generateOtrpKey(storage, 'dev', 'RS256', true);
  assert.deepEqual(again.spki, req.spki);
  assert.equal((await readOtrpKey(storage))!.rsa15, true);

  // A certificate for another key is refused; the right one is kept with its chain.
  const other = await generateJoseKeyPair('RSA');
  const wrong = await issueCertificate({ issuer: ca, role: 'device', subject: 'dev otrp', publicKey: other.spki });
  await assert.rejects(installOtrpCertificate(storage, [wrong, ca.certificate]), { code: 'ERR_DEVICE_CREDENTIAL_MISMATCH' });
  await assert.rejects(installOtrpCertificate(storage, []), { code: 'ERR_DEVICE_CREDENTIAL_MISMATCH' });
  await assert.rejects(installOtrpCertificate(storage, [new Uint8Array([1, 2, 3])]), { code: 'ERR_DEVICE_CREDENTIAL_MISMATCH' });
  assert.equal((await readOtrpKey(storage))!.chain, undefined);
  const chain = await issueOtrpCertificate(again, ca);
  const leaf = parseCertificate(chain[0]!);
  assert.equal(leaf.subject, 'CN=dev otrp');
  await installOtrpCertificate(storage, chain);
  const stored = (await readOtrpKey(storage))!;
  assert.deepEqual(stored.chain, chain);
  assert.deepEqual(stored.key.spki, req.spki);

  // A CSR whose key is not the one reported is refused by the enrolment.
  await assert.rejects(issueOtrpCertificate({ ...again, spki: other.spki }, ca), { code: 'ERR_DEVICE_CREDENTIAL_MISMATCH' });

  // Sealed but malformed: ERR_OTRP_STORE_CORRUPT.
  await storage.write(OTRP_KEY_FILE, encodeRecord({ version: 1, alg: 'RS256', pkcs8: 'x', spki: new Uint8Array(1), rsa15: false }));
  await assert.rejects(readOtrpKey(storage), { code: 'ERR_OTRP_STORE_CORRUPT' });
  await storage.write(OTRP_KEY_FILE, encodeRecord({ version: 1, alg: 'ES512', pkcs8: new Uint8Array(1), spki: new Uint8Array(1), rsa15: false }));
  await assert.rejects(readOtrpKey(storage), { code: 'ERR_OTRP_STORE_CORRUPT' });
});
