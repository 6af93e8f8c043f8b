/**
 * The fleet's key material: a PKI as `otrp pki init` writes it (core's createPki, ESP256 throughout),
 * simulated devices enrolled with it, and TC releases signed by the PKI's TC signer.
 *
 * Enrolment is what a manufacturer does before a device ships: three ESP256 key pairs generated for
 * the device (TEEP, SUIT report, attestation; draft-26 wants the TEEP and report keys distinct), each
 * certified by the Device CA, and the chains written to PKI/devices/<name>/<purpose>/chain.pem where
 * the TAM finds the kid-only attestation and report keys (packages/tam service/trust.ts).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  buildEnvelope, coseKeyFromCertificate, coseKeyFromPkcs8, createPki, decodeCertificateChainPem, decodePem, encodePem, exportPrivateKeyPem,
  generateKeyPair, importPrivateKey, issueCertificate, PKI_LAYOUT,
} from '@otrp/core';
import type { CaHandle, CoseKey } from '@otrp/core';
import { CliError } from '../cli-error.js';

export interface Signer {
  readonly key: CoseKey;
  /** Leaf first, as x5chain. */
  readonly chain: Uint8Array[];
}

export interface FleetPki {
  readonly dir: string;
  readonly deviceCa: CaHandle;
  readonly signer: Signer;
  /** What the Agents trust for the TAM and for TC signers. */
  readonly tamCa: Uint8Array;
  readonly signerCa: Uint8Array;
  /** The TAM's key-agreement public key (EATs and SUIT reports are encrypted to it). */
  readonly tamKeyAgreement: CoseKey;
}

export interface DeviceKeys {
  readonly name: string;
  readonly teep: Signer;
  readonly report: Signer;
  readonly attestation: Signer;
}

async function read(dir: string, rel: string): Promise<string> {
  try {
    return await readFile(join(dir, ...rel.split('/')), 'utf8');
  } catch (e) {
    throw new CliError('ERR_FILE_READ', `cannot read ${rel} in the PKI directory ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { cause: e });
  }
}

/** Writes a new ESP256 PKI into `dir` (`otrp pki init`). */
export async function createFleetPki(dir: string, tamUri: string): Promise<FleetPki> {
  const { files } = await createPki({ alg: 'ESP256', tamUri });
  for (const f of files) {
    const p = join(dir, ...f.path.split('/'));
    await mkdir(dirname(p), { recursive: true });
    await writeFile(p, f.contents, { mode: f.secret ? 0o600 : 0o644 });
  }
  return loadFleetPki(dir);
}

/** Reads the parts of an existing PKI directory the bench needs (a TAM started elsewhere with it). */
export async function loadFleetPki(dir: string): Promise<FleetPki> {
  const cert = async (rel: string) => decodePem(await read(dir, rel), 'CERTIFICATE')[0]!;
  const ca = PKI_LAYOUT.ca;
  const leaf = PKI_LAYOUT.leafFiles;
  return {
    dir,
    deviceCa: { certificate: await cert(`${ca['device-ca']}/cert.pem`), privateKey: (await importPrivateKey(await read(dir, `${ca['device-ca']}/key.pem`))).key },
    signer: {
      key: await coseKeyFromPkcs8(decodePem(await read(dir, `${PKI_LAYOUT.signer}/${leaf.privateKey}`), 'PRIVATE KEY')[0]!),
      chain: decodeCertificateChainPem(await read(dir, `${PKI_LAYOUT.signer}/${leaf.chain}`)),
    },
    tamCa: await cert(`${ca['tam-ca']}/cert.pem`),
    signerCa: await cert(`${ca['signer-ca']}/cert.pem`),
    tamKeyAgreement: coseKeyFromCertificate(await cert(`${PKI_LAYOUT.tam.X25519}/${leaf.certificate}`)),
  };
}

async function certify(ca: CaHandle, subject: string): Promise<Signer> {
  const keys = await generateKeyPair('ESP256');
  const leaf = await issueCertificate({ issuer: ca, role: 'device', subject, publicKey: keys.publicKey });
  return { key: await coseKeyFromPkcs8(decodePem(await exportPrivateKeyPem(keys.privateKey), 'PRIVATE KEY')[0]!), chain: [leaf, ca.certificate] };
}

/** Generates one device's keys, certifies them and enrols the chains under PKI/devices/<name>/. */
export async function enrolDevice(pki: FleetPki, name: string): Promise<DeviceKeys> {
  const device: DeviceKeys = {
    name,
    teep: await certify(pki.deviceCa, `${name} teep`),
    report: await certify(pki.deviceCa, `${name} suitReport`),
    attestation: await certify(pki.deviceCa, `${name} attestation`),
  };
  for (const [purpose, s] of [['teep', device.teep], ['suit-report', device.report], ['attestation', device.attestation]] as const) {
    const folder = join(pki.dir, PKI_LAYOUT.devices, name, purpose);
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'chain.pem'), s.chain.map((c) => encodePem(c, 'CERTIFICATE')).join(''));
  }
  return device;
}

/** A TC release: one component with an integrated payload, signed by the TC signer with its x5chain. */
export async function buildTc(signer: Signer, name: string): Promise<Uint8Array> {
  return buildEnvelope(
    { sequenceNumber: 1, manifestComponentId: ['TEEP-Device', name, 'suit'], components: [{ id: ['TEEP-Device', name, 'ta'] }], description: `${name} (otrp bench)` },
    { payloads: [new TextEncoder().encode(`${name} TA binary`)], key: signer.key, x5chain: signer.chain },
  );
}
