import { test } from 'node:test';
import assert from 'node:assert/strict';
import { webCryptoProvider } from '../cose/webcrypto-provider.js';
import { publicCoseKey } from '../cose/key.js';
import type { CryptoProvider } from '../cose/crypto-provider.js';
import { verifyEvidence } from '../eat/evidence.js';
import { simulatedPlatformClaims } from '../eat/simulated-platform.js';
import { createSimulatedPlatformSource } from './attestation-sources.js';

const platform = { hwmodel: 'otrp simulated TEE', oemidLabel: 'oemid', manifestUri: 'urn:otrp:test:1', manifestLabel: 'software 1' };

test('a simulated platform source: claims computed at the first attestation and kept; a failure is not kept', async () => {
  const identity = await webCryptoProvider.generateKeyPair('P-256');
  const attestationKey = await webCryptoProvider.generateKeyPair('P-256');
  let digests = 0;
  let failNext = true;
  const provider: CryptoProvider = {
    ...webCryptoProvider,
    digest: async (hash, data) => {
      digests++;
      if (failNext) throw new Error('digest unavailable');
      return webCryptoProvider.digest(hash, data);
    },
  };
  const source = createSimulatedPlatformSource({ platform, identityKey: identity, attestationKey, provider });
  const request = { nonce: new Uint8Array(32).fill(5), teepKey: publicCoseKey(identity) };
  await assert.rejects(async () => source.attest(request), /digest unavailable/);
  failNext = false;
  const first = await source.attest(request);
  const counted = digests;
  const second = await source.attest(request);
  assert.equal(digests, counted, 'the second attestation computes no claim again');
  const want = await simulatedPlatformClaims(platform, identity);
  for (const a of [first, second]) {
    const v = await verifyEvidence(a.payload, { endorsementKeys: [publicCoseKey(attestationKey)], nonce: request.nonce });
    assert.deepEqual([v.claims.ueid, v.claims.oemid, v.claims.hwmodel], [want.ueid, want.oemid, want.hwmodel]);
  }
});
