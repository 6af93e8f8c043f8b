/**
 * Fixtures for the OTrP end-to-end tests: a PKI directory as `otrp pki init` writes it (core's
 * createPki, P-256 CAs), optionally with an RSA-2048 TAM identity in tam/rs256 (the draft's mandatory
 * RS256 + RSA1_5 + A128CBC-HS256; the same single RSA key pair serves the TAM and the TEE, so a test
 * file generates one), a TEE played by core's processOtrpRequest with its certificate from the Device
 * CA, and the Broker: a loop posting to `POST /otrp` with fetch (otrp-over-http-02 §5).
 */
import * as nodeCrypto from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  createMemoryRidTidStore, createMemoryTeeStore, createNodeRawRsa, createOcspVerifier, createPki, createPkiTamTrust, decodeCaState, decodePem, encodeCaState,
  encodePem, importPrivateKey, issueCertificate, parseCertificate, processOtrpRequest, recordRevoked, DEFAULT_JOSE_POLICY,
} from '@otrp/core';
import type { CaHandle, JosePolicy, JosePrivateKey, TeeAgentOptions, TeeState, TeeStore } from '@otrp/core';

export const TAM_URI = 'https://tam.example/tam';
export const rawRsa = createNodeRawRsa(nodeCrypto);

export interface OtrpTestPki {
  readonly dir: string;
  readonly root: Uint8Array;
  readonly deviceCa: CaHandle;
  readonly tamCa: CaHandle;
}

export async function makeOtrpPki(dir: string, rsaTamKey?: JosePrivateKey): Promise<OtrpTestPki> {
  const { files } = await createPki({ alg: 'ESP256', tamUri: TAM_URI });
  const byPath = new Map(files.map((f) => [f.path, f.contents]));
  for (const f of files) {
    const p = join(dir, ...f.path.split('/'));
    await mkdir(dirname(p), { recursive: true });
    await writeFile(p, f.contents, { mode: f.secret ? 0o600 : 0o644 });
  }
  const cert = (p: string) => decodePem(byPath.get(p)!, 'CERTIFICATE')[0]!;
  const ca = async (name: string): Promise<CaHandle> => ({ certificate: cert(`${name}/cert.pem`), privateKey: (await importPrivateKey(byPath.get(`${name}/key.pem`)!)).key });
  const pki = { dir, root: cert('root-ca/cert.pem'), deviceCa: await ca('device-ca'), tamCa: await ca('tam-ca') };
  if (rsaTamKey) {
    // What `pki init --alg RS256` adds: tam/rs256 with the TAM's RSA key, certified by the TAM CA.
    const leaf = await issueCertificate({ issuer: pki.tamCa, role: 'tam', subject: 'otrp TAM RS256', publicKey: rsaTamKey.spki, sanUris: [TAM_URI] });
    await mkdir(join(dir, 'tam', 'rs256'), { recursive: true });
    await writeFile(join(dir, 'tam', 'rs256', 'key.pem'), encodePem(rsaTamKey.pkcs8, 'PRIVATE KEY'), { mode: 0o600 });
    await writeFile(join(dir, 'tam', 'rs256', 'cert.pem'), encodePem(leaf, 'CERTIFICATE'));
    await writeFile(join(dir, 'tam', 'rs256', 'chain.pem'), encodePem(leaf, 'CERTIFICATE') + encodePem(pki.tamCa.certificate, 'CERTIFICATE'));
  }
  return pki;
}

/** Records the revocation of the TAM certificate in tam-ca/ca.json, as `otrp pki revoke` does. */
export async function revokeTamCertificate(pki: OtrpTestPki, folder: 'esp256' | 'rs256'): Promise<void> {
  const leaf = parseCertificate(await readFile(join(pki.dir, 'tam', folder, 'cert.pem'), 'utf8'));
  const file = join(pki.dir, 'tam-ca', 'ca.json');
  const { state } = recordRevoked(decodeCaState(await readFile(file, 'utf8')), { serialNumber: leaf.serialNumber, revocationDate: new Date(Date.now() - 60_000).toISOString() });
  await writeFile(file, encodeCaState(state));
}

export interface TestTee {
  readonly agent: TeeAgentOptions;
  readonly store: TeeStore & { snapshot(): TeeState };
  readonly chain: Uint8Array[];
}

/** A TEE with `key`, its certificate from the Device CA; it trusts the root for TAMs, with stapled OCSP required. */
export async function makeTee(pki: OtrpTestPki, key: JosePrivateKey, policy: JosePolicy = DEFAULT_JOSE_POLICY, chain?: Uint8Array[]): Promise<TestTee> {
  const certChain = chain ?? [await issueCertificate({ issuer: pki.deviceCa, role: 'device', subject: 'otrp e2e TEE', publicKey: key.spki }), pki.deviceCa.certificate];
  const store = createMemoryTeeStore();
  const agent: TeeAgentOptions = {
    identity: { key, chain: certChain },
    teeName: 'Primary TEE',
    teeVersion: '1.0-e2e',
    store,
    ridTid: createMemoryRidTidStore(),
    tamTrust: createPkiTamTrust({ anchors: [{ certificate: pki.root }], ocsp: createOcspVerifier() }),
    policy,
    rawRsa,
  };
  return { agent, store, chain: certChain };
}

export interface Posted {
  readonly status: number;
  readonly text: string;
  readonly headers: Headers;
}

/** POST /otrp as the Broker does (-02 §5.1, §5.2): Accept always, Content-Type with a body. */
export async function postOtrp(url: string, body = '', headers: Record<string, string> = {}): Promise<Posted> {
  const res = await fetch(`${url}/otrp`, {
    method: 'POST',
    headers: { accept: 'application/otrp+json', ...(body.length > 0 && { 'content-type': 'application/otrp+json' }), ...headers },
    body,
  });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

/** The outer member name of an OTrP message. */
export function messageName(text: string): string {
  return Object.keys(JSON.parse(text) as object)[0]!;
}

export interface SessionTrace {
  /** TAM requests and TEE responses, in order. */
  readonly names: string[];
  readonly statuses: number[];
  /** The error codes (wire codes) the TEE answered, in order. */
  readonly teeErrors: string[];
  /** The last TAM request and the TEE's answer to it. */
  last?: { request: string; response: string };
}

export interface SessionHooks {
  /** Called before the TEE handles a TAM request; may return a replacement (tampering) or run side effects (restart). */
  beforeTee?(request: string, index: number): Promise<string | void>;
  /** Called before the TEE's response is posted; may return a replacement. */
  beforePost?(response: string, index: number): Promise<string | void>;
  /** The TAM URL may change after a restart. */
  url?(): string;
}

/** One whole session: an empty POST, then TEE responses until the TAM answers 204. */
export async function runOtrpSession(url: string, tee: TestTee, hooks: SessionHooks = {}): Promise<SessionTrace> {
  const trace: SessionTrace = { names: [], statuses: [], teeErrors: [] };
  let res = await postOtrp(url);
  for (let i = 0; i < 40; i++) {
    trace.statuses.push(res.status);
    if (res.status !== 200) break;
    const request = (await hooks.beforeTee?.(res.text, i)) ?? res.text;
    trace.names.push(messageName(request));
    const out = await processOtrpRequest(tee.agent, request);
    if (out.error) trace.teeErrors.push(out.error.wireCode);
    trace.names.push(messageName(out.response));
    trace.last = { request, response: out.response };
    const body = (await hooks.beforePost?.(out.response, i)) ?? out.response;
    res = await postOtrp(hooks.url?.() ?? url, body);
  }
  return trace;
}
