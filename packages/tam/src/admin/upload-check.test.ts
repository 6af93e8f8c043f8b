// checkTcUpload on its own: what an accepted upload yields, and that nothing but the validated leaf key counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { decodeCbor, toHex } from '@otrp/core';
import { checkTcUpload } from './upload-check.js';
import { buildTc, createTestPki, issueTestSigner } from './test-support/admin-fixture.js';

test('an accepted upload yields the manifest component id, sequence number and signer', async () => {
  const pki = await createTestPki();
  const envelope = await buildTc(pki.signer, { name: 'unit', sequenceNumber: 9 });
  const r = await checkTcUpload(envelope, pki.trust);
  assert.deepEqual(r.envelope, envelope);
  assert.notEqual(r.envelope.buffer, envelope.buffer, 'a copy, not a view of the request');
  assert.equal(r.sequenceNumber, 9);
  const id = decodeCbor(r.componentId) as Uint8Array[];
  assert.deepEqual(id.map((e, i) => (i === 2 ? toHex(e) : new TextDecoder().decode(e))), [
    'TEEP-Device', 'SecureFS', Buffer.from('unit............').toString('hex'), 'suit',
  ]);
  assert.equal(r.componentIdText, `['TEEP-Device', 'SecureFS', 'unit............', 'suit']`);
  assert.equal(r.signerSubject, 'CN=otrp TC Signer');
  assert.equal(toHex(r.signerThumbprint), createHash('sha256').update(pki.signer.chain[0]!).digest('hex'));
});

test('validity is checked at the given time: a signer not yet valid is ERR_CERTIFICATE_NOT_YET_VALID', async () => {
  const pki = await createTestPki();
  const later = await issueTestSigner(pki.ca.signer, 'signer', 'future signer', { notBefore: new Date(Date.now() + 86_400_000), days: 30 });
  const envelope = await buildTc(later);
  await assert.rejects(checkTcUpload(envelope, pki.trust), { code: 'ERR_CERTIFICATE_NOT_YET_VALID' });
  const r = await checkTcUpload(envelope, pki.trust, new Date(Date.now() + 2 * 86_400_000));
  assert.equal(r.signerSubject, 'CN=future signer');
});
