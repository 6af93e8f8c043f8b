/**
 * What the TEE is told at enrolment and keeps sealed (`device-credentials`): its certificates and
 * the trust anchors of the Agent. Trust anchors are integrity-critical (whoever can change them can
 * install anything), which is why they live in sealed storage and not in an REE-visible file.
 *
 * - certificates: per key purpose (device-keys.ts), the chain leaf first (RFC 9360 x5chain order);
 * - tamAnchors: CA certificates the TAM's chain must validate to (the PKI's TAM CA);
 * - tamKeys: raw TAM public keys (`--tam-key`), looked up by RFC 9679 thumbprint kid;
 * - signerAnchors: CA certificates every TC signer's chain must validate to (the TC-signer CA);
 * - signerKeys: raw TC signer public keys;
 * - crls: CRLs of those CAs (checked when present);
 * - tamKeyAgreementKey: the TAM's key-agreement public key, if known: EATs and SUIT reports are
 *   then encrypted to the TAM (-26 §8.2 SHOULD).
 * - tamAttesterKeys: when not empty, the Agent requires TAM attestation (-26 §7.2.1): a TAM's
 *   QueryRequest must carry Evidence signed by one of these keys, answering the Agent's challenge
 *   (`--require-tam-attestation`, the PKI's tam/attestation/public.pem);
 * - vendorId / classId: the device's SUIT identity (16-byte UUIDs, RFC 9124 §4), what manifests'
 *   condition-vendor-identifier and condition-class-identifier compare with (suit-manifest-37
 *   §8.4.8.1, §8.4.8.2). Sealed for the same reason as the anchors: they decide what may install.
 *
 * ```cddl
 * device-credentials = {
 *   "certificates" => { * purpose => [+ bstr] },
 *   "tamAnchors" => [* bstr], "tamKeys" => [* bstr .cbor COSE_Key],
 *   "signerAnchors" => [* bstr], "signerKeys" => [* bstr .cbor COSE_Key],
 *   "crls" => [* bstr],
 *   ? "tamKeyAgreementKey" => bstr .cbor COSE_Key,
 *   ? "tamAttesterKeys" => [+ bstr .cbor COSE_Key],
 *   ? "vendorId" => bstr .size 16, ? "classId" => bstr .size 16,
 * }
 * ```
 */
import { bytesEqual, decodeCoseKey, encodeCoseKey, spkiFromCertificate, coseKeyToSpki } from '@otrp/core';
import type { CoseKey } from '@otrp/core';
import { CredentialMismatch, TeeChannelError } from '../errors.js';
import { asRec, bytesList, decodeRecord, encodeRecord, type Rec, type RecordValue } from './cbor-record.js';
import { DEVICE_KEY_PURPOSES, type DeviceKeyPurpose, type DeviceKeySet } from './device-keys.js';

export interface DeviceCredentials {
  readonly certificates: Partial<Readonly<Record<DeviceKeyPurpose, readonly Uint8Array[]>>>;
  readonly tamAnchors: readonly Uint8Array[];
  readonly tamKeys: readonly CoseKey[];
  readonly signerAnchors: readonly Uint8Array[];
  readonly signerKeys: readonly CoseKey[];
  readonly crls: readonly Uint8Array[];
  readonly tamKeyAgreementKey?: CoseKey;
  readonly tamAttesterKeys?: readonly CoseKey[];
  readonly vendorId?: Uint8Array;
  readonly classId?: Uint8Array;
}

export const EMPTY_CREDENTIALS: DeviceCredentials = { certificates: {}, tamAnchors: [], tamKeys: [], signerAnchors: [], signerKeys: [], crls: [] };

export function credentialsToRecord(c: DeviceCredentials): RecordValue {
  const certificates: Record<string, RecordValue> = {};
  for (const p of DEVICE_KEY_PURPOSES) if (c.certificates[p]) certificates[p] = [...c.certificates[p]!];
  return {
    certificates,
    tamAnchors: [...c.tamAnchors],
    tamKeys: c.tamKeys.map(encodeCoseKey),
    signerAnchors: [...c.signerAnchors],
    signerKeys: c.signerKeys.map(encodeCoseKey),
    crls: [...c.crls],
    ...(c.tamKeyAgreementKey ? { tamKeyAgreementKey: encodeCoseKey(c.tamKeyAgreementKey) } : {}),
    ...(c.tamAttesterKeys?.length ? { tamAttesterKeys: c.tamAttesterKeys.map(encodeCoseKey) } : {}),
    ...(c.vendorId ? { vendorId: c.vendorId } : {}),
    ...(c.classId ? { classId: c.classId } : {}),
  };
}

export function credentialsFromRecord(v: RecordValue | undefined): DeviceCredentials {
  const r = asRec(v, 'credentials');
  const certRec = asRec(r['certificates'] ?? {}, 'certificates');
  const certificates: Partial<Record<DeviceKeyPurpose, Uint8Array[]>> = {};
  for (const p of DEVICE_KEY_PURPOSES) if (certRec[p] !== undefined) certificates[p] = bytesList(certRec, p);
  return {
    certificates,
    tamAnchors: bytesList(r, 'tamAnchors'),
    tamKeys: bytesList(r, 'tamKeys').map(decodeCoseKey),
    signerAnchors: bytesList(r, 'signerAnchors'),
    signerKeys: bytesList(r, 'signerKeys').map(decodeCoseKey),
    crls: bytesList(r, 'crls'),
    ...(r['tamKeyAgreementKey'] instanceof Uint8Array ? { tamKeyAgreementKey: decodeCoseKey(r['tamKeyAgreementKey']) } : {}),
    ...(r['tamAttesterKeys'] !== undefined ? { tamAttesterKeys: bytesList(r, 'tamAttesterKeys').map(decodeCoseKey) } : {}),
    ...suitIdentity(r, 'vendorId'),
    ...suitIdentity(r, 'classId'),
  };
}

/** An optional 16-byte UUID entry (vendorId, classId); anything else is a damaged record. */
function suitIdentity(r: Rec, key: 'vendorId' | 'classId'): { vendorId?: Uint8Array; classId?: Uint8Array } {
  const v = r[key];
  if (v === undefined) return {};
  if (!(v instanceof Uint8Array) || v.length !== 16) throw new TeeChannelError(`credentials: ${key} is not a 16-byte UUID`);
  return { [key]: v };
}

export const encodeCredentials = (c: DeviceCredentials): Uint8Array => encodeRecord(credentialsToRecord(c));
export const decodeCredentials = (b: Uint8Array): DeviceCredentials => credentialsFromRecord(decodeRecord(b));


/** Each certificate's leaf must certify the key of its purpose (a swapped certificate is refused). */
export function checkCredentialsMatchKeys(c: DeviceCredentials, keys: DeviceKeySet): void {
  for (const p of DEVICE_KEY_PURPOSES) {
    const chain = c.certificates[p];
    if (!chain) continue;
    if (chain.length === 0) throw new CredentialMismatch(`empty certificate chain for the ${p} key`);
    let spki: Uint8Array;
    try {
      spki = spkiFromCertificate(chain[0]!);
    } catch (e) {
      throw new CredentialMismatch(`the ${p} certificate does not parse`, { cause: e });
    }
    if (!bytesEqual(spki, coseKeyToSpki(keys.keys[p]))) throw new CredentialMismatch(`the ${p} certificate certifies another key`);
  }
}
