import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCrl, createPki, decodePem, generateKeyPair, importPrivateKey, issueCertificate, parseCertificate } from '@otrp/core';
import type { CaHandle } from '@otrp/core';
import { cachedChainValidator } from './chain-cache.js';

async function fixture() {
  const { files } = await createPki({ alg: 'ESP256', tamUri: 'https://tam.example/tam' });
  const by = new Map(files.map((f) => [f.path, f.contents]));
  const ca: CaHandle = { certificate: decodePem(by.get('device-ca/cert.pem')!, 'CERTIFICATE')[0]!, privateKey: (await importPrivateKey(by.get('device-ca/key.pem')!)).key };
  const leaf = await issueCertificate({ issuer: ca, role: 'device', subject: 'dev teep', publicKey: (await generateKeyPair('ESP256')).publicKey });
  const crl = async (revoked: Uint8Array[], n: number) =>
    createCrl({ issuer: ca, crlNumber: n, entries: revoked.map((c) => ({ serialNumber: parseCertificate(c).serialNumber, revocationDate: new Date(Date.now() - 60_000) })) });
  return { ca, leaf, chain: [leaf, ca.certificate], anchors: [{ certificate: ca.certificate }], crl };
}

test('a validation is reused for the same chain and CRL list, redone when the CRL list changes', async () => {
  const f = await fixture();
  const validate = cachedChainValidator();
  const crls = [await f.crl([], 1)];
  const at = new Date();
  const first = await validate({ chain: f.chain, anchors: f.anchors, role: 'device', crls, at });
  assert.equal(await validate({ chain: f.chain, anchors: f.anchors, role: 'device', crls, at }), first, 'same result object: not validated again');
  // A re-read CRL file is a new list: the revocation is seen at once.
  const revoked = [await f.crl([f.leaf], 2)];
  await assert.rejects(validate({ chain: f.chain, anchors: f.anchors, role: 'device', crls: revoked, at }), { code: 'ERR_CERTIFICATE_REVOKED' });
});

test('a remembered validation is not used past the certificates or the CRL nextUpdate', async () => {
  const f = await fixture();
  const validate = cachedChainValidator({ ttlMs: 365 * 86_400_000 * 10 });
  const crls = [await f.crl([], 1)];
  const now = Date.now();
  const first = await validate({ chain: f.chain, anchors: f.anchors, role: 'device', crls, at: new Date(now) });
  // 8 days later the CRL (nextUpdate: 7 days) is stale: validation runs again and refuses.
  await assert.rejects(validate({ chain: f.chain, anchors: f.anchors, role: 'device', crls, at: new Date(now + 8 * 86_400_000) }), { code: 'ERR_REVOCATION_UNKNOWN' });
  // Without CRLs, 2 years later the leaf (365 days) has expired.
  await validate({ chain: f.chain, anchors: f.anchors, role: 'device', at: new Date(now) });
  await assert.rejects(validate({ chain: f.chain, anchors: f.anchors, role: 'device', at: new Date(now + 730 * 86_400_000) }), { code: 'ERR_CERTIFICATE_EXPIRED' });
  assert.ok(first.leaf.subject.includes('dev teep'));
});

test('a chain validated against one anchor is not taken from the cache for another', async () => {
  const f = await fixture();
  const other = await fixture();
  const validate = cachedChainValidator();
  await validate({ chain: f.chain, anchors: f.anchors, role: 'device', at: new Date() });
  await assert.rejects(validate({ chain: f.chain, anchors: other.anchors, role: 'device', at: new Date() }), { code: 'ERR_CHAIN_UNTRUSTED' });
});
