/**
 * Known answers from draft-ietf-suit-firmware-encryption (vectors/suit/firmware-encryption, see its
 * README): COSE_Encrypt with detached ciphertext, A128KW and ECDH-ES+A128KW recipients (KDF context
 * SuppPubInfo.other = 'SUIT Payload Encryption'), content A128GCM and A128CTR.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readVectorHex } from '../test-support/vectors.js';
import { decodeCoseKey, type CoseKey } from './key.js';
import { createEncrypt, decryptEncrypt, decodeEncrypt } from './encrypt.js';
import { fromHex } from './bytes.js';

const plaintext = new TextEncoder().encode('This is a real firmware image.');
const kek: CoseKey = { kty: 'Symmetric', k: new TextEncoder().encode('aaaaaaaaaaaaaaaa'), kid: new TextEncoder().encode('kid-1') };
const receiver = decodeCoseKey(readVectorHex('suit', 'keys', 'esdh-receiver-p256.priv.cose_key.hex'));
const kdf = { suppPubOther: 'SUIT Payload Encryption' };
// CEKs printed in the draft's examples (vectors/suit/README.md).
const CEK = { 'aes-gcm': fromHex('15F785B5C931414411B4B71373A9C0F7')!, 'aes-ctr': fromHex('261DE6165070FB8951EC5D7B92A065FE')! };

for (const content of ['aes-gcm', 'aes-ctr'] as const) {
  test(`SUIT AES-KW + ${content}: decrypts and re-creates byte for byte`, async () => {
    const info = readVectorHex('suit', 'firmware-encryption', `suit-encryption-info-aes-kw-${content}.hex`);
    const detachedCiphertext = readVectorHex('suit', 'firmware-encryption', `encrypted-payload-aes-kw-${content}.hex`);
    const r = await decryptEncrypt(info, kek, { detachedCiphertext });
    assert.deepEqual(r.plaintext, plaintext);
    const d = decodeEncrypt(info);
    const again = await createEncrypt({
      plaintext,
      cek: CEK[content],
      protectedHeaders: d.headers.protected,
      unprotectedHeaders: d.headers.unprotected,
      recipients: [{ alg: -3, key: kek }],
      detached: true,
    });
    assert.deepEqual(again, info);
    // A shortened ciphertext: GCM notices; CTR has no integrity and yields something else.
    const cut = await decryptEncrypt(info, kek, { detachedCiphertext: detachedCiphertext.subarray(1) }).then((x) => x.plaintext, (e: { code: string }) => e.code);
    if (content === 'aes-gcm') assert.equal(cut, 'ERR_COSE_DECRYPT_FAILED');
    else assert.notDeepEqual(cut, plaintext);
  });

  test(`SUIT ECDH-ES+A128KW + ${content}: decrypts with the KDF context's 'SUIT Payload Encryption'`, async () => {
    const info = readVectorHex('suit', 'firmware-encryption', `suit-encryption-info-es-ecdh-${content}.hex`);
    const detachedCiphertext = readVectorHex('suit', 'firmware-encryption', `encrypted-payload-es-ecdh-${content}.hex`);
    const r = await decryptEncrypt(info, receiver, { detachedCiphertext, kdf });
    assert.deepEqual(r.plaintext, plaintext);
    assert.equal(r.recipient.alg.name, 'ECDH-ES+A128KW');
    // Without SuppPubInfo.other the KEK differs and AES-KW unwrapping fails.
    await assert.rejects(decryptEncrypt(info, receiver, { detachedCiphertext }), { code: 'ERR_COSE_DECRYPT_FAILED' });
  });
}
