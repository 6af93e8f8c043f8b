import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readCsr, coseKeyToSpki } from '@otrp/core';
import { DEVICE_KEY_PURPOSES, createEnrolmentRequest, decodeDeviceKeys, encodeDeviceKeys, generateDeviceKeys, publicDeviceKeys, checkDeviceName } from './device-keys.js';
import { issueDeviceCertificates } from '../enrolment.js';
import { testDeviceCa } from '../test-support/test-ca.js';
import { checkCredentialsMatchKeys, decodeCredentials, encodeCredentials, EMPTY_CREDENTIALS } from './device-credentials.js';

for (const alg of ['ESP256', 'Ed25519'] as const) {
  test(`${alg}: four distinct keys, CSRs that verify, certificates that match, sealed-file encoding round trip`, async () => {
    const set = await generateDeviceKeys('dev', alg);
    const curves = DEVICE_KEY_PURPOSES.map((p) => set.keys[p].crv);
    assert.deepEqual(curves, alg === 'ESP256' ? ['P-256', 'P-256', 'P-256', 'P-256'] : ['Ed25519', 'Ed25519', 'Ed25519', 'X25519']);
    assert.equal(new Set(DEVICE_KEY_PURPOSES.map((p) => Buffer.from(set.keys[p].x!).toString('hex'))).size, 4);
    assert.ok(DEVICE_KEY_PURPOSES.every((p) => set.keys[p].d instanceof Uint8Array));
    assert.ok(Object.values(publicDeviceKeys(set)).every((k) => k.d === undefined));
    assert.deepEqual(decodeDeviceKeys(encodeDeviceKeys(set)), set);

    const req = await createEnrolmentRequest(set);
    for (const p of ['teep', 'suitReport', 'attestation'] as const) {
      const info = await readCsr(req.csrs[p]);
      assert.deepEqual(info.spki, coseKeyToSpki(set.keys[p]));
      assert.equal(info.subjectText, `CN=dev ${p === 'suitReport' ? 'suit-report' : p}`);
    }
    const certificates = await issueDeviceCertificates(req, await testDeviceCa());
    const creds = { ...EMPTY_CREDENTIALS, certificates };
    checkCredentialsMatchKeys(creds, set);
    assert.deepEqual(decodeCredentials(encodeCredentials(creds)).certificates, certificates);
    // A CSR for another key than the one reported is refused at enrolment.
    await assert.rejects(issueDeviceCertificates({ ...req, csrs: { ...req.csrs, teep: req.csrs.attestation } }, await testDeviceCa()), { code: 'ERR_DEVICE_CREDENTIAL_MISMATCH' });
  });
}

test('bad names and algorithms are refused', async () => {
  for (const n of ['', '..', 'a b', 'x'.repeat(49), 'a/b']) assert.throws(() => checkDeviceName(n), { code: 'ERR_INVALID_ARGUMENT' });
  await assert.rejects(generateDeviceKeys('dev', 'RS256' as 'ESP256'), { code: 'ERR_INVALID_ARGUMENT' });
  assert.throws(() => decodeDeviceKeys(new Uint8Array([0xa0])), { code: 'ERR_INVALID_ARGUMENT' });
});

test('credentials keep the TAM attester keys and the SUIT identity; a damaged identity is refused, not used', async () => {
  const tamAttester = publicDeviceKeys(await generateDeviceKeys('tam-sim', 'ESP256')).attestation;
  const vendorId = new Uint8Array(16).fill(0xfa);
  const classId = new Uint8Array(16).fill(0x14);
  const back = decodeCredentials(encodeCredentials({ ...EMPTY_CREDENTIALS, tamAttesterKeys: [tamAttester], vendorId, classId }));
  assert.deepEqual(back.tamAttesterKeys?.map(coseKeyToSpki), [coseKeyToSpki(tamAttester)]);
  assert.deepEqual([back.vendorId, back.classId], [vendorId, classId]);
  // Older files have none of them: nothing is required, no identity.
  const old = decodeCredentials(encodeCredentials(EMPTY_CREDENTIALS));
  assert.deepEqual([old.tamAttesterKeys, old.vendorId, old.classId], [undefined, undefined, undefined]);
  // A vendor id that is not 16 bytes (a damaged or forged record) is an error, not a shorter identity.
  const damaged = encodeCredentials({ ...EMPTY_CREDENTIALS, vendorId: new Uint8Array(15) });
  assert.throws(() => decodeCredentials(damaged), { code: 'ERR_TEE_CHANNEL' });
});
