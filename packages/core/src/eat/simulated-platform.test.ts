import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { webCryptoProvider } from '../cose/webcrypto-provider.js';
import { publicCoseKey } from '../cose/key.js';
import { coseKeyToSpki } from '../cose/key-pem.js';
import { coseKeyThumbprint } from '../cose/thumbprint.js';
import { buildEvidence, verifyEvidence } from './evidence.js';
import { checkTeepEatProfile, decodeSuitReference } from './teep-profile.js';
import { simulatedPlatformClaims } from './simulated-platform.js';

const platform = { hwmodel: 'otrp simulated TEE', oemidLabel: 'otrp simulated TEE oemid', manifestUri: 'urn:otrp:simulated-tee-firmware:1', manifestLabel: 'otrp simulated TEE firmware 1' };
const sha256 = (d: string | Uint8Array) => new Uint8Array(createHash('sha256').update(d).digest());

test('a simulated platform: fixed values derived from its labels (what reference values list), ueid from the identity key', async () => {
  const identity = await webCryptoProvider.generateKeyPair('P-256');
  const c = await simulatedPlatformClaims(platform, identity);
  assert.deepEqual(c.hwmodel, new TextEncoder().encode('otrp simulated TEE'));
  assert.deepEqual(c.hwversion, { version: '1.0' });
  assert.deepEqual(c.oemid, sha256('otrp simulated TEE oemid').subarray(0, 16));
  assert.deepEqual(c.ueid, new Uint8Array([0x01, ...sha256(coseKeyToSpki(publicCoseKey(identity))).subarray(0, 16)]), 'type RAND (RFC 9711 §4.2.1), from the SPKI');
  assert.deepEqual(decodeSuitReference(c.manifests![0]!.body), { uri: platform.manifestUri, digest: { algorithmId: -16, bytes: sha256('otrp simulated TEE firmware 1') } });
  // The public and the private key name the same platform; another key, another ueid.
  assert.deepEqual((await simulatedPlatformClaims(platform, publicCoseKey(identity))).ueid, c.ueid);
  assert.notDeepEqual((await simulatedPlatformClaims(platform, await webCryptoProvider.generateKeyPair('P-256'))).ueid, c.ueid);
  assert.deepEqual((await simulatedPlatformClaims({ ...platform, hwversion: '2.1' }, identity)).hwversion, { version: '2.1' });
});

test('its claims meet the TEEP EAT profile once signed with a nonce and cnf', async () => {
  const identity = await webCryptoProvider.generateKeyPair('P-256');
  const attestationKey = await webCryptoProvider.generateKeyPair('P-256');
  const claims = await simulatedPlatformClaims(platform, identity);
  const nonce = new Uint8Array(32).fill(9);
  const evidence = await buildEvidence({ claims: { ...claims, nonce, cnf: { kid: await coseKeyThumbprint(publicCoseKey(identity)) } }, key: attestationKey });
  const verified = await verifyEvidence(evidence, { endorsementKeys: [publicCoseKey(attestationKey)], nonce });
  checkTeepEatProfile(verified.claims);
  assert.deepEqual(verified.claims.hwmodel, claims.hwmodel);
});
