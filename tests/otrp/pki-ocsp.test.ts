/**
 * `otrp pki ocsp --ca CA_DIR CERT [--out F]` from the BUILT binary (`npm run build` first): responses
 * that core's OTrP OCSP verifier (the TEE's stapled-data check) accepts for the TAM chain, `revoked`
 * once `otrp pki revoke` recorded it, and refusals with their codes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOcspVerifier, decodePem } from '@otrp/core';
import { otrp } from '../tam/support/server.js';
import { makeOtrpPki } from './support/otrp-fixture.js';

test('otrp pki ocsp signs good and revoked responses from ca.json, verifiable as stapled OTrP ocspdat', async () => {
  const root = await mkdtemp(join(tmpdir(), 'otrp-pki-ocsp-'));
  try {
    const pki = await makeOtrpPki(join(root, 'pki'));
    const p = (...parts: string[]) => join(pki.dir, ...parts);
    const leafPem = await readFile(p('tam', 'esp256', 'cert.pem'), 'utf8');
    const path = [decodePem(leafPem, 'CERTIFICATE')[0]!, pki.tamCa.certificate, pki.root];

    const leafRun = await otrp(['pki', 'ocsp', '--ca', p('tam-ca'), p('tam', 'esp256', 'cert.pem'), '--out', join(root, 'leaf.ocsp')]);
    assert.equal(leafRun.code, 0, leafRun.stderr);
    assert.match(leafRun.stdout, /^good: serial [0-9a-f]+/);
    // Without --out: base64 on stdout, as ocspdat carries it.
    const caRun = await otrp(['pki', 'ocsp', '--ca', p('root-ca'), p('tam-ca', 'cert.pem'), '--hours', '2']);
    assert.equal(caRun.code, 0, caRun.stderr);
    const responses = [new Uint8Array(await readFile(join(root, 'leaf.ocsp'))), new Uint8Array(Buffer.from(caRun.stdout.trim(), 'base64'))];
    const verifier = createOcspVerifier();
    await verifier.verify(path, responses, new Date());
    // Each response is needed: the TAM CA's alone does not prove the leaf.
    await assert.rejects(verifier.verify(path, responses.slice(1), new Date()), { code: 'ERR_OTRP_TAM_NOT_TRUSTED' });

    const revoke = await otrp(['pki', 'revoke', '--ca', p('tam-ca'), p('tam', 'esp256', 'cert.pem')]);
    assert.equal(revoke.code, 0, revoke.stderr);
    const revokedRun = await otrp(['pki', 'ocsp', '--ca', p('tam-ca'), p('tam', 'esp256', 'cert.pem'), '--out', join(root, 'leaf-revoked.ocsp')]);
    assert.equal(revokedRun.code, 0, revokedRun.stderr);
    assert.match(revokedRun.stdout, /^revoked: /);
    const revoked = [new Uint8Array(await readFile(join(root, 'leaf-revoked.ocsp'))), responses[1]!];
    await assert.rejects(verifier.verify(path, revoked, new Date()), { code: 'ERR_OTRP_TAM_NOT_TRUSTED' });

    const notIssuer = await otrp(['pki', 'ocsp', '--ca', p('device-ca'), p('tam', 'esp256', 'cert.pem')]);
    assert.equal(notIssuer.code, 1);
    assert.match(notIssuer.stderr, /^error: ERR_PKI_NOT_ISSUER: /);
    const badHours = await otrp(['pki', 'ocsp', '--ca', p('tam-ca'), p('tam', 'esp256', 'cert.pem'), '--hours', '0']);
    assert.equal(badHours.code, 1);
    assert.match(badHours.stderr, /^error: ERR_USAGE: /);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
