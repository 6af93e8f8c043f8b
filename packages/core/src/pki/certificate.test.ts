import { test } from 'node:test';
import assert from 'node:assert/strict';
import { issueCertificate } from './certificate.js';
import { parseCertificate } from './certificate-info.js';
import { createCsr, readCsr } from './csr.js';
import { createCrl, readCrl } from './crl.js';
import { generateKeyPair, spkiInfo } from './key-algorithms.js';
import { importPrivateKey, exportPrivateKeyPem, encodePem } from './pem.js';
import { x509 } from './x509-runtime.js';
import { makeFixture } from './test-support/fixture.js';

const F = x509.KeyUsageFlags;
const fx = await makeFixture('ESP256');

async function rejects(p: Promise<unknown> | (() => unknown), code: string): Promise<void> {
  await assert.rejects(async () => (typeof p === 'function' ? p() : p), (e: unknown) => {
    assert.equal((e as { code?: string }).code, code, `expected ${code}, got ${(e as Error).message}`);
    return true;
  });
}

test('an Ed25519 certificate has digitalSignature and never keyAgreement (RFC 8410 §5)', async () => {
  const { der } = await fx.leaf('tam', { alg: 'Ed25519' });
  const info = parseCertificate(der);
  assert.equal(info.keyUsage, F.digitalSignature);
  await rejects(fx.leaf('tam', { alg: 'Ed25519', keyUsage: { keyAgreement: true } }), 'ERR_INVALID_ARGUMENT');
});

test('an X25519 certificate has keyAgreement only, and is certified without a CSR', async () => {
  const keys = await generateKeyPair('X25519');
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey));
  const der = await issueCertificate({ issuer: fx.branches['tam-ca'], role: 'tam', subject: 'tam x25519', publicKey: spki, sanUris: ['https://tam.example/tam'] });
  const info = parseCertificate(der);
  assert.equal(info.keyUsage, F.keyAgreement);
  assert.equal(spkiInfo(info.spki).algorithm, 'X25519');
  await rejects(createCsr({ keys, name: 'x' }), 'ERR_INVALID_ARGUMENT');
});

test('a P-256 signing certificate has digitalSignature; the role fixes the EKU; the TAM needs a SAN URI', async () => {
  const { der } = await fx.leaf('device', { sanUris: ['urn:uuid:4ffdf283-eba3-4753-8728-1cb47ae5ba74'] });
  const info = parseCertificate(der);
  assert.equal(info.keyUsage, F.digitalSignature);
  assert.equal(info.isCa, false);
  assert.deepEqual(info.extendedKeyUsage, ['1.3.6.1.5.5.7.3.2']);
  assert.deepEqual(info.sanUris, ['urn:uuid:4ffdf283-eba3-4753-8728-1cb47ae5ba74']);
  await rejects(fx.leaf('tam', { sanUris: [] }), 'ERR_INVALID_ARGUMENT');
  await rejects(fx.leaf('device', { sanUris: ['not a uri'] }), 'ERR_INVALID_ARGUMENT');
});

test('RSA keys under 2048 bits are refused: generation, issuing and parsing', async () => {
  await rejects(generateKeyPair('RS256', { modulusLength: 1024 }), 'ERR_PKI_WEAK_KEY');
  const small = (await crypto.subtle.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['sign', 'verify'],
  )) as CryptoKeyPair;
  await rejects(issueCertificate({ issuer: fx.branches['signer-ca'], role: 'signer', subject: 'weak', publicKey: small.publicKey }), 'ERR_PKI_WEAK_KEY');
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', small.publicKey));
  await rejects(() => spkiInfo(spki), 'ERR_PKI_WEAK_KEY');
});

test('validity: explicit ends beyond the issuer are refused; notAfter must follow notBefore', async () => {
  await rejects(fx.leaf('device', { days: 365 * 50 }), 'ERR_INVALID_ARGUMENT');
  await rejects(fx.leaf('device', { notBefore: new Date(), notAfter: new Date(Date.now() - 1000) }), 'ERR_INVALID_ARGUMENT');
  const { der } = await fx.leaf('device', { days: 3 });
  const info = parseCertificate(der);
  assert.ok(info.notAfter.getTime() - info.notBefore.getTime() <= 3 * 86_400_000 + 1000);
});

test('a CA key that does not match the CA certificate is refused', async () => {
  const other = await generateKeyPair('ESP256');
  const keys = await generateKeyPair('ESP256');
  await rejects(issueCertificate({ issuer: { certificate: fx.branches['tam-ca'].certificate, privateKey: other.privateKey }, role: 'tam', subject: 't', publicKey: keys.publicKey, sanUris: ['https://t/'] }), 'ERR_INVALID_ARGUMENT');
});

test('CSR: created in PEM, read back with proof of possession, issued with the subject unchanged', async () => {
  const keys = await generateKeyPair('ESP256');
  const csrDer = await createCsr({ keys, name: 'device-0001', sanUris: ['urn:uuid:0e9a6cf0-3b4d-4a8e-9d7e-2f1c3a5b7d90'] });
  const csr = await readCsr(encodePem(csrDer, 'CERTIFICATE REQUEST'));
  assert.equal(csr.subjectText, 'CN=device-0001');
  assert.equal(csr.algorithm, 'ESP256');
  assert.deepEqual(csr.sanUris, ['urn:uuid:0e9a6cf0-3b4d-4a8e-9d7e-2f1c3a5b7d90']);
  const der = await issueCertificate({ issuer: fx.branches['device-ca'], role: 'device', subject: csr.subject, publicKey: csr.spki, sanUris: csr.sanUris });
  const info = parseCertificate(der);
  assert.equal(info.subject, 'CN=device-0001');
  assert.deepEqual(info.spki, csr.spki);
  const tampered = csrDer.slice();
  tampered[tampered.length - 4] ^= 1;
  await rejects(readCsr(tampered), 'ERR_CSR_INVALID');
  await rejects(readCsr(new Uint8Array([0x30, 0x82, 0xff])), 'ERR_CSR_INVALID');
});

test('CRL: entries, reason and numbers read back; garbage gives ERR_CRL_INVALID', async () => {
  const crl = await createCrl({ issuer: fx.branches['device-ca'], entries: [{ serialNumber: '0badc0de', revocationDate: new Date('2026-01-01T00:00:00Z'), reason: 'keyCompromise' }], crlNumber: 7 });
  const info = readCrl(encodePem(crl, 'X509 CRL'));
  assert.equal(info.issuer, 'CN=Test Device CA');
  assert.equal(info.entries.length, 1);
  assert.equal(info.entries[0]!.serialNumber.toLowerCase(), '0badc0de');
  assert.equal(info.entries[0]!.reason, 1);
  assert.ok(info.nextUpdate && info.nextUpdate > info.thisUpdate);
  await rejects(() => readCrl(new Uint8Array([1, 2, 3])), 'ERR_CRL_INVALID');
});

test('PKCS#8 PEM keys round-trip with their algorithm detected', async () => {
  for (const alg of ['ESP256', 'Ed25519', 'X25519'] as const) {
    const keys = await generateKeyPair(alg);
    const pem = await exportPrivateKeyPem(keys.privateKey);
    assert.match(pem, /^-----BEGIN PRIVATE KEY-----\n/);
    const back = await importPrivateKey(pem);
    assert.equal(back.algorithm, alg);
  }
  await rejects(importPrivateKey('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n'), 'ERR_PKI_KEY_MALFORMED');
});
