/**
 * Test fixtures for the TAM end-to-end tests: a PKI directory as `otrp pki init` writes it (core's
 * createPki), devices whose keys are generated here and certified by the Device CA (their attestation
 * and SUIT-report certificates enrolled under DIR/devices/<name>/), TCs signed by the TC signer with
 * an x5chain, and CRLs. Nothing here is a stand-in: the TAM validates all of it for real.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  buildEnvelope, coseKeyFromCertificate, coseKeyFromPkcs8, createCrl, createPki, decodeCertificateChainPem, decodePem, encodePem,
  exportPrivateKeyPem, generateKeyPair, importPrivateKey, issueCertificate, parseCertificate,
} from '@otrp/core';
import type { CaHandle, CoseKey } from '@otrp/core';

export interface TestSigner {
  readonly key: CoseKey;
  readonly chain: Uint8Array[];
}

export interface TestPki {
  readonly dir: string;
  readonly deviceCa: CaHandle;
  readonly signer: TestSigner;
  /** The TAM CA certificate (what an Agent trusts for the TAM). */
  readonly tamCa: Uint8Array;
  readonly signerCa: Uint8Array;
  /** The TAM's X25519 key-agreement public key (EATs and SUIT reports are encrypted to it). */
  readonly tamKeyAgreement: CoseKey;
}

async function keyOf(pem: string): Promise<CoseKey> {
  return coseKeyFromPkcs8(decodePem(pem, 'PRIVATE KEY')[0]!);
}

/** Writes a new PKI into `dir` (or only builds it in memory when `dir` is undefined: a foreign PKI). */
export async function makePki(dir: string | undefined): Promise<TestPki> {
  const { files } = await createPki({ alg: 'ESP256', tamUri: 'https://tam.example/tam' });
  const byPath = new Map(files.map((f) => [f.path, f.contents]));
  if (dir !== undefined) {
    for (const f of files) {
      const p = join(dir, ...f.path.split('/'));
      await mkdir(dirname(p), { recursive: true });
      await writeFile(p, f.contents, { mode: f.secret ? 0o600 : 0o644 });
    }
  }
  const cert = (p: string) => decodePem(byPath.get(p)!, 'CERTIFICATE')[0]!;
  return {
    dir: dir ?? '',
    deviceCa: { certificate: cert('device-ca/cert.pem'), privateKey: (await importPrivateKey(byPath.get('device-ca/key.pem')!)).key },
    signer: { key: await keyOf(byPath.get('signer/key.pem')!), chain: decodeCertificateChainPem(byPath.get('signer/chain.pem')!) },
    tamCa: cert('tam-ca/cert.pem'),
    signerCa: cert('signer-ca/cert.pem'),
    tamKeyAgreement: coseKeyFromCertificate(cert('tam/x25519/cert.pem')),
  };
}

/** A device's keys (as its TEE would hold them) and certificate chains from a Device CA. */
export interface TestDevice {
  readonly name: string;
  readonly teep: TestSigner;
  readonly report: TestSigner;
  readonly attestation: TestSigner;
}

async function certify(ca: CaHandle, subject: string): Promise<TestSigner> {
  const keys = await generateKeyPair('ESP256');
  const leaf = await issueCertificate({ issuer: ca, role: 'device', subject, publicKey: keys.publicKey });
  return { key: await keyOf(await exportPrivateKeyPem(keys.privateKey)), chain: [leaf, ca.certificate] };
}

/**
 * Makes a device under `ca`; when `pkiDir` is given, enrols its SUIT-report and attestation
 * certificates under DIR/devices/<name>/ (what the TAM trusts those kid-only keys by).
 */
export async function makeDevice(ca: CaHandle, name: string, pkiDir?: string): Promise<TestDevice> {
  const device = { name, teep: await certify(ca, `${name} teep`), report: await certify(ca, `${name} suitReport`), attestation: await certify(ca, `${name} attestation`) };
  if (pkiDir !== undefined) {
    for (const [purpose, s] of [['teep', device.teep], ['suit-report', device.report], ['attestation', device.attestation]] as const) {
      const folder = join(pkiDir, 'devices', name, purpose);
      await mkdir(folder, { recursive: true });
      await writeFile(join(folder, 'chain.pem'), s.chain.map((c) => encodePem(c, 'CERTIFICATE')).join(''));
    }
  }
  return device;
}

/** Writes a CRL of the Device CA revoking `certificate` over DIR/device-ca/crl.pem. */
export async function revokeDeviceCertificate(pki: TestPki, certificate: Uint8Array): Promise<void> {
  const entry = { serialNumber: parseCertificate(certificate).serialNumber, revocationDate: new Date(Date.now() - 60_000), reason: 'keyCompromise' as const };
  const crl = await createCrl({ issuer: pki.deviceCa, entries: [entry], crlNumber: 100 });
  const file = join(pki.dir, 'device-ca', 'crl.pem');
  await writeFile(file, encodePem(crl, 'X509 CRL'));
  await chmod(file, 0o644);
}

/** A TC release: one component with an integrated payload, signed by `signer` with its x5chain. */
export async function makeTc(signer: TestSigner, name: string, sequenceNumber: number): Promise<Uint8Array> {
  return buildEnvelope(
    {
      sequenceNumber,
      manifestComponentId: ['TEEP-Device', name, 'suit'],
      components: [{ id: ['TEEP-Device', name, 'ta'] }],
      description: `${name} v${sequenceNumber}`,
    },
    { payloads: [new TextEncoder().encode(`${name} TA binary v${sequenceNumber}`)], key: signer.key, x5chain: signer.chain },
  );
}
