/**
 * A TEEP install on the same device certificate as the OTrP TEE (tests/tam's Agent and fixtures):
 * a SUIT TC uploaded through the admin API, a `required` policy, one TEEP session on `/tam`.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { coseKeyFromCertificate, coseKeyFromPkcs8, decodeCertificateChainPem, decodePem } from '@otrp/core';
import type { JosePrivateKey } from '@otrp/core';
import { makeAgent, runSession, type SessionTrace } from '../../tam/support/agent.js';
import { makeDevice, makeTc, type TestPki } from '../../tam/support/fixtures.js';
import { uploadTc } from '../../tam/support/server.js';
import type { OtrpTestPki } from './otrp-fixture.js';
import { ADMIN_TOKEN, type TamHandle } from './tam.js';

export async function installTeepTc(tam: TamHandle, pki: OtrpTestPki, pkiDir: string, key: JosePrivateKey, chain: Uint8Array[]): Promise<SessionTrace> {
  const text = (p: string) => readFile(join(pkiDir, ...p.split('/')), 'utf8');
  const signer = { key: await coseKeyFromPkcs8(decodePem(await text('signer/key.pem'), 'PRIVATE KEY')[0]!), chain: decodeCertificateChainPem(await text('signer/chain.pem')) };
  const testPki: TestPki = {
    dir: pkiDir,
    deviceCa: pki.deviceCa,
    signer,
    tamCa: pki.tamCa.certificate,
    signerCa: decodePem(await text('signer-ca/cert.pem'), 'CERTIFICATE')[0]!,
    tamKeyAgreement: coseKeyFromCertificate(decodePem(await text('tam/x25519/cert.pem'), 'CERTIFICATE')[0]!),
  };
  // Report and attestation keys enrolled under devices/; the TEEP key is the OTrP TEE's certificate.
  const device = { ...(await makeDevice(pki.deviceCa, 'otrp-e2e', pkiDir)), teep: { key: await coseKeyFromPkcs8(key.pkcs8), chain } };
  const upload = await uploadTc(tam.url(), ADMIN_TOKEN, await makeTc(signer, 'SecureFS', 1), 'SecureFS');
  if (upload.status !== 201 && upload.status !== 200) throw new Error(`TC upload answered ${upload.status}: ${JSON.stringify(upload.json)}`);
  await tam.current.store.policies.set({ tcId: upload.json.id as string, action: 'required', scope: { kind: 'all' } });
  return runSession(tam.url(), makeAgent(device, testPki, `${tam.url()}/tam`));
}
