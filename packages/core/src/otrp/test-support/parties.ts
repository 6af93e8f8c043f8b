/**
 * Test parties for the OTrP tests: a P-256 PKI (root, TAM CA, device CA, signer CA) from the pki
 * fixture, and TAM / TEE identities with either P-256 keys or ONE shared RSA-2048 key pair (RSA key
 * generation is slow; the draft's own samples also use one certificate for both roles).
 */
import { makeFixture, type Fixture } from '../../pki/test-support/fixture.js';
import { issueCertificate } from '../../pki/certificate.js';
import { describeSpki, generateJoseKeyPair, type JosePrivateKey } from '../../jose/keys.js';
import type { OtrpIdentity } from '../ports.js';
import * as nodeCrypto from 'node:crypto';
import { createMemoryRidTidStore, createMemoryTeeStore } from '../memory-stores.js';
import { createPkiTamTrust, createPkiTeeTrust } from '../trust.js';
import { createNodeRawRsa } from '../../jose/raw-rsa.js';
import type { JosePolicy } from '../../jose/algorithms.js';
import type { TeeAgentOptions } from '../tee-agent.js';
import type { TamOptions } from '../tam-session.js';

const rawRsa = createNodeRawRsa(nodeCrypto);

export const TAM_ID = 'https://tam.example/tam';

export interface Parties {
  fixture: Fixture;
  tam: OtrpIdentity;
  tee: OtrpIdentity;
  /** A second TAM (another TAM ID) under the same TAM CA. */
  otherTam: OtrpIdentity;
  spcert: Uint8Array;
}

async function identity(fixture: Fixture, role: 'tam' | 'device', key: JosePrivateKey, san: string[]): Promise<OtrpIdentity> {
  const branch = role === 'tam' ? fixture.branches['tam-ca'] : fixture.branches['device-ca'];
  // One key signs and decrypts (notes §15 A11): P-256 keys also do ECDH, RSA keys keyEncipherment (role default).
  const ec = (await describeSpki(key.spki)).type === 'EC-P256';
  const leaf = await issueCertificate({ issuer: branch, role, subject: `test ${role}`, publicKey: key.spki, sanUris: san, ...(ec ? { keyUsage: { keyAgreement: true } } : {}) });
  return { key, chain: [leaf, branch.certificate] };
}

export async function makeFixturePki(): Promise<Fixture> {
  return makeFixture('ESP256');
}

export async function makeParties(fixture: Fixture, keys: 'P-256' | JosePrivateKey): Promise<Parties> {
  const tamKey = keys === 'P-256' ? await generateJoseKeyPair('EC-P256') : keys;
  const teeKey = keys === 'P-256' ? await generateJoseKeyPair('EC-P256') : keys;
  const otherKey = await generateJoseKeyPair('EC-P256');
  return {
    fixture,
    tam: await identity(fixture, 'tam', tamKey, [TAM_ID]),
    tee: await identity(fixture, 'device', teeKey, []),
    otherTam: await identity(fixture, 'tam', otherKey, ['https://other-tam.example/tam']),
    spcert: (await fixture.leaf('signer')).der,
  };
}

/** A TEE agent (in-memory stores, root as TAM anchor) and a TAM session for `parties`. */
export function setup(fixture: Fixture, parties: Parties, policy: JosePolicy) {
  const store = createMemoryTeeStore();
  const agent: TeeAgentOptions = {
    identity: parties.tee,
    teeName: 'Primary TEE',
    teeVersion: '1.0-sim',
    store,
    ridTid: createMemoryRidTidStore(),
    tamTrust: createPkiTamTrust({ anchors: [{ certificate: fixture.root.certificate }] }),
    policy,
    rawRsa,
  };
  const tam: TamOptions = {
    identity: parties.tam,
    tamid: TAM_ID,
    teeTrust: createPkiTeeTrust({ anchors: [{ certificate: fixture.root.certificate }] }),
    policy,
    rawRsa,
  };
  return { store, agent, tam };
}

