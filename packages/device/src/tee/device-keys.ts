/**
 * The device's keys, generated inside the (simulated) TEE process and kept only in its sealed
 * storage. Nothing in this file is ever called on the REE side; what leaves the TEE is public keys,
 * CSRs (self-signed proof of possession, RFC 2986) and signatures.
 *
 * Four keys, one per purpose (RFC 9397 §5 and draft-ietf-teep-protocol-26):
 *
 * | purpose       | ESP256 default | Ed25519 option | certificate (Device CA, EKU)                     |
 * |---------------|----------------|----------------|--------------------------------------------------|
 * | teep          | ECDSA P-256    | Ed25519        | yes, from a CSR; EKU clientAuth (device role)    |
 * | suitReport    | ECDSA P-256    | Ed25519        | yes, from a CSR; EKU clientAuth                  |
 * | attestation   | ECDSA P-256    | Ed25519        | yes, from a CSR; EKU clientAuth                  |
 * | keyAgreement  | ECDH P-256     | X25519         | yes, issued from the public key (no CSR: an      |
 * |               |                |                | agreement key cannot sign one); EKU clientAuth,  |
 * |               |                |                | keyUsage keyAgreement                            |
 *
 * - teep signs QueryResponse / Success / Error (RFC 9397 §5 "Authenticate TEEP Agent"); its
 *   certificate is the x5chain the TAM validates against the Device CA.
 * - suitReport signs SUIT reports; -26 §4.5 requires it to differ from the TEEP key.
 * - attestation signs Evidence (the EAT); its certificate lets a Verifier tie Evidence to a device
 *   the manufacturer enrolled.
 * - keyAgreement is the ES-DH receiver key that TC signers encrypt payloads to (firmware-encryption
 *   §6) and that `otrp device show --jwk` prints.
 * All device certificates carry the device role's EKU (clientAuth, core pki roles.ts), the only
 * device EKU the PKI defines; the purpose is in the subject CN ("<name> teep", ...).
 */
import { createCsr, coseKeyFromJwk, coseKeyToJwk, coseKeyToSpki, decodeCbor, encodeCbor, coseKeyToMap, coseKeyFromMap, publicCoseKey } from '@otrp/core';
import type { CborValue, CoseKey } from '@otrp/core';
import { webcrypto } from 'node:crypto';
import { InvalidArgument } from '@otrp/core';

export const DEVICE_KEY_PURPOSES = ['teep', 'suitReport', 'attestation', 'keyAgreement'] as const;
export type DeviceKeyPurpose = (typeof DEVICE_KEY_PURPOSES)[number];

/** The device's signature algorithm family (`otrp device init --alg`). */
export const DEVICE_KEY_ALGS = {
  ESP256: {
    sign: { name: 'ECDSA', namedCurve: 'P-256' },
    agree: { name: 'ECDH', namedCurve: 'P-256' },
  },
  Ed25519: {
    sign: { name: 'Ed25519' },
    agree: { name: 'X25519' },
  },
} as const;
export type DeviceKeyAlg = keyof typeof DEVICE_KEY_ALGS;

export function isDeviceKeyAlg(name: string): name is DeviceKeyAlg {
  return Object.hasOwn(DEVICE_KEY_ALGS, name);
}

/** How each purpose gets its certificate (see the table above). */
export const DEVICE_KEY_CERTIFICATION: Readonly<Record<DeviceKeyPurpose, 'csr' | 'public-key'>> = {
  teep: 'csr',
  suitReport: 'csr',
  attestation: 'csr',
  keyAgreement: 'public-key',
};

/** The private keys (TEE only). */
export interface DeviceKeySet {
  /** The device name chosen at init (subject CNs are derived from it). */
  readonly name: string;
  readonly alg: DeviceKeyAlg;
  readonly keys: Readonly<Record<DeviceKeyPurpose, CoseKey>>;
}

const subtle = webcrypto.subtle;

async function generate(params: { name: string; namedCurve?: string }, usages: KeyUsage[]): Promise<CoseKey> {
  const pair = (await subtle.generateKey(params, true, usages)) as webcrypto.CryptoKeyPair;
  return coseKeyFromJwk(await subtle.exportKey('jwk', pair.privateKey));
}

/** Generates the four keys (inside the TEE). */
export async function generateDeviceKeys(name: string, alg: DeviceKeyAlg): Promise<DeviceKeySet> {
  if (!isDeviceKeyAlg(alg)) throw new InvalidArgument(`unsupported device key algorithm ${String(alg)}`);
  checkDeviceName(name);
  const a = DEVICE_KEY_ALGS[alg];
  const [teep, suitReport, attestation, keyAgreement] = await Promise.all([
    generate(a.sign, ['sign', 'verify']),
    generate(a.sign, ['sign', 'verify']),
    generate(a.sign, ['sign', 'verify']),
    generate(a.agree, ['deriveBits']),
  ]);
  return { name, alg, keys: { teep: teep!, suitReport: suitReport!, attestation: attestation!, keyAgreement: keyAgreement! } };
}

/** The public half of every key. */
export function publicDeviceKeys(set: DeviceKeySet): Record<DeviceKeyPurpose, CoseKey> {
  return Object.fromEntries(DEVICE_KEY_PURPOSES.map((p) => [p, publicCoseKey(set.keys[p])])) as Record<DeviceKeyPurpose, CoseKey>;
}

/** A WebCrypto signing key pair of a signing purpose, for the CSR. */
async function signingPair(alg: DeviceKeyAlg, key: CoseKey): Promise<CryptoKeyPair> {
  const params = DEVICE_KEY_ALGS[alg].sign;
  const jwk = coseKeyToJwk(key) as webcrypto.JsonWebKey;
  const { d: _d, ...pub } = jwk;
  const privateKey = await subtle.importKey('jwk', jwk, params, false, ['sign']);
  const publicKey = await subtle.importKey('jwk', pub, params, true, ['verify']);
  return { privateKey, publicKey } as unknown as CryptoKeyPair;
}

/** What the TEE hands out for enrolment: one CSR per signing key, and the agreement key's SPKI. */
export interface DeviceEnrolmentRequest {
  readonly name: string;
  readonly alg: DeviceKeyAlg;
  /** DER PKCS#10 requests for teep, suitReport and attestation. */
  readonly csrs: Readonly<Record<Exclude<DeviceKeyPurpose, 'keyAgreement'>, Uint8Array>>;
  /** DER SubjectPublicKeyInfo of every key (keyAgreement is certified from this). */
  readonly spki: Readonly<Record<DeviceKeyPurpose, Uint8Array>>;
}

/** A device name: 1..48 characters of letters, digits, '.', '_' and '-' (it names files and subjects). */
export function checkDeviceName(name: string): string {
  if (typeof name !== 'string' || !/^[A-Za-z0-9._-]{1,48}$/.test(name) || name === '.' || name === '..') {
    throw new InvalidArgument(`not a usable device name: ${JSON.stringify(name)}`);
  }
  return name;
}

/** The CN of a purpose's certificate. */
export function deviceSubjectName(name: string, purpose: DeviceKeyPurpose): string {
  const label = { teep: 'teep', suitReport: 'suit-report', attestation: 'attestation', keyAgreement: 'key-agreement' }[purpose];
  return `${name} ${label}`;
}

/** Creates the enrolment request (inside the TEE: the CSRs are signed with the private keys). */
export async function createEnrolmentRequest(set: DeviceKeySet): Promise<DeviceEnrolmentRequest> {
  const name = set.name;
  const csr = async (p: 'teep' | 'suitReport' | 'attestation') =>
    createCsr({ keys: await signingPair(set.alg, set.keys[p]), name: deviceSubjectName(name, p) });
  const [teep, suitReport, attestation] = await Promise.all([csr('teep'), csr('suitReport'), csr('attestation')]);
  const spki = Object.fromEntries(DEVICE_KEY_PURPOSES.map((p) => [p, coseKeyToSpki(set.keys[p])])) as Record<DeviceKeyPurpose, Uint8Array>;
  return { name, alg: set.alg, csrs: { teep, suitReport, attestation }, spki };
}

/** CBOR for the sealed `device-keys` file: { "name": tstr, "alg": tstr, purpose: COSE_Key, ... }. */
export function encodeDeviceKeys(set: DeviceKeySet): Uint8Array {
  const m = new Map<CborValue, CborValue>([['name', set.name], ['alg', set.alg]]);
  for (const p of DEVICE_KEY_PURPOSES) m.set(p, coseKeyToMap(set.keys[p]));
  return encodeCbor(m);
}

export function decodeDeviceKeys(bytes: Uint8Array): DeviceKeySet {
  const m = decodeCbor(bytes);
  if (!(m instanceof Map)) throw new InvalidArgument('device keys: not a map');
  const alg = m.get('alg');
  const name = m.get('name');
  if (typeof name !== 'string') throw new InvalidArgument('device keys: no name');
  if (typeof alg !== 'string' || !isDeviceKeyAlg(alg)) throw new InvalidArgument('device keys: unknown algorithm');
  const keys = Object.fromEntries(DEVICE_KEY_PURPOSES.map((p) => [p, coseKeyFromMap(m.get(p) ?? null)])) as Record<DeviceKeyPurpose, CoseKey>;
  return { name, alg, keys };
}
