/**
 * A real TAM (the tam package's startTamServer, in-process, SQLite in a temporary folder) with the
 * PKI of `otrp pki init` on disk, for the device's OTrP tests: `POST /otrp` with stapled OCSP, and
 * OTrP TAs put in its store as `otrp-ta` trusted components with a policy (as tests/otrp does).
 * Test code only (test-support is exempt from the dependency-direction check).
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createPki, decodePem, importPrivateKey, type CaHandle } from '@otrp/core';
import { encodeOtrpTaPackage, startTamServer, taComponentId, type OtrpTamConfig, type RunningTamServer } from '@otrp/tam';
import { initDevice } from '../device.js';
import { issueDeviceCertificates, issueOtrpCertificate } from '../enrolment.js';

export const OTRP_TAM_URI = 'https://tam.example/tam';
export const ADMIN_TOKEN = 'otrp-device-test-admin-token-0123';

export interface OtrpTestSetup {
  readonly root: string;
  readonly pkiDir: string;
  readonly deviceCa: CaHandle;
  readonly tamCaCert: Uint8Array;
  readonly signerCaCert: Uint8Array;
  readonly spcert: Uint8Array;
  tam: RunningTamServer;
  /** The TAM's OTrP URI (`<url>/otrp`). */
  otrpUrl(): string;
  restartTam(): Promise<void>;
  close(): Promise<void>;
}

export async function startOtrpSetup(otrp?: OtrpTamConfig): Promise<OtrpTestSetup> {
  const root = await mkdtemp(join(tmpdir(), 'otrp-device-otrp-'));
  const pkiDir = join(root, 'pki');
  const { files } = await createPki({ alg: 'ESP256', tamUri: OTRP_TAM_URI });
  const byPath = new Map(files.map((f) => [f.path, f.contents]));
  for (const f of files) {
    const p = join(pkiDir, ...f.path.split('/'));
    await mkdir(dirname(p), { recursive: true });
    await writeFile(p, f.contents, { mode: f.secret ? 0o600 : 0o644 });
  }
  const cert = (p: string) => decodePem(byPath.get(p)!, 'CERTIFICATE')[0]!;
  const start = () => startTamServer({ pkiDir, dataDir: join(root, 'tam-data'), port: 0, host: '127.0.0.1', adminToken: ADMIN_TOKEN, ...(otrp && { otrp }) });
  const setup: OtrpTestSetup = {
    root,
    pkiDir,
    deviceCa: { certificate: cert('device-ca/cert.pem'), privateKey: (await importPrivateKey(byPath.get('device-ca/key.pem')!)).key },
    tamCaCert: cert('tam-ca/cert.pem'),
    signerCaCert: cert('signer-ca/cert.pem'),
    spcert: cert('signer/cert.pem'),
    tam: await start(),
    otrpUrl: () => `${setup.tam.url}/otrp`,
    async restartTam() {
      await setup.tam.close();
      setup.tam = await start();
    },
    async close() {
      await setup.tam.close().catch(() => undefined);
      await rm(root, { recursive: true, force: true });
    },
  };
  return setup;
}

/** `otrp device init` in-process: keys in the TEE, certified by the Device CA, trusting the TAM CA. */
export async function initOtrpDevice(
  setup: OtrpTestSetup,
  name: string,
  alg: 'ESP256' | 'Ed25519' = 'ESP256',
  otrp?: { alg: 'RS256'; rsa15?: boolean },
): Promise<string> {
  const dir = join(setup.root, name);
  await initDevice({
    dir,
    alg,
    enrol: (request) => issueDeviceCertificates(request, setup.deviceCa),
    trust: { tamAnchors: [setup.tamCaCert], signerAnchors: [setup.signerCaCert] },
    ...(otrp && { otrp: { ...otrp, enrol: (request) => issueOtrpCertificate(request, setup.deviceCa) } }),
  });
  return dir;
}

export const TA = { spid: 'bank.example', sdname: 'sd.bank.example', taid: 'ta.bank.example.wallet' } as const;
const enc = (s: string) => new TextEncoder().encode(s);
const sha256 = (b: Uint8Array) => new Uint8Array(createHash('sha256').update(b).digest());

/** Puts version `version` of the wallet TA in the TAM's store with a `required` policy; returns its TC id. */
export async function requireTa(setup: OtrpTestSetup, version: number): Promise<string> {
  const manifest = encodeOtrpTaPackage({ ...TA, taname: 'wallet', spcert: setup.spcert, binary: enc(`wallet TA v${version}`), pdata: enc('perso') });
  const tc = await setup.tam.store.trustedComponents.add({
    componentId: taComponentId(TA.taid), name: 'wallet', format: 'otrp-ta', manifest,
    signerSubject: 'CN=bank.example', signerThumbprint: sha256(setup.spcert), sequenceNumber: version,
  });
  await setup.tam.store.policies.set({ tcId: tc.id, action: 'required', scope: { kind: 'all' } });
  return tc.id;
}

/** A new release of the TA (the TAM then sends UpdateTA). */
export async function releaseTa(setup: OtrpTestSetup, tcId: string, version: number): Promise<void> {
  const manifest = encodeOtrpTaPackage({ ...TA, taname: 'wallet', spcert: setup.spcert, binary: enc(`wallet TA v${version}`), pdata: enc('perso') });
  await setup.tam.store.trustedComponents.updateManifest(tcId, { manifest, sequenceNumber: version, signerSubject: 'CN=bank.example', signerThumbprint: sha256(setup.spcert) });
}

/** Policy `remove`: the TAM then sends DeleteTA and DeleteSD. */
export async function removeTa(setup: OtrpTestSetup, tcId: string): Promise<void> {
  await setup.tam.store.policies.set({ tcId, action: 'remove', scope: { kind: 'all' } });
}
