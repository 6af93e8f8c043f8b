import { test } from 'node:test';
import assert from 'node:assert/strict';
import { publicCoseKey, ReferenceValueVerifier, webCryptoProvider } from '@otrp/core';
import { SIMULATED_TAM_PLATFORM, tamAttestationSource } from './tam-attestation.js';

test("the TAM's Evidence: signed by its attestation key, eat_nonce = the Agent's challenge, cnf = the TAM's TEEP key", async () => {
  const attestationKey = await webCryptoProvider.generateKeyPair('P-256');
  const teepKey = publicCoseKey(await webCryptoProvider.generateKeyPair('P-256'));
  const challenge = new Uint8Array(32).fill(7);
  const a = await tamAttestationSource(attestationKey).attest({ nonce: challenge, teepKey });
  assert.equal(a.format, 'application/eat+cwt', 'Evidence, not an Attestation Result (-26 §7.2.1)');
  // What the Agent does with it (device agent-host.ts): the key is the endorsement, any platform claims.
  const verifier = new ReferenceValueVerifier({ endorsementKeys: [publicCoseKey(attestationKey)], referenceValues: {} });
  const r = await verifier.verify(a.payload, { nonce: challenge, teepKey });
  assert.equal(new TextDecoder().decode(r.claims.hwmodel), SIMULATED_TAM_PLATFORM.hwmodel);
  await assert.rejects(verifier.verify(a.payload, { nonce: new Uint8Array(32), teepKey }), { code: 'ERR_EAT_NONCE_MISMATCH' });
  const other = new ReferenceValueVerifier({ endorsementKeys: [publicCoseKey(await webCryptoProvider.generateKeyPair('P-256'))], referenceValues: {} });
  await assert.rejects(other.verify(a.payload, { nonce: challenge, teepKey }), { code: 'ERR_EAT_UNTRUSTED_SIGNER' });
});
