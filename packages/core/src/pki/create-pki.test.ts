import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPki } from './create-pki.js';
import type { PkiFile } from './create-pki.js';
import { decodeCaState } from './ca-state.js';
import { validateChain } from './chain.js';
import { parseCertificate, decodeCertificateChainPem } from './certificate-info.js';
import { readCrl } from './crl.js';
import { PKI_LAYOUT, crlPaths, decodePkiManifest, pkiPath, roleAnchorPaths } from './layout.js';
import { importPrivateKey } from './pem.js';
import { x509 } from './x509-runtime.js';

function file(files: PkiFile[], path: string): PkiFile {
  const f = files.find((x) => x.path === path);
  assert.ok(f, `missing ${path}`);
  return f;
}

for (const alg of ['ESP256', 'Ed25519', 'RS256'] as const) {
  test(`createPki --alg ${alg}: every party validates for its role, with the CRLs`, async () => {
    const { files, manifest } = await createPki({ alg, tamUri: 'https://tam.example/tam' });
    assert.deepEqual(decodePkiManifest(file(files, PKI_LAYOUT.manifest).contents), manifest);
    const expectedTam = alg === 'RS256' ? ['ESP256', 'Ed25519', 'X25519', 'RS256'] : ['ESP256', 'Ed25519', 'X25519'];
    assert.deepEqual(manifest.tamKeys, expectedTam);
    // Private keys, and only they, are secret (the CLI writes them 0600).
    for (const f of files) assert.equal(f.secret, f.path.endsWith('key.pem'), f.path);
    const crls = crlPaths().map((p) => file(files, p).contents);
    const anchors = (role: 'tam' | 'signer' | 'verifier' | 'device') => roleAnchorPaths(role).map((p) => ({ certificate: file(files, p).contents }));

    for (const k of manifest.tamKeys) {
      const dir = PKI_LAYOUT.tam[k];
      const chain = decodeCertificateChainPem(file(files, pkiPath(dir, 'chain.pem')).contents);
      assert.equal(chain.length, 2);
      const r = await validateChain({ chain, anchors: anchors('tam'), role: 'tam', crls, usage: k === 'X25519' ? 'keyAgreement' : 'digitalSignature' });
      assert.equal(r.keyAlgorithm, k);
      assert.deepEqual(r.leaf.sanUris, ['https://tam.example/tam']);
      const key = await importPrivateKey(file(files, pkiPath(dir, 'key.pem')).contents);
      assert.equal(key.algorithm, k);
      if (k === 'RS256') assert.ok(r.leaf.keyUsage! & x509.KeyUsageFlags.keyEncipherment, 'the TAM RSA key decrypts (OTrP)');
    }
    for (const role of ['signer', 'verifier'] as const) {
      const chain = decodeCertificateChainPem(file(files, pkiPath(PKI_LAYOUT[role], 'chain.pem')).contents);
      const r = await validateChain({ chain, anchors: anchors(role), role, crls });
      assert.equal(r.keyAlgorithm, alg);
      if (alg === 'RS256') assert.equal(r.leaf.keyUsage, x509.KeyUsageFlags.digitalSignature);
    }
    // The TAM's attestation key: a P-256 pair, the public half readable by anyone.
    const att = await importPrivateKey(file(files, 'tam/attestation/key.pem').contents);
    assert.equal(att.algorithm, 'ESP256');
    assert.equal(file(files, 'tam/attestation/public.pem').secret, false);
    assert.match(file(files, 'tam/attestation/public.pem').contents, /^-----BEGIN PUBLIC KEY-----/);
    // The signer is not a verifier, and the verifier is not a TAM.
    const signerChain = decodeCertificateChainPem(file(files, 'signer/chain.pem').contents);
    await assert.rejects(validateChain({ chain: signerChain, anchors: anchors('verifier'), role: 'verifier' }), { code: 'ERR_CERTIFICATE_ROLE' });

    // CA folders: state with the CRL number advanced, empty CRLs signed by each CA.
    for (const ca of Object.values(PKI_LAYOUT.ca)) {
      const state = decodeCaState(file(files, pkiPath(ca, 'ca.json')).contents);
      assert.equal(state.nextCrlNumber, 2);
      assert.equal(PKI_LAYOUT.ca[state.ca!], ca);
      assert.deepEqual(state.revoked, []);
      const crl = readCrl(file(files, pkiPath(ca, 'crl.pem')).contents);
      assert.equal(crl.issuer, parseCertificate(file(files, pkiPath(ca, 'cert.pem')).contents).subject);
    }
    const tamCa = decodeCaState(file(files, 'tam-ca/ca.json').contents);
    assert.equal(tamCa.issued.length, manifest.tamKeys.length + 1); // TAM keys + Verifier
    assert.equal(decodeCaState(file(files, 'root-ca/ca.json').contents).issued.length, 3);
  });
}

test('createPki refuses an algorithm that cannot sign', async () => {
  await assert.rejects(createPki({ alg: 'X25519' as 'ESP256', tamUri: 'https://t/' }), { code: 'ERR_INVALID_ARGUMENT' });
});
