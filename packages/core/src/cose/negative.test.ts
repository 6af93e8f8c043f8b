/** Rejections, each asserting its error code. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeCbor, encodeCbor } from '../wire/cbor.js';
import { CborTag, type CborValue } from '../wire/cbor-value.js';
import { webCryptoProvider } from './webcrypto-provider.js';
import { publicCoseKey, type CoseKey } from './key.js';
import { createSign1, verifySign1 } from './sign1.js';
import { createSign, verifySign } from './sign.js';
import { createMac0, verifyMac0 } from './mac0.js';
import { createMac, verifyMac } from './mac.js';
import { createEncrypt0, decryptEncrypt0 } from './encrypt0.js';
import { createEncrypt, decryptEncrypt } from './encrypt.js';
import { COSE_HEADER } from './headers.js';

const enc = new TextEncoder();
const payload = enc.encode('This is the content.');
const es256 = await webCryptoProvider.generateKeyPair('P-256');
const pub = publicCoseKey(es256);
const other = publicCoseKey(await webCryptoProvider.generateKeyPair('P-256'));
const p384 = await webCryptoProvider.generateKeyPair('P-384');
const sym16: CoseKey = { kty: 'Symmetric', k: new Uint8Array(16).fill(7), kid: enc.encode('k') };
const sym32: CoseKey = { kty: 'Symmetric', k: new Uint8Array(32).fill(9), kid: enc.encode('k') };

const sign1 = await createSign1({ payload, key: es256, protectedHeaders: new Map([[COSE_HEADER.contentType, 'text/plain']]) });

/** Decodes a tagged message, lets `edit` change its array, re-encodes with the same tag. */
function mutate(bytes: Uint8Array, edit: (items: CborValue[]) => void): Uint8Array {
  const t = decodeCbor(bytes) as CborTag;
  const items = [...(t.value as CborValue[])];
  edit(items);
  return encodeCbor(new CborTag(t.tag, items));
}
const flip = (b: CborValue, at = -1): Uint8Array => {
  const c = new Uint8Array(b as Uint8Array);
  c[(at + c.length) % c.length]! ^= 0x01;
  return c;
};
const prot = (m: Map<CborValue, CborValue>) => encodeCbor(m);
const code = (c: string) => ({ code: c });

test('Sign1: a flipped bit in the protected header, payload or signature is ERR_COSE_SIGNATURE_INVALID', async () => {
  await verifySign1(sign1, pub); // the unmodified message verifies
  for (const i of [0, 2, 3]) {
    await assert.rejects(verifySign1(mutate(sign1, (m) => (m[i] = flip(m[i]!))), pub), code('ERR_COSE_SIGNATURE_INVALID'), `element ${i}`);
  }
});

test('Sign1: wrong key, wrong external AAD: ERR_COSE_SIGNATURE_INVALID with one fixed message', async () => {
  const a = await verifySign1(sign1, other).catch((e: Error) => e);
  const b = await verifySign1(sign1, pub, { externalAad: enc.encode('x') }).catch((e: Error) => e);
  assert.equal((a as { code?: string }).code, 'ERR_COSE_SIGNATURE_INVALID');
  assert.equal((b as { code?: string }).code, 'ERR_COSE_SIGNATURE_INVALID');
  assert.equal((a as Error).message, (b as Error).message);
});

test('Sign1: wrong algorithm', async () => {
  // alg header says ES384 but the key is P-256
  const m = mutate(sign1, (x) => (x[0] = prot(new Map([[1, -35]]))));
  await assert.rejects(verifySign1(m, pub), code('ERR_COSE_KEY_MISMATCH'));
  await assert.rejects(verifySign1(sign1, publicCoseKey(p384)), code('ERR_COSE_KEY_MISMATCH'));
  await assert.rejects(verifySign1(sign1, { ...pub, alg: -8 }), code('ERR_COSE_KEY_MISMATCH'));
  await assert.rejects(verifySign1(sign1, pub, { algorithms: [-8] }), code('ERR_COSE_UNSUPPORTED_ALG'));
  await assert.rejects(createSign1({ payload, key: es256, alg: -35 }), code('ERR_COSE_KEY_MISMATCH'));
  await assert.rejects(createSign1({ payload, key: pub }), code('ERR_COSE_KEY_MISMATCH'));
  await assert.rejects(createSign1({ payload, key: es256, alg: 5 }), code('ERR_COSE_UNSUPPORTED_ALG'));
});

test('unsupported algorithms are ERR_COSE_UNSUPPORTED_ALG, never a crash', async () => {
  for (const alg of [-999, 'unknown', -36, -37, 0]) {
    const m = mutate(sign1, (x) => (x[0] = prot(new Map<CborValue, CborValue>([[1, alg]]))));
    await assert.rejects(verifySign1(m, pub), code('ERR_COSE_UNSUPPORTED_ALG'), String(alg));
  }
  const e0 = await createEncrypt0({ plaintext: payload, key: sym16, alg: 1 });
  await assert.rejects(decryptEncrypt0(mutate(e0, (x) => (x[0] = prot(new Map([[1, 2]])))), sym16), code('ERR_COSE_UNSUPPORTED_ALG'));
  await assert.rejects(createEncrypt({ plaintext: payload, alg: 1, recipients: [{ alg: -4, key: sym16 }] }), code('ERR_COSE_UNSUPPORTED_ALG'));
});

test('truncated input at every length, and trailing bytes, are ERR_COSE_MALFORMED', async () => {
  for (let n = 0; n < sign1.length; n++) await assert.rejects(verifySign1(sign1.subarray(0, n), pub), code('ERR_COSE_MALFORMED'), `length ${n}`);
  await assert.rejects(verifySign1(new Uint8Array([...sign1, 0]), pub), code('ERR_COSE_MALFORMED'));
});

test('shape errors are ERR_COSE_MALFORMED', async () => {
  const bad: [string, Uint8Array][] = [
    ['wrong tag', encodeCbor(new CborTag(98, (decodeCbor(sign1) as CborTag).value))],
    ['3 elements', mutate(sign1, (m) => m.pop())],
    ['5 elements', mutate(sign1, (m) => m.push(new Uint8Array(0)))],
    ['protected is a map', mutate(sign1, (m) => (m[0] = new Map([[1, -7]])))],
    ['protected holds an array', mutate(sign1, (m) => (m[0] = encodeCbor([1])))],
    ['protected holds bad CBOR', mutate(sign1, (m) => (m[0] = new Uint8Array([0xa1, 0x01])))],
    ['unprotected not a map', mutate(sign1, (m) => (m[1] = []))],
    ['label in both buckets', mutate(sign1, (m) => (m[1] = new Map([[3, 'text/plain']])))],
    ['crit in unprotected', mutate(sign1, (m) => (m[1] = new Map([[2, [3]]])))],
    ['crit empty', mutate(sign1, (m) => (m[0] = prot(new Map<CborValue, CborValue>([[1, -7], [2, []]]))))],
    ['crit names an absent label', mutate(sign1, (m) => (m[0] = prot(new Map<CborValue, CborValue>([[1, -7], [2, [99]]]))))],
    ['alg missing', mutate(sign1, (m) => (m[0] = new Uint8Array(0)))],
    ['kid not bstr', mutate(sign1, (m) => (m[1] = new Map([[4, 'text']])))],
    ['payload a text', mutate(sign1, (m) => (m[2] = 'text'))],
    ['signature nil', mutate(sign1, (m) => (m[3] = null))],
    ['detached without payload', mutate(sign1, (m) => (m[2] = null))],
    ['not an array', encodeCbor(new CborTag(18, new Map()))],
  ];
  for (const [name, m] of bad) await assert.rejects(verifySign1(m, pub), code('ERR_COSE_MALFORMED'), name);
  await assert.rejects(verifySign1(encodeCbor((decodeCbor(sign1) as CborTag).value), pub, { tag: 'required' }), code('ERR_COSE_MALFORMED'));
  await assert.rejects(verifySign1(sign1, pub, { tag: 'forbidden' }), code('ERR_COSE_MALFORMED'));
  await assert.rejects(verifySign1(sign1, pub, { detachedPayload: payload }), code('ERR_COSE_MALFORMED'));
});

test('crit: a critical header that is not understood is ERR_COSE_HEADER_UNSUPPORTED (RFC 9052 §3.1)', async () => {
  const m = await createSign1({ payload, key: es256, protectedHeaders: new Map<CborValue, CborValue>([[2, ['reserved']], ['reserved', false]]) as never });
  await assert.rejects(verifySign1(m, pub), code('ERR_COSE_HEADER_UNSUPPORTED'));
  assert.deepEqual((await verifySign1(m, pub, { understoodHeaders: ['reserved'] })).payload, payload);
});

test('Sign: a bad signature among signers, no matching key, requireAll', async () => {
  const k2 = { ...(await webCryptoProvider.generateKeyPair('Ed25519')), kid: enc.encode('2') };
  const k1 = { ...es256, kid: enc.encode('1') };
  const m = await createSign({ payload, signers: [{ key: k1 }, { key: k2 }] });
  const broken = mutate(m, (x) => ((x[3] as CborValue[][])[0]![2] = flip((x[3] as CborValue[][])[0]![2]!)));
  await assert.rejects(verifySign(broken, publicCoseKey(k1)), code('ERR_COSE_SIGNATURE_INVALID'));
  assert.ok((await verifySign(broken, publicCoseKey(k2))).signers[1]!.verified);
  await assert.rejects(verifySign(broken, publicCoseKey(k2), { requireAll: true }), code('ERR_COSE_SIGNATURE_INVALID'));
  await assert.rejects(verifySign(m, publicCoseKey(p384)), code('ERR_COSE_NO_KEY'));
  await assert.rejects(verifySign(mutate(m, (x) => (x[3] = [])), publicCoseKey(k1)), code('ERR_COSE_MALFORMED'));
});

test('Mac0: flipped tag, payload or protected header, wrong key: ERR_COSE_MAC_INVALID', async () => {
  const m = await createMac0({ payload, key: sym32, protectedHeaders: new Map([[COSE_HEADER.contentType, 0]]) });
  for (const i of [0, 2, 3]) await assert.rejects(verifyMac0(mutate(m, (x) => (x[i] = flip(x[i]!))), sym32), code('ERR_COSE_MAC_INVALID'), `element ${i}`);
  await assert.rejects(verifyMac0(m, { ...sym32, k: new Uint8Array(32) }), code('ERR_COSE_MAC_INVALID'));
  await assert.rejects(verifyMac0(m, pub), code('ERR_COSE_KEY_MISMATCH'));
});

test('Encrypt0: flipped ciphertext, IV or protected header, wrong key: ERR_COSE_DECRYPT_FAILED', async () => {
  for (const alg of [1, 3, 24]) {
    const key = alg === 1 ? sym16 : sym32;
    const m = await createEncrypt0({ plaintext: payload, key, alg, protectedHeaders: new Map([[COSE_HEADER.contentType, 0]]) });
    await assert.rejects(decryptEncrypt0(mutate(m, (x) => (x[2] = flip(x[2]!, 0))), key), code('ERR_COSE_DECRYPT_FAILED'));
    await assert.rejects(decryptEncrypt0(mutate(m, (x) => (x[0] = flip(x[0]!))), key), code('ERR_COSE_DECRYPT_FAILED'));
    await assert.rejects(decryptEncrypt0(mutate(m, (x) => (x[1] = new Map([[5, flip((x[1] as Map<CborValue, CborValue>).get(5)!)], [4, enc.encode('k')]]))), key), code('ERR_COSE_DECRYPT_FAILED'));
    await assert.rejects(decryptEncrypt0(m, { ...key, k: new Uint8Array(key.k!.length) }), code('ERR_COSE_DECRYPT_FAILED'));
    await assert.rejects(decryptEncrypt0(m, sym16.k!.length === key.k!.length ? sym32 : sym16), code('ERR_COSE_DECRYPT_FAILED'));
    await assert.rejects(decryptEncrypt0(mutate(m, (x) => (x[1] = new Map([[5, new Uint8Array(3)]]))), key), code('ERR_COSE_MALFORMED'));
  }
});

test('A128CTR refuses protected headers and external AAD it could not authenticate (RFC 9459 §4)', async () => {
  await assert.rejects(createEncrypt0({ plaintext: payload, key: sym16, alg: -65534, protectedHeaders: new Map([[3, 0]]) }), code('ERR_COSE_MALFORMED'));
  await assert.rejects(createEncrypt0({ plaintext: payload, key: sym16, alg: -65534, externalAad: payload }), code('ERR_COSE_MALFORMED'));
});

test('Encrypt: flipped wrapped CEK, wrong KEK, bad or foreign epk, no matching recipient', async () => {
  const kw = await createEncrypt({ plaintext: payload, alg: 1, recipients: [{ alg: -3, key: sym16 }] });
  const rcpt = (x: CborValue[]) => (x[3] as CborValue[][])[0]!;
  await assert.rejects(decryptEncrypt(mutate(kw, (x) => (rcpt(x)[2] = flip(rcpt(x)[2]!))), sym16), code('ERR_COSE_DECRYPT_FAILED'));
  await assert.rejects(decryptEncrypt(kw, { ...sym16, k: new Uint8Array(16) }), code('ERR_COSE_DECRYPT_FAILED'));
  await assert.rejects(decryptEncrypt(kw, { ...sym16, kid: enc.encode('other') }), code('ERR_COSE_NO_KEY'));
  await assert.rejects(decryptEncrypt(mutate(kw, (x) => (rcpt(x)[0] = prot(new Map([[3, 0]])))), sym16), code('ERR_COSE_MALFORMED'));
  const ec = await webCryptoProvider.generateKeyPair('P-256');
  const ecdh = await createEncrypt({ plaintext: payload, alg: 1, recipients: [{ alg: -29, key: publicCoseKey(ec) }] });
  await assert.rejects(decryptEncrypt(ecdh, await webCryptoProvider.generateKeyPair('P-256')), code('ERR_COSE_DECRYPT_FAILED'));
  await assert.rejects(decryptEncrypt(ecdh, publicCoseKey(ec)), code('ERR_COSE_KEY_MISMATCH'));
  const setEpk = (v: CborValue) => mutate(ecdh, (x) => (rcpt(x)[1] = new Map([[-1, v]])));
  await assert.rejects(decryptEncrypt(setEpk(new Map()), ec), code('ERR_COSE_MALFORMED'));
  const x25519 = await webCryptoProvider.generateKeyPair('X25519');
  await assert.rejects(decryptEncrypt(setEpk(new Map<CborValue, CborValue>([[1, 1], [-1, 4], [-2, x25519.x!]])), ec), code('ERR_COSE_DECRYPT_FAILED'));
  // a point that is not on the curve
  await assert.rejects(decryptEncrypt(setEpk(new Map<CborValue, CborValue>([[1, 2], [-1, 1], [-2, new Uint8Array(32).fill(1)], [-3, new Uint8Array(32).fill(2)]])), ec), code('ERR_COSE_DECRYPT_FAILED'));
  await assert.rejects(decryptEncrypt(mutate(ecdh, (x) => (rcpt(x)[1] = new Map())), ec), code('ERR_COSE_MALFORMED'));
});

test('Mac: flipped tag or payload, wrong key: ERR_COSE_MAC_INVALID; wrapped key flipped: ERR_COSE_DECRYPT_FAILED', async () => {
  const m = await createMac({ payload, recipients: [{ alg: -3, key: sym16 }] });
  for (const i of [2, 3]) await assert.rejects(verifyMac(mutate(m, (x) => (x[i] = flip(x[i]!))), sym16), code('ERR_COSE_MAC_INVALID'), `element ${i}`);
  const d = await createMac({ payload, recipients: [{ alg: -6, key: sym32 }] });
  await assert.rejects(verifyMac(d, { ...sym32, k: new Uint8Array(32) }), code('ERR_COSE_MAC_INVALID'));
  const rcpt = (x: CborValue[]) => (x[4] as CborValue[][])[0]!;
  await assert.rejects(verifyMac(mutate(m, (x) => (rcpt(x)[2] = flip(rcpt(x)[2]!))), sym16), code('ERR_COSE_DECRYPT_FAILED'));
  await assert.rejects(verifyMac(mutate(m, (x) => (x[4] = [])), sym16), code('ERR_COSE_MALFORMED'));
});
