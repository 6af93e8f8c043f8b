/**
 * A dedicated OTrP key for the TEE (`otrp device init --otrp-alg RS256`): an RSA-2048 key generated
 * inside the TEE, certified by the Device CA from its CSR (role device: EKU clientAuth, keyUsage
 * digitalSignature + keyEncipherment, subject `<name> otrp`), kept in the sealed file `otrp-key`.
 * It signs with RS256 and decrypts what the TAM encrypts to the TEE (RSA-OAEP-256; RSA1_5, the
 * draft's mandatory key transport, only when `rsa15` was asked for at init: docs/otrp-decisions.md §1).
 *
 * Without this file the TEE's OTrP key is its P-256 TEEP key (otrp-ta.ts). The TAM identifies a device
 * by its certificate, so an RS256 device shows as a second device in the TAM's listing (one for TEEP,
 * one for OTrP): the price of an RSA key the TEEP side cannot use.
 *
 * ```cddl
 * otrp-key = { "version" => 1, "alg" => "RS256", "pkcs8" => bstr, "spki" => bstr, "rsa15" => bool,
 *              ? "chain" => [+ bstr] }     ; leaf first; absent until the certificate is installed
 * ```
 */
import { bytesEqual, createCsr, generateJoseKeyPair, spkiFromCertificate, type JosePrivateKey } from '@otrp/core';
import { webcrypto } from 'node:crypto';
import { CredentialMismatch, OtrpStoreCorrupt } from '../errors.js';
import { asRec, bytes, bytesList, decodeRecord, encodeRecord } from './cbor-record.js';
import type { SealedStorage } from './sealed-storage.js';
import { InvalidArgument } from '@otrp/core';

export const OTRP_KEY_FILE = 'otrp-key';
/** OTrP key algorithms a device can be given at init besides its TEEP key (ES256). */
export const OTRP_KEY_ALGS = ['RS256'] as const;
export type OtrpKeyAlg = (typeof OTRP_KEY_ALGS)[number];

export interface OtrpKeyRecord {
  readonly alg: OtrpKeyAlg;
  readonly key: JosePrivateKey;
  readonly rsa15: boolean;
  readonly chain?: readonly Uint8Array[];
}

/** What the TEE hands out to have its OTrP key certified. */
export interface OtrpEnrolmentRequest {
  readonly name: string;
  readonly alg: OtrpKeyAlg;
  /** DER PKCS#10, signed with the key (proof of possession), CN `<name> otrp`. */
  readonly csr: Uint8Array;
  readonly spki: Uint8Array;
}

export function otrpSubjectName(deviceName: string): string {
  return `${deviceName} otrp`;
}

export async function readOtrpKey(storage: SealedStorage): Promise<OtrpKeyRecord | undefined> {
  const data = await storage.read(OTRP_KEY_FILE);
  if (!data) return undefined;
  try {
    const r = asRec(decodeRecord(data), OTRP_KEY_FILE);
    if (r['version'] !== 1 || r['alg'] !== 'RS256' || typeof r['rsa15'] !== 'boolean') throw new OtrpStoreCorrupt(`${OTRP_KEY_FILE} is not a valid OTrP key file`);
    const chain = r['chain'] === undefined ? undefined : bytesList(r, 'chain');
    return { alg: 'RS256', key: { pkcs8: bytes(r, 'pkcs8'), spki: bytes(r, 'spki') }, rsa15: r['rsa15'], ...(chain && { chain }) };
  } catch (e) {
    if (e instanceof OtrpStoreCorrupt) throw e;
    throw new OtrpStoreCorrupt(`${OTRP_KEY_FILE} is not a valid OTrP key file`, { cause: e });
  }
}

async function writeOtrpKey(storage: SealedStorage, r: OtrpKeyRecord): Promise<void> {
  await storage.write(OTRP_KEY_FILE, encodeRecord({ version: 1, alg: r.alg, pkcs8: r.key.pkcs8, spki: r.key.spki, rsa15: r.rsa15, ...(r.chain && { chain: [...r.chain] }) }));
}

/**
 * Generates the OTrP key, once: an existing key (from an init that did not finish, or certified
 * before) is never replaced, only handed out again for (re-)certification, as `installCredentials`
 * may certify the TEEP keys again. Its `rsa15` setting is what the last call asked for.
 */
export async function generateOtrpKey(storage: SealedStorage, deviceName: string, alg: string, rsa15: boolean): Promise<OtrpEnrolmentRequest> {
  if (alg !== 'RS256') throw new InvalidArgument(`unsupported OTrP key algorithm ${alg} (RS256; ES256 is the TEEP key)`);
  let record = await readOtrpKey(storage);
  if (!record || record.rsa15 !== rsa15) {
    record = { ...record, alg, key: record?.key ?? (await generateJoseKeyPair('RSA')), rsa15 };
    await writeOtrpKey(storage, record);
  }
  const params = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  const subtle = webcrypto.subtle;
  const privateKey = await subtle.importKey('pkcs8', record.key.pkcs8, params, false, ['sign']);
  const publicKey = await subtle.importKey('spki', record.key.spki, params, true, ['verify']);
  const csr = await createCsr({ keys: { privateKey, publicKey } as unknown as CryptoKeyPair, name: otrpSubjectName(deviceName) });
  return { name: deviceName, alg, csr, spki: record.key.spki };
}


/** Installs the OTrP key's certificate chain (leaf first); the leaf must certify that key. */
export async function installOtrpCertificate(storage: SealedStorage, chain: readonly Uint8Array[]): Promise<void> {
  const record = await readOtrpKey(storage);
  if (!record) throw new CredentialMismatch('the TEE has no OTrP key to certify');
  if (chain.length === 0) throw new CredentialMismatch('empty certificate chain for the OTrP key');
  let spki: Uint8Array;
  try {
    spki = spkiFromCertificate(chain[0]!);
  } catch (e) {
    throw new CredentialMismatch('the OTrP certificate does not parse', { cause: e });
  }
  if (!bytesEqual(spki, record.key.spki)) throw new CredentialMismatch('the OTrP certificate certifies another key');
  await writeOtrpKey(storage, { ...record, chain: [...chain] });
}
