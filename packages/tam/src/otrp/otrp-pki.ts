/**
 * What the OTrP side of the TAM takes from the PKI directory (docs/pki.md):
 *
 *   tam/esp256/key.pem + chain.pem   ES256 identity (preferred, -03 §7.5.1 optional algorithm)
 *   tam/rs256/key.pem + chain.pem    RS256 identity, present after `pki init --alg RS256` (-03 §11 mandatory set)
 *   tam-ca/, root-ca/ cert.pem, key.pem, ca.json
 *                                    the responders of the stapled OCSP data (ocsp-stapler.ts): each CA
 *                                    answers for the certificates it issued, from its ca.json revocations
 *
 * The TAM ID is the SAN URI of the TAM certificate (docs/otrp-decisions.md A12); both identities must
 * carry the same one, since an SD belongs to the TAM named in its certificate.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeCertificateChainPem, decodePem, importPrivateKey, josePrivateKeyFromPkcs8, parseCertificate, PKI_LAYOUT } from '@otrp/core';
import type { JwsAlgorithm, OtrpIdentity } from '@otrp/core';
import { TamOtrpConfigInvalid } from './errors.js';

export interface OtrpTamIdentity extends OtrpIdentity {
  readonly alg: Extract<JwsAlgorithm, 'ES256' | 'RS256'>;
}

/** WebCrypto's CryptoKey, named through core (this package compiles without the DOM lib). */
type CaPrivateKey = Awaited<ReturnType<typeof importPrivateKey>>['key'];

/** A CA that signs OCSP responses for the certificates it issued. */
export interface OcspResponder {
  readonly folder: string;
  readonly certificate: Uint8Array;
  readonly privateKey: CaPrivateKey;
  /** DER of the CA's subject Name: matches the issuer Name of what it issued. */
  readonly subjectDer: Uint8Array;
}

export interface OtrpPki {
  readonly tamid: string;
  /** ES256 first when present, then RS256. */
  readonly identities: readonly OtrpTamIdentity[];
  readonly responders: readonly OcspResponder[];
}

const IDENTITY_FOLDERS = [
  { alg: 'ES256', folder: PKI_LAYOUT.tam.ESP256 },
  { alg: 'RS256', folder: PKI_LAYOUT.tam.RS256 },
] as const;

async function maybeText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new TamOtrpConfigInvalid(`cannot read ${path}`, { cause: e });
  }
}

export async function loadOtrpPki(dir: string): Promise<OtrpPki> {
  const identities: OtrpTamIdentity[] = [];
  let tamid: string | undefined;
  for (const { alg, folder } of IDENTITY_FOLDERS) {
    const keyPem = await maybeText(join(dir, folder, PKI_LAYOUT.leafFiles.privateKey));
    const chainPem = await maybeText(join(dir, folder, PKI_LAYOUT.leafFiles.chain));
    if (keyPem === undefined || chainPem === undefined) continue;
    try {
      const key = await josePrivateKeyFromPkcs8(decodePem(keyPem, 'PRIVATE KEY')[0]!);
      const chain = decodeCertificateChainPem(chainPem);
      const uri = parseCertificate(chain[0]!).sanUris[0];
      if (uri === undefined) throw new TamOtrpConfigInvalid(`${folder}: the TAM certificate has no SAN URI (TAM ID)`);
      if (tamid !== undefined && uri !== tamid) throw new TamOtrpConfigInvalid(`${folder}: the TAM certificates name different TAM IDs`);
      tamid = uri;
      identities.push({ alg, key, chain });
    } catch (e) {
      if (e instanceof TamOtrpConfigInvalid) throw e;
      throw new TamOtrpConfigInvalid(`${folder} is not a usable OTrP identity`, { cause: e });
    }
  }
  if (tamid === undefined) throw new TamOtrpConfigInvalid('the PKI directory has no TAM key for OTrP (tam/esp256 or tam/rs256)');
  const responders: OcspResponder[] = [];
  for (const ca of [PKI_LAYOUT.ca['tam-ca'], PKI_LAYOUT.ca.root]) {
    const certPem = await maybeText(join(dir, ca, PKI_LAYOUT.caFiles.certificate));
    const keyPem = await maybeText(join(dir, ca, PKI_LAYOUT.caFiles.privateKey));
    if (certPem === undefined || keyPem === undefined) continue;
    try {
      const certificate = decodePem(certPem, 'CERTIFICATE')[0]!;
      const { key } = await importPrivateKey(keyPem);
      responders.push({ folder: join(dir, ca), certificate, privateKey: key, subjectDer: parseCertificate(certificate).subjectDer });
    } catch (e) {
      throw new TamOtrpConfigInvalid(`${ca} cannot sign OCSP responses`, { cause: e });
    }
  }
  return { tamid, identities, responders };
}
