/**
 * Fixtures of the admin API tests: a real test PKI from core's createPki (ESP256), TCs built and
 * signed with core's SUIT builder (x5chain in the protected header), and a TAM HTTP server whose
 * admin scope is the real registerAdminApi over a real store.
 */
import { after } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import {
  buildEnvelope, coseKeyFromPkcs8, createCrl, createPki, crlPaths, decodeCertificateChainPem, decodePem, exportPrivateKeyPem, generateKeyPair,
  importPrivateKey, issueCertificate, parseCertificate, PKI_LAYOUT, roleAnchorPaths,
} from '@otrp/core';
import type { CaHandle, CoseKey, TrustAnchor } from '@otrp/core';
import { createTamHttpServer } from '../../http/server.js';
import { CountingTam } from '../../http/test-support/counting-tam.js';
import type { Store } from '../../store/store.js';
import { testBackends, type TestBackend } from '../../store/test-support/backends.js';
import { registerAdminApi } from '../admin-api.js';
import type { AdminApiDeps } from '../admin-deps.js';
import type { SignerTrust } from '../upload-check.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
export const AUTH = { authorization: `Bearer ${ADMIN_TOKEN}` } as const;

/** A signing identity: the private COSE key and its x5chain (leaf first, then its branch CA). */
export interface TestSigner {
  readonly key: CoseKey;
  readonly chain: Uint8Array[];
}

export interface TestPki {
  /** The TC signer `pki init` makes (chains to the TC-Signer CA). */
  readonly signer: TestSigner;
  /** What the TAM trusts for uploads: the TC-Signer CA and every CA's CRL. */
  readonly trust: SignerTrust;
  /** CA handles, to issue more certificates or CRLs in a test. */
  readonly ca: { readonly device: CaHandle; readonly signer: CaHandle };
  readonly files: ReadonlyMap<string, string>;
}

async function keyOf(pem: string): Promise<CoseKey> {
  return coseKeyFromPkcs8(decodePem(pem, 'PRIVATE KEY')[0]!);
}

async function caHandle(files: ReadonlyMap<string, string>, dir: string): Promise<CaHandle> {
  const certificate = decodePem(files.get(`${dir}/cert.pem`)!, 'CERTIFICATE')[0]!;
  return { certificate, privateKey: (await importPrivateKey(files.get(`${dir}/key.pem`)!)).key };
}

/** A fresh PKI (root, branch CAs, TC signer) as `otrp pki init --alg ESP256` makes it. */
/**
 * What every admin test file starts with: the store backends to run against (disposed when the
 * file's tests end) and a test PKI.
 */
export async function adminTestSuite(): Promise<{ readonly backends: TestBackend[]; readonly pki: TestPki }> {
  const backends = await testBackends();
  after(async () => {
    for (const b of backends) await b.dispose();
  });
  return { backends, pki: await createTestPki() };
}

export async function createTestPki(): Promise<TestPki> {
  const { files: list } = await createPki({ alg: 'ESP256', tamUri: 'https://tam.example/tam' });
  const files = new Map(list.map((f) => [f.path, f.contents]));
  const need = (p: string): string => {
    const v = files.get(p);
    if (v === undefined) throw new Error(`createPki wrote no ${p}`);
    return v;
  };
  return {
    signer: { key: await keyOf(need('signer/key.pem')), chain: decodeCertificateChainPem(need('signer/chain.pem')) },
    trust: { anchors: roleAnchorPaths('signer').map((p): TrustAnchor => ({ certificate: need(p) })), crls: crlPaths().map(need) },
    ca: { device: await caHandle(files, 'device-ca'), signer: await caHandle(files, 'signer-ca') },
    files,
  };
}

/** A new end-entity of `role` issued by `issuer`, with its key, as a signer of TCs. */
export async function issueTestSigner(issuer: CaHandle, role: 'device' | 'signer', subject: string, validity: { notBefore?: Date; days?: number } = {}): Promise<TestSigner> {
  const keys = await generateKeyPair('ESP256');
  const leaf = await issueCertificate({ issuer, role, subject, publicKey: keys.publicKey, ...validity });
  return { key: await keyOf(await exportPrivateKeyPem(keys.privateKey)), chain: [leaf, issuer.certificate] };
}

/**
 * A CRL of `issuer` revoking `certificate` (crlNumber above the initial one). With a reason: an entry
 * without one currently comes out of createCrl with an empty crlEntryExtensions SEQUENCE, which
 * RFC 5280 §5.1 forbids (SIZE (1..MAX)) and pkijs refuses (ERR_CRL_INVALID); reported to core.
 */
export async function revokingCrl(issuer: CaHandle, certificate: Uint8Array): Promise<Uint8Array> {
  const entry = { serialNumber: parseCertificate(certificate).serialNumber, revocationDate: new Date(), reason: 'keyCompromise' as const };
  return createCrl({ issuer, entries: [entry], crlNumber: 100 });
}

/** The PKI's signer trust with the TC-Signer CA's CRL replaced by `crl`. */
export function trustWithSignerCrl(pki: TestPki, crl: Uint8Array): SignerTrust {
  const signerCrl = `${PKI_LAYOUT.ca['signer-ca']}/${PKI_LAYOUT.caFiles.crl}`;
  return { anchors: pki.trust.anchors, crls: crlPaths().map((p) => (p === signerCrl ? crl : pki.files.get(p)!)) };
}

/** The hex of a 16-byte id derived from a short name, for component identifiers. */
function idHex(name: string): string {
  return Buffer.from(name.padEnd(16, '.').slice(0, 16)).toString('hex');
}

export interface TcOptions {
  readonly name?: string;
  readonly sequenceNumber?: number;
  readonly payload?: string;
  /** Leave the x5chain header out (sign with the bare key). */
  readonly noChain?: boolean;
}

/** A signed TEEP TC envelope (integrated payload) in the shape of the TEEP appendix examples. */
export async function buildTc(signer: TestSigner, options: TcOptions = {}): Promise<Uint8Array> {
  const name = options.name ?? 'hello-ta';
  return buildEnvelope(
    {
      sequenceNumber: options.sequenceNumber ?? 1,
      manifestComponentId: ['TEEP-Device', 'SecureFS', `hex:${idHex(name)}`, 'suit'],
      components: [{ id: ['TEEP-Device', 'SecureFS', `hex:${idHex(name)}`, 'ta'] }],
      description: name,
    },
    {
      payloads: [new TextEncoder().encode(options.payload ?? `TA ${name} v${options.sequenceNumber ?? 1}`)],
      key: signer.key,
      ...(options.noChain ? {} : { x5chain: signer.chain }),
    },
  );
}

/** A TAM HTTP server with the admin API over `store`, trusting `trust` for uploads. */
export function adminApp(store: Store, trust: AdminApiDeps['signerTrust'], extra: Partial<AdminApiDeps> = {}): FastifyInstance {
  return createTamHttpServer({
    handler: new CountingTam(),
    adminToken: ADMIN_TOKEN,
    admin: (scope) => registerAdminApi(scope, { store, signerTrust: trust, ...extra }),
  });
}

/** POST /admin/v1/tcs with the envelope as application/suit-envelope+cose. */
export function upload(app: FastifyInstance, envelope: Uint8Array, query = ''): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: `/admin/v1/tcs${query}`,
    headers: { ...AUTH, 'content-type': 'application/suit-envelope+cose' },
    payload: Buffer.from(envelope),
  });
}

/** The JSON body of a response. */
export function json<T = Record<string, any>>(res: LightMyRequestResponse): T {
  return JSON.parse(res.body) as T;
}
