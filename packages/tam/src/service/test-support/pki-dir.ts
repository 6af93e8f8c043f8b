/**
 * A PKI directory on disk (core `createPki`, ESP256) for the trust and Evidence tests, with helpers
 * that enrol a device certificate under `devices/` and revoke one through the Device CA's CRL.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  coseKeyFromCertificate, coseKeyFromPkcs8, coseKeyThumbprint, createCrl, createPki, decodePem, encodePem, generateKeyPair, importPrivateKey, issueCertificate,
  parseCertificate, toHex,
} from '@otrp/core';
import type { CaHandle, CoseKey } from '@otrp/core';

export interface EnrolledCertificate {
  readonly leaf: Uint8Array;
  /** RFC 9679 thumbprint of the leaf's key, hex. */
  readonly kid: string;
  /** The certified private key (what the device's TEE would hold). */
  readonly key: CoseKey;
}

export interface PkiDir {
  readonly dir: string;
  /** Enrols one new key's certificate (subject "<rel> attestation") as devices/<rel>/chain.pem. */
  enrol(rel: string, notAfter?: Date): Promise<EnrolledCertificate>;
  /** Writes a Device CA CRL that revokes this certificate. */
  revoke(leaf: Uint8Array): Promise<void>;
}

export async function makePkiDir(): Promise<PkiDir> {
  const dir = await mkdtemp(join(tmpdir(), 'otrp-trust-'));
  const { files } = await createPki({ alg: 'ESP256', tamUri: 'https://tam.example/tam' });
  for (const f of files) {
    const p = join(dir, ...f.path.split('/'));
    await mkdir(dirname(p), { recursive: true });
    await writeFile(p, f.contents);
  }
  const byPath = new Map(files.map((f) => [f.path, f.contents]));
  const ca: CaHandle = {
    certificate: decodePem(byPath.get('device-ca/cert.pem')!, 'CERTIFICATE')[0]!,
    privateKey: (await importPrivateKey(byPath.get('device-ca/key.pem')!)).key,
  };
  return {
    dir,
    enrol: async (rel, notAfter) => {
      const keys = await generateKeyPair('ESP256');
      const leaf = await issueCertificate({ issuer: ca, role: 'device', subject: `${rel} attestation`, publicKey: keys.publicKey, ...(notAfter && { notAfter }) });
      const folder = join(dir, 'devices', ...rel.split('/'));
      await mkdir(folder, { recursive: true });
      await writeFile(join(folder, 'chain.pem'), encodePem(leaf, 'CERTIFICATE') + encodePem(ca.certificate, 'CERTIFICATE'));
      const key = await coseKeyFromPkcs8(new Uint8Array(await crypto.subtle.exportKey('pkcs8', keys.privateKey)));
      return { leaf, kid: toHex(await coseKeyThumbprint(coseKeyFromCertificate(leaf))), key };
    },
    revoke: async (leaf) => {
      const entry = { serialNumber: parseCertificate(leaf).serialNumber, revocationDate: new Date(Date.now() - 60_000), reason: 'keyCompromise' as const };
      await writeFile(join(dir, 'device-ca', 'crl.pem'), encodePem(await createCrl({ issuer: ca, entries: [entry], crlNumber: 100 }), 'X509 CRL'));
    },
  };
}
