import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nodeCrypto from 'node:crypto';
import { generateJoseKeyPair, type JosePrivateKey } from './keys.js';
import { signJws, verifyJws, readSignerChain, x5cHeader, type FlattenedJws } from './jws.js';
import { encryptJwe, decryptJwe, parseJwe } from './jwe.js';
import { DEFAULT_JOSE_POLICY, withRsa15 } from './algorithms.js';
import { createNodeRawRsa } from './raw-rsa.js';
import { encodeBase64url, decodeBase64url } from './base64.js';
import { verifyDraftSampleJws } from './jws-draft-sample.js';
import { fixedRsaKey } from './test-support/fixed-rsa-key.js';

const rawRsa = createNodeRawRsa(nodeCrypto);
const text = (s: string) => new TextEncoder().encode(s);
let rsaA: JosePrivateKey;
let rsaB: JosePrivateKey;
let ecA: JosePrivateKey;
let ecB: JosePrivateKey;

test.before(async () => {
  // One 2048-bit RSA key pair per file (slow); the second RSA key is a fixed test key.
  rsaA = await generateJoseKeyPair('RSA');
  rsaB = await fixedRsaKey();
  ecA = await generateJoseKeyPair('EC-P256');
  ecB = await generateJoseKeyPair('EC-P256');
});

async function expectCode(p: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => (e as { code?: string }).code === code);
}

test('JWS sign/verify with ES256 and RS256', async () => {
  for (const [alg, key] of [['ES256', ecA], ['RS256', rsaA]] as const) {
    const jws = await signJws(text('{"x":1}'), { alg, key, header: x5cHeader([new Uint8Array([1, 2, 3])]) });
    const r = await verifyJws(jws, { spki: key.spki });
    assert.equal(new TextDecoder().decode(r.payload), '{"x":1}');
    assert.deepEqual(readSignerChain(jws), [new Uint8Array([1, 2, 3])]);
  }
});

test('JWS: tampered payload, wrong key, none, RSA-1024 are refused with codes', async () => {
  const jws = await signJws(text('{"x":1}'), { alg: 'ES256', key: ecA });
  await expectCode(verifyJws({ ...jws, payload: encodeBase64url(text('{"x":2}')) }, { spki: ecA.spki }), 'ERR_JWS_SIGNATURE_INVALID');
  await expectCode(verifyJws(jws, { spki: ecB.spki }), 'ERR_JWS_SIGNATURE_INVALID');
  const none: FlattenedJws = { ...jws, protected: encodeBase64url(text('{"alg":"none"}')), signature: '' };
  await expectCode(verifyJws(none, { spki: ecA.spki }), 'ERR_JOSE_ALG_REFUSED');
  await expectCode(verifyJws(jws, { spki: rsaA.spki }), 'ERR_JOSE_KEY_UNSUPPORTED');
  const small = nodeCrypto.generateKeyPairSync('rsa', { modulusLength: 1024 });
  const smallKey = { pkcs8: new Uint8Array(small.privateKey.export({ format: 'der', type: 'pkcs8' })), spki: new Uint8Array(small.publicKey.export({ format: 'der', type: 'spki' })) };
  await expectCode(signJws(text('{}'), { alg: 'RS256', key: smallKey }), 'ERR_JOSE_WEAK_KEY');
  const sig = nodeCrypto.sign('sha256', text(`${encodeBase64url(text('{"alg":"RS256"}'))}.${encodeBase64url(text('{}'))}`), small.privateKey);
  const weak: FlattenedJws = { protected: encodeBase64url(text('{"alg":"RS256"}')), payload: encodeBase64url(text('{}')), signature: encodeBase64url(sig) };
  await expectCode(verifyJws(weak, { spki: smallKey.spki }), 'ERR_JOSE_WEAK_KEY');
  // ... and the draft-sample path refuses any key but the draft's.
  await expectCode(verifyDraftSampleJws(weak, smallKey.spki), 'ERR_JOSE_WEAK_KEY');
});

test('JWE round trips: ECDH-ES+A128KW, RSA-OAEP-256, RSA1_5, each enc', async () => {
  const cases = [
    ['ECDH-ES+A128KW', ecA],
    ['RSA-OAEP-256', rsaA],
    ['RSA1_5', rsaA],
  ] as const;
  for (const [alg, key] of cases) {
    for (const enc of ['A128CBC-HS256', 'A128GCM', 'A256GCM'] as const) {
      const jwe = await encryptJwe(text('secret dsi'), { recipient: key.spki, alg, enc });
      assert.equal(jwe.recipients[0].header.alg, alg);
      const r = await decryptJwe(parseJwe(JSON.parse(JSON.stringify(jwe))), { key, policy: withRsa15(), rawRsa });
      assert.equal(new TextDecoder().decode(r.plaintext), 'secret dsi');
      assert.equal(r.enc, enc);
    }
  }
});

test('JWE: RSA1_5 is refused unless opted in; wrong key and bad padding give the same error', async () => {
  const jwe = await encryptJwe(text('x'), { recipient: rsaA.spki, alg: 'RSA1_5' });
  await expectCode(decryptJwe(jwe, { key: rsaA, policy: DEFAULT_JOSE_POLICY, rawRsa }), 'ERR_JOSE_ALG_REFUSED');
  await expectCode(decryptJwe(jwe, { key: rsaB, policy: withRsa15(), rawRsa }), 'ERR_JWE_DECRYPTION_FAILED');
  // A block with wrong padding (00 01 ... instead of 00 02 ...) encrypted with the raw public op.
  const em = new Uint8Array(256).fill(0x55);
  em[0] = 0;
  em[1] = 1;
  em[200] = 0;
  const pub = nodeCrypto.createPublicKey({ key: Buffer.from(rsaA.spki), format: 'der', type: 'spki' });
  const c = nodeCrypto.publicEncrypt({ key: pub, padding: nodeCrypto.constants.RSA_NO_PADDING }, em);
  const bad = { ...jwe, recipients: [{ header: { alg: 'RSA1_5' }, encrypted_key: encodeBase64url(new Uint8Array(c)) }] as typeof jwe.recipients };
  await expectCode(decryptJwe(bad, { key: rsaA, policy: withRsa15(), rawRsa }), 'ERR_JWE_DECRYPTION_FAILED');
  // Right padding but a CEK of the wrong length: also the same failure.
  const em2 = new Uint8Array(256).fill(0x77);
  em2[0] = 0;
  em2[1] = 2;
  em2[256 - 17] = 0;
  const c2 = nodeCrypto.publicEncrypt({ key: pub, padding: nodeCrypto.constants.RSA_NO_PADDING }, em2);
  const bad2 = { ...jwe, recipients: [{ header: { alg: 'RSA1_5' }, encrypted_key: encodeBase64url(new Uint8Array(c2)) }] as typeof jwe.recipients };
  await expectCode(decryptJwe(bad2, { key: rsaA, policy: withRsa15(), rawRsa }), 'ERR_JWE_DECRYPTION_FAILED');
  // Tampered ciphertext and JWE to an EC key decrypted with an RSA key.
  const ct = decodeBase64url(jwe.ciphertext);
  ct[0]! ^= 1;
  await expectCode(decryptJwe({ ...jwe, ciphertext: encodeBase64url(ct) }, { key: rsaA, policy: withRsa15(), rawRsa }), 'ERR_JWE_DECRYPTION_FAILED');
  const ecJwe = await encryptJwe(text('x'), { recipient: ecA.spki, alg: 'ECDH-ES+A128KW' });
  await expectCode(decryptJwe(ecJwe, { key: ecB }), 'ERR_JWE_DECRYPTION_FAILED');
  await expectCode(decryptJwe(ecJwe, { key: rsaA }), 'ERR_JWE_DECRYPTION_FAILED');
});
