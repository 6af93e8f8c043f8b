/** A small in-memory PKI for the pki tests: root, three branch CAs, and helpers to issue leaves. */
import { createCaCertificate, issueCertificate } from '../certificate.js';
import type { CaHandle, IssueCertificateOptions } from '../certificate.js';
import { generateKeyPair } from '../key-algorithms.js';
import type { PkiSigningAlgorithm, PkiKeyAlgorithm } from '../key-algorithms.js';
import type { PkiBranch, PkiRole } from '../roles.js';

export interface Fixture {
  root: CaHandle;
  branches: Record<PkiBranch, CaHandle>;
  leaf(role: PkiRole, options?: Partial<IssueCertificateOptions> & { alg?: PkiKeyAlgorithm; branch?: PkiBranch }): Promise<{ der: Uint8Array; keys: CryptoKeyPair }>;
}

export async function makeFixture(alg: PkiSigningAlgorithm = 'ESP256'): Promise<Fixture> {
  const rootKeys = await generateKeyPair(alg);
  const root: CaHandle = { certificate: await createCaCertificate({ name: 'Test Root', keys: rootKeys, pathLength: 1 }), privateKey: rootKeys.privateKey };
  const branch = async (name: string): Promise<CaHandle> => {
    const keys = await generateKeyPair(alg);
    return { certificate: await createCaCertificate({ name, keys, issuer: root, pathLength: 0 }), privateKey: keys.privateKey };
  };
  const branches = { 'tam-ca': await branch('Test TAM CA'), 'device-ca': await branch('Test Device CA'), 'signer-ca': await branch('Test Signer CA') };
  const defaultBranch: Record<PkiRole, PkiBranch> = { tam: 'tam-ca', device: 'device-ca', signer: 'signer-ca', verifier: 'tam-ca' };
  return {
    root,
    branches,
    async leaf(role, options = {}) {
      const keys = await generateKeyPair(options.alg ?? 'ESP256');
      const der = await issueCertificate({
        issuer: branches[options.branch ?? defaultBranch[role]],
        role,
        subject: `test ${role}`,
        publicKey: keys.publicKey,
        sanUris: role === 'tam' ? ['https://tam.example/tam'] : [],
        ...options,
      });
      return { der, keys };
    },
  };
}
