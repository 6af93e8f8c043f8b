/**
 * SUIT_Encryption_Info (firmware-encryption §6): the four printed examples decrypt their printed
 * ciphertexts; TEEP App. E example 3's encrypted config decrypts to the printed JSON; encrypt -> decrypt.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readVectorHex } from '../test-support/vectors.js';
import { decryptPayload, encryptPayload } from './encryption.js';
import { decodeEnvelope } from './envelope.js';
import { decodeManifest } from './manifest.js';
import { decodeCommandSequence } from './command-sequence.js';
import { keys, text } from './test-support/fixtures.js';
import { webCryptoProvider } from '../cose/webcrypto-provider.js';
import { publicCoseKey } from '../cose/key.js';

const PLAINTEXT = 'This is a real firmware image.';
const dec = new TextDecoder();
const KEYS = { keks: [keys.aeskwKek()], privateKeys: [keys.esdhReceiverPriv()] };

for (const kw of ['aes-kw', 'es-ecdh']) {
  for (const ct of ['aes-gcm', 'aes-ctr']) {
    test(`firmware-encryption suit-encryption-info-${kw}-${ct}: decrypts the printed payload`, async () => {
      const info = readVectorHex('suit', 'firmware-encryption', `suit-encryption-info-${kw}-${ct}.hex`);
      const payload = readVectorHex('suit', 'firmware-encryption', `encrypted-payload-${kw}-${ct}.hex`);
      assert.equal(dec.decode(await decryptPayload(info, payload, KEYS)), PLAINTEXT);
      await assert.rejects(decryptPayload(info, payload, {}), { code: 'ERR_SUIT_DECRYPTION_FAILED' });
      if (ct === 'aes-gcm') {
        const tampered = payload.slice();
        tampered[3]! ^= 1;
        await assert.rejects(decryptPayload(info, tampered, KEYS), { code: 'ERR_SUIT_DECRYPTION_FAILED' });
      }
    });
  }
}

test('TEEP suit_personalization: the encrypted config.json decrypts (ECDH-ES+A128KW, A128CTR) to the printed JSON', async () => {
  const env = decodeEnvelope(readVectorHex('teep', 'suit_personalization.hex'));
  const install = decodeManifest(env.manifestBytes).members.get(20);
  assert.equal(install?.kind, 'present');
  const cmds = decodeCommandSequence(install.kind === 'present' ? install.bytes : new Uint8Array(), 'install');
  const params = cmds.find((c) => c.kind === 'parameters' && c.parameters.has(19));
  assert.ok(params && params.kind === 'parameters');
  const plain = await decryptPayload(params.parameters.get(19) as Uint8Array, params.parameters.get(18) as Uint8Array, { privateKeys: [keys.esdhReceiverPriv()] });
  assert.equal(dec.decode(plain), '{"name":"FOO Bar","secret":"0123456789abfcdef0123456789abcd"}');
});

for (const contentAlg of [1, -65534]) {
  test(`encryptPayload -> decryptPayload round trip (content alg ${contentAlg}, A128KW and ECDH-ES+A128KW)`, async () => {
    const data = text('payload for a device');
    const kw = await encryptPayload(data, { recipient: keys.aeskwKek(), contentAlg });
    assert.deepEqual(await decryptPayload(kw.encryptionInfo, kw.ciphertext, { keks: [keys.aeskwKek()] }), data);
    const es = await encryptPayload(data, { recipient: keys.esdhReceiver(), contentAlg });
    assert.deepEqual(await decryptPayload(es.encryptionInfo, es.ciphertext, { privateKeys: [keys.esdhReceiverPriv()] }), data);
    const other = await webCryptoProvider.generateKeyPair('P-256');
    await assert.rejects(decryptPayload(es.encryptionInfo, es.ciphertext, { privateKeys: [other] }), { code: 'ERR_SUIT_DECRYPTION_FAILED' });
    assert.notDeepEqual(publicCoseKey(other).x, keys.esdhReceiver().x);
  });
}
