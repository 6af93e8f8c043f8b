import { test } from 'node:test';
import assert from 'node:assert/strict';
import { webCryptoProvider } from '../cose/webcrypto-provider.js';
import { publicCoseKey } from '../cose/key.js';
import { createSign1 } from '../cose/sign1.js';
import { decryptFromAgent, encryptToTam, isEncryptedToTam } from './confidentiality.js';

test('isEncryptedToTam reads the COSE_Encrypt tag from the head only, in any encoding the decoder accepts', async () => {
  const tamKa = await webCryptoProvider.generateKeyPair('X25519');
  const signed = await createSign1({ payload: new Uint8Array([0xa0]), key: await webCryptoProvider.generateKeyPair('P-256') });
  const encrypted = await encryptToTam(signed, publicCoseKey(tamKa), 'eat');
  assert.equal(encrypted[0], 0xd8);
  assert.equal(encrypted[1], 96);
  assert.equal(isEncryptedToTam(encrypted), true);
  assert.equal(isEncryptedToTam(signed), false, 'a tagged COSE_Sign1 (18)');
  // Tag 96 with a two-byte head (not preferred, still tag 96 for the decoder): the same message.
  const wide = new Uint8Array([0xd9, 0x00, 96, ...encrypted.subarray(2)]);
  assert.equal(isEncryptedToTam(wide), true);
  assert.deepEqual(await decryptFromAgent(wide, tamKa, 'eat'), signed);
  for (const bytes of [new Uint8Array(), new Uint8Array([0xd8]), new Uint8Array([0x18, 96]), new Uint8Array([0xdc])]) {
    assert.equal(isEncryptedToTam(bytes), false, Buffer.from(bytes).toString('hex'));
  }
  // A good head over a malformed item: taken as encrypted, and refused by the decryption's decoder.
  const broken = encrypted.subarray(0, encrypted.length - 3);
  assert.equal(isEncryptedToTam(broken), true);
  await assert.rejects(decryptFromAgent(broken, tamKa, 'eat'), { code: 'ERR_COSE_MALFORMED' });
});
