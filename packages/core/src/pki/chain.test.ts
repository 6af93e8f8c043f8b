import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateChain } from './chain.js';
import { parseCertificate } from './certificate-info.js';
import { createCaCertificate } from './certificate.js';
import { createCrl } from './crl.js';
import { generateKeyPair } from './key-algorithms.js';
import { exportPublicKeyPem } from './pem.js';
import { PKI_ROLE } from './roles.js';
import type { PkiRole } from './roles.js';
import { x509 } from './x509-runtime.js';
import { makeFixture } from './test-support/fixture.js';

const fx = await makeFixture('ESP256');
const anchorsFor = (branch: keyof typeof fx.branches) => [{ certificate: fx.branches[branch].certificate }];
const DAY = 86_400_000;

async function rejects(p: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.equal((e as { code?: string }).code, code, `expected ${code}, got ${(e as Error).name}: ${(e as Error).message}`);
    return true;
  });
}

for (const [role, branch] of [['tam', 'tam-ca'], ['device', 'device-ca'], ['signer', 'signer-ca'], ['verifier', 'tam-ca']] as const) {
  test(`a ${role} chain validates with the ${branch} anchor`, async () => {
    const { der } = await fx.leaf(role);
    const r = await validateChain({ chain: [der, fx.branches[branch].certificate], anchors: anchorsFor(branch), role });
    assert.equal(r.anchor, 'certificate');
    assert.equal(r.keyAlgorithm, 'ESP256');
    assert.deepEqual(r.leaf.extendedKeyUsage, [PKI_ROLE[role].eku]);
    assert.equal(r.path.length, 2);
    assert.deepEqual(r.path, [der, fx.branches[branch].certificate]); // the received bytes, leaf to anchor
    if (role === 'tam') assert.deepEqual(r.leaf.sanUris, ['https://tam.example/tam']);
  });
}

test('the leaf alone validates too (the branch CA is the anchor)', async () => {
  const { der } = await fx.leaf('signer');
  const r = await validateChain({ chain: [der], anchors: anchorsFor('signer-ca'), role: 'signer' });
  assert.equal(r.path.length, 2);
});

test('a chain through the root validates with the root as anchor, and EKU still decides the role', async () => {
  const { der } = await fx.leaf('device');
  const chain = [der, fx.branches['device-ca'].certificate];
  const r = await validateChain({ chain, anchors: [{ certificate: fx.root.certificate }], role: 'device' });
  assert.equal(r.path.length, 3);
  await rejects(validateChain({ chain, anchors: [{ certificate: fx.root.certificate }], role: 'signer' }), 'ERR_CERTIFICATE_ROLE');
});

test('a device certificate presented as TC signer fails with ERR_CERTIFICATE_ROLE', async () => {
  const { der } = await fx.leaf('device');
  await rejects(validateChain({ chain: [der, fx.branches['device-ca'].certificate], anchors: anchorsFor('signer-ca'), role: 'signer' }), 'ERR_CERTIFICATE_ROLE');
});

test('a signer-EKU certificate from the device branch is untrusted for signers (branch-for-role)', async () => {
  const { der } = await fx.leaf('signer', { branch: 'device-ca' });
  await rejects(validateChain({ chain: [der, fx.branches['device-ca'].certificate], anchors: anchorsFor('signer-ca'), role: 'signer' }), 'ERR_CHAIN_UNTRUSTED');
});

test('expired and not-yet-valid leaves map to TEEP err-code 9', async () => {
  const past = await fx.leaf('tam', { notBefore: new Date(Date.now() - 10 * DAY), notAfter: new Date(Date.now() - DAY) });
  await rejects(validateChain({ chain: [past.der], anchors: anchorsFor('tam-ca'), role: 'tam' }), 'ERR_CERTIFICATE_EXPIRED');
  const future = await fx.leaf('tam', { notBefore: new Date(Date.now() + DAY), days: 10 });
  await assert.rejects(validateChain({ chain: [future.der], anchors: anchorsFor('tam-ca'), role: 'tam' }), (e: unknown) => {
    assert.equal((e as { code: string }).code, 'ERR_CERTIFICATE_NOT_YET_VALID');
    assert.equal((e as { teepErrCode: number }).teepErrCode, 9);
    return true;
  });
  // `at` moves the validation time: the future certificate is valid then.
  await validateChain({ chain: [future.der], anchors: anchorsFor('tam-ca'), role: 'tam', at: new Date(Date.now() + 2 * DAY) });
});

test('a revoked leaf fails with ERR_CERTIFICATE_REVOKED (TEEP 6); a CRL without it passes', async () => {
  const { der } = await fx.leaf('device');
  const serialNumber = new x509.X509Certificate(der as Uint8Array<ArrayBuffer>).serialNumber;
  const issuer = fx.branches['device-ca'];
  const clean = await createCrl({ issuer, entries: [], crlNumber: 1 });
  await validateChain({ chain: [der], anchors: anchorsFor('device-ca'), role: 'device', crls: [clean] });
  const crl = await createCrl({ issuer, entries: [{ serialNumber, revocationDate: new Date(), reason: 'keyCompromise' }], crlNumber: 2 });
  await assert.rejects(validateChain({ chain: [der], anchors: anchorsFor('device-ca'), role: 'device', crls: [crl] }), (e: unknown) => {
    assert.equal((e as { code: string }).code, 'ERR_CERTIFICATE_REVOKED');
    assert.equal((e as { teepErrCode: number }).teepErrCode, 6);
    return true;
  });
});

test('a leaf revoked without a reason (or as unspecified) is still ERR_CERTIFICATE_REVOKED: the CRL stays valid DER', async () => {
  for (const reason of [undefined, 'unspecified'] as const) {
    const { der } = await fx.leaf('device');
    const serialNumber = new x509.X509Certificate(der as Uint8Array<ArrayBuffer>).serialNumber;
    const crl = await createCrl({ issuer: fx.branches['device-ca'], entries: [{ serialNumber, revocationDate: new Date(), ...(reason ? { reason } : {}) }], crlNumber: 3 });
    await rejects(validateChain({ chain: [der], anchors: anchorsFor('device-ca'), role: 'device', crls: [crl] }), 'ERR_CERTIFICATE_REVOKED');
  }
});

test('CRLs given but none current for the issuer: ERR_REVOCATION_UNKNOWN (fail closed)', async () => {
  const { der } = await fx.leaf('device');
  const otherCa = await createCrl({ issuer: fx.branches['tam-ca'], entries: [], crlNumber: 1 });
  await rejects(validateChain({ chain: [der], anchors: anchorsFor('device-ca'), role: 'device', crls: [otherCa] }), 'ERR_REVOCATION_UNKNOWN');
  const stale = await createCrl({ issuer: fx.branches['device-ca'], entries: [], crlNumber: 1, thisUpdate: new Date(Date.now() - 10 * DAY), nextUpdate: new Date(Date.now() - DAY) });
  await rejects(validateChain({ chain: [der], anchors: anchorsFor('device-ca'), role: 'device', crls: [stale] }), 'ERR_REVOCATION_UNKNOWN');
});

test('a certificate from an unknown CA fails with ERR_CHAIN_UNTRUSTED', async () => {
  const other = await makeFixture('ESP256');
  const { der } = await other.leaf('device');
  await rejects(validateChain({ chain: [der, other.branches['device-ca'].certificate], anchors: anchorsFor('device-ca'), role: 'device' }), 'ERR_CHAIN_UNTRUSTED');
});

test('an intermediate CA without keyCertSign is refused (ERR_CERTIFICATE_KEY_USAGE)', async () => {
  const keys = await generateKeyPair('ESP256');
  const bad = await x509.X509CertificateGenerator.create({
    serialNumber: '0a', subject: 'CN=No keyCertSign CA', issuer: new x509.X509Certificate(fx.root.certificate as Uint8Array<ArrayBuffer>).subject,
    publicKey: keys.publicKey, signingKey: fx.root.privateKey, signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + 100 * DAY),
    extensions: [new x509.BasicConstraintsExtension(true, 0, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true)],
  });
  const badCa = { certificate: new Uint8Array(bad.rawData), privateKey: keys.privateKey };
  // issueCertificate itself refuses such an issuer; build the leaf by hand as an attacker would.
  const leafKeys = await generateKeyPair('ESP256');
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: '0b', subject: 'CN=leaf', issuer: bad.subject, publicKey: leafKeys.publicKey, signingKey: badCa.privateKey,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' }, notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + 10 * DAY),
    extensions: [new x509.ExtendedKeyUsageExtension([PKI_ROLE.device.eku]), new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true)],
  });
  await rejects(validateChain({ chain: [new Uint8Array(leaf.rawData), badCa.certificate], anchors: [{ certificate: fx.root.certificate }], role: 'device' }), 'ERR_CERTIFICATE_KEY_USAGE');
});

test('a tampered signature fails with ERR_CERTIFICATE_SIGNATURE', async () => {
  const { der } = await fx.leaf('signer');
  const tampered = der.slice();
  tampered[tampered.length - 5] ^= 0x01; // inside the ECDSA signature value
  await rejects(validateChain({ chain: [tampered], anchors: anchorsFor('signer-ca'), role: 'signer' }), 'ERR_CERTIFICATE_SIGNATURE');
});

test('parsed certificates are remembered by content: bytes changed in place after a validation are seen as the new bytes', async () => {
  const { der } = await fx.leaf('signer');
  const original = der.slice();
  const first = await validateChain({ chain: [der], anchors: anchorsFor('signer-ca'), role: 'signer' });
  der[der.length - 5] ^= 0x01; // the same array now holds a tampered signature
  await rejects(validateChain({ chain: [der], anchors: anchorsFor('signer-ca'), role: 'signer' }), 'ERR_CERTIFICATE_SIGNATURE');
  assert.deepEqual(first.path[0], original, 'the earlier result does not share the caller\'s array');
  der[der.length - 5] ^= 0x01;
  assert.equal((await validateChain({ chain: [der], anchors: anchorsFor('signer-ca'), role: 'signer' })).anchor, 'certificate');
});

test('validFrom and validUntil are the span in which every certificate of the path is valid', async () => {
  const ca = parseCertificate(fx.branches['device-ca'].certificate);
  // The leaf ends before the branch CA and began before it: the CA decides the start, the leaf the end.
  const { der } = await fx.leaf('device', { notBefore: new Date(ca.notBefore.getTime() - DAY), notAfter: new Date(Date.now() + 3 * DAY) });
  const r = await validateChain({ chain: [der, fx.branches['device-ca'].certificate], anchors: anchorsFor('device-ca'), role: 'device' });
  assert.equal(r.validFrom.getTime(), ca.notBefore.getTime());
  assert.equal(r.validUntil.getTime(), parseCertificate(der).notAfter.getTime());
  assert.ok(r.validUntil < ca.notAfter);
});

test('garbage DER and garbage PEM give ERR_CERTIFICATE_MALFORMED, never a crash', async () => {
  const { der } = await fx.leaf('signer');
  for (const garbage of [new Uint8Array([0x30, 0x03, 0x02, 0x01]), der.subarray(0, der.length - 20), new Uint8Array(0), '-----BEGIN CERTIFICATE-----\n@@@\n-----END CERTIFICATE-----\n', 'hello']) {
    await rejects(validateChain({ chain: [garbage], anchors: anchorsFor('signer-ca'), role: 'signer' }), 'ERR_CERTIFICATE_MALFORMED');
  }
  await rejects(validateChain({ chain: [der], anchors: [{ certificate: new Uint8Array([1, 2, 3]) }], role: 'signer' }), 'ERR_CERTIFICATE_MALFORMED');
  await rejects(validateChain({ chain: [der], anchors: anchorsFor('signer-ca'), role: 'signer', crls: [new Uint8Array([0x30, 0x80])] }), 'ERR_CRL_INVALID');
});

test('a raw public key anchor trusts exactly that key, with no EKU check', async () => {
  const { der, keys } = await fx.leaf('device');
  for (const publicKey of [keys.publicKey, await exportPublicKeyPem(keys.publicKey), await crypto.subtle.exportKey('jwk', keys.publicKey)]) {
    const r = await validateChain({ chain: [der], anchors: [{ publicKey }], role: 'signer' as PkiRole });
    assert.equal(r.anchor, 'raw-key');
  }
  const other = await generateKeyPair('ESP256');
  await rejects(validateChain({ chain: [der], anchors: [{ publicKey: other.publicKey }], role: 'device' }), 'ERR_CHAIN_UNTRUSTED');
});

test('the leaf keyUsage must allow the requested use', async () => {
  const { der } = await fx.leaf('tam', { alg: 'X25519' });
  const r = await validateChain({ chain: [der], anchors: anchorsFor('tam-ca'), role: 'tam', usage: 'keyAgreement' });
  assert.equal(r.keyAlgorithm, 'X25519');
  await rejects(validateChain({ chain: [der], anchors: anchorsFor('tam-ca'), role: 'tam' }), 'ERR_CERTIFICATE_KEY_USAGE');
});

test('a CA certificate presented as leaf is refused', async () => {
  await rejects(validateChain({ chain: [fx.branches['tam-ca'].certificate], anchors: [{ certificate: fx.root.certificate }], role: 'tam' }), 'ERR_CERTIFICATE_CONSTRAINTS');
});

test('pathLenConstraint is enforced', async () => {
  // A sub-CA under a branch CA whose pathLenConstraint is 0.
  const keys = await generateKeyPair('ESP256');
  const sub = { certificate: await createCaCertificate({ name: 'Sub CA', keys, issuer: fx.branches['device-ca'] }), privateKey: keys.privateKey };
  const leafKeys = await generateKeyPair('ESP256');
  const { issueCertificate } = await import('./certificate.js');
  const leaf = await issueCertificate({ issuer: sub, role: 'device', subject: 'deep', publicKey: leafKeys.publicKey });
  await rejects(validateChain({ chain: [leaf, sub.certificate, fx.branches['device-ca'].certificate], anchors: [{ certificate: fx.root.certificate }], role: 'device' }), 'ERR_CERTIFICATE_CONSTRAINTS');
});

test('Ed25519 chains validate (pkijs lacks Ed25519; the engine adds it)', async () => {
  const ed = await makeFixture('Ed25519');
  const { der } = await ed.leaf('signer', { alg: 'Ed25519' });
  const r = await validateChain({ chain: [der], anchors: [{ certificate: ed.branches['signer-ca'].certificate }], role: 'signer' });
  assert.equal(r.keyAlgorithm, 'Ed25519');
  const tampered = der.slice();
  tampered[tampered.length - 3] ^= 0x40;
  await rejects(validateChain({ chain: [tampered], anchors: [{ certificate: ed.branches['signer-ca'].certificate }], role: 'signer' }), 'ERR_CERTIFICATE_SIGNATURE');
});
