/** create -> verify/decrypt round trips for every supported algorithm and structure. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COSE_ALG, COSE_ALGORITHMS, type CoseCurve } from './algorithms.js';
import { webCryptoProvider } from './webcrypto-provider.js';
import { createNodeCryptoProvider } from './node-crypto-provider.js';
import { countingCryptoProvider } from './counting-crypto-provider.js';
import type { CryptoProvider } from './crypto-provider.js';
import { publicCoseKey, type CoseKey } from './key.js';
import { createSign1, verifySign1, decodeSign1, decodeSign1Item, verifyDecodedSign1 } from './sign1.js';
import { createSign, verifySign, decodeSign, decodeSignItem, verifyDecodedSign } from './sign.js';
import { decodeCbor, encodeCbor } from '../wire/cbor.js';
import { CborTag } from '../wire/cbor-value.js';
import { createMac0, verifyMac0 } from './mac0.js';
import { createMac, verifyMac } from './mac.js';
import { createEncrypt0, decryptEncrypt0, decodeEncrypt0 } from './encrypt0.js';
import { createEncrypt, decryptEncrypt } from './encrypt.js';
import { COSE_HEADER } from './headers.js';
import { encodeX5chain, encodeX5t, matchesX5t } from './x5.js';
import { bytesEqual } from './bytes.js';

const enc = new TextEncoder();
const payload = enc.encode('This is the content.');
const aad = enc.encode('external');
const nodeProvider = createNodeCryptoProvider(await import('node:crypto'));
const PROVIDERS: [string, CryptoProvider][] = [['webcrypto', webCryptoProvider], ['node', nodeProvider]];
const sym = (n: number, kid = 'sym'): CoseKey => ({ kty: 'Symmetric', k: webCryptoProvider.randomBytes(n), kid: enc.encode(kid) });
const SIGN_ALGS = COSE_ALGORITHMS.filter((a) => a.kind === 'sign');
const CONTENT_ALGS = COSE_ALGORITHMS.filter((a) => a.kind === 'content');

test('sign algorithms in the table: ES256 ESP256 ES384 EdDSA Ed25519', () => {
  assert.deepEqual(SIGN_ALGS.map((a) => a.name), ['ES256', 'ESP256', 'ES384', 'EdDSA', 'Ed25519']);
});

for (const [pname, provider] of PROVIDERS) {
  for (const alg of SIGN_ALGS) {
    test(`COSE_Sign1 ${alg.name} (${pname}): attached, detached + AAD, untagged`, async () => {
      const key = { ...(await provider.generateKeyPair(alg.curves[0]!)), kid: enc.encode('signer') };
      const pub = publicCoseKey(key);
      const m = await createSign1({ payload, key, alg: alg.id, provider });
      const r = await verifySign1(m, pub, { provider });
      assert.deepEqual(r.payload, payload);
      assert.equal(r.alg.id, alg.id);
      assert.deepEqual(r.kid, enc.encode('signer'));
      const d = await createSign1({ payload, key, alg: alg.id, provider, detached: true, externalAad: aad, tagged: false });
      assert.equal(decodeSign1(d).payload, null);
      const rd = await verifySign1(d, pub, { provider, detachedPayload: payload, externalAad: aad, tag: 'forbidden' });
      assert.ok(rd.detached);
      // the other provider verifies too (interop)
      const other = provider === webCryptoProvider ? nodeProvider : webCryptoProvider;
      await verifySign1(m, pub, { provider: other });
    });
  }
}

test('COSE_Sign with three signers (ES256, ES384, EdDSA), each verifiable alone and all together', async () => {
  const keys = await Promise.all((['P-256', 'P-384', 'Ed25519'] as CoseCurve[]).map(async (c, i) => ({ ...(await webCryptoProvider.generateKeyPair(c)), kid: enc.encode(`k${i}`) })));
  const m = await createSign({ payload, signers: keys.map((key) => ({ key })), externalAad: aad, protectedHeaders: new Map([[COSE_HEADER.contentType, 0]]) });
  for (const k of keys) {
    const r = await verifySign(m, publicCoseKey(k), { externalAad: aad });
    assert.deepEqual(r.payload, payload);
    assert.equal(r.signers.filter((s) => s.verified).length, 1);
  }
  const all = await verifySign(m, (h) => publicCoseKey(keys.find((k) => bytesEqual(k.kid, h.unprotected.get(COSE_HEADER.kid) as Uint8Array))!), { externalAad: aad, requireAll: true });
  assert.deepEqual(all.signers.map((s) => s.alg?.name), ['ES256', 'ES384', 'EdDSA']);
  assert.equal(all.headers.protected.get(COSE_HEADER.contentType), 0);
});

test('COSE_Sign1 with x5chain (one cert bare, several as array) round-trips the header', async () => {
  const key = await webCryptoProvider.generateKeyPair('P-256');
  const certs = [enc.encode('leaf-der'), enc.encode('ca-der')];
  for (const chain of [certs.slice(0, 1), certs]) {
    const m = await createSign1({ payload, key, protectedHeaders: new Map([[COSE_HEADER.x5chain, encodeX5chain(chain)]]) });
    const r = await verifySign1(m, publicCoseKey(key));
    assert.deepEqual(r.x5chain, chain);
    assert.equal(r.headers.protected.get(COSE_HEADER.x5chain) instanceof Uint8Array, chain.length === 1);
  }
});

test('x5t (RFC 9360 §2): SHA-256 COSE_CertHash matches only its certificate', async () => {
  const cert = enc.encode('certificate-der');
  const x5t = await encodeX5t(cert);
  assert.equal((x5t as [number, Uint8Array])[0], -16);
  const key = await webCryptoProvider.generateKeyPair('Ed25519');
  const m = await createSign1({ payload, key, unprotectedHeaders: new Map([[COSE_HEADER.x5t, x5t]]) });
  const r = await verifySign1(m, publicCoseKey(key));
  assert.ok(await matchesX5t(r.headers.unprotected.get(COSE_HEADER.x5t)!, cert));
  assert.ok(!(await matchesX5t(x5t, enc.encode('other'))));
  await assert.rejects(matchesX5t([-99, new Uint8Array(32)], cert), { code: 'ERR_COSE_UNSUPPORTED_ALG' });
  await assert.rejects(matchesX5t('x', cert), { code: 'ERR_COSE_MALFORMED' });
  const bad = await createSign1({ payload, key, protectedHeaders: new Map([[COSE_HEADER.x5chain, [1]]]) });
  await assert.rejects(verifySign1(bad, publicCoseKey(key)), { code: 'ERR_COSE_MALFORMED' });
});

test('COSE_Mac0 HMAC 256/256: attached, detached + AAD', async () => {
  const key = sym(32);
  const m = await createMac0({ payload, key });
  assert.deepEqual((await verifyMac0(m, key)).payload, payload);
  const d = await createMac0({ payload, key, detached: true, externalAad: aad });
  assert.equal((await verifyMac0(d, key, { detachedPayload: payload, externalAad: aad })).alg.id, COSE_ALG['HMAC 256/256']);
});

test('COSE_Mac with recipients: direct, A128KW, ECDH-ES+A128KW, ECDH-ES+HKDF-256', async () => {
  const direct = sym(32, 'd');
  const m = await createMac({ payload, recipients: [{ alg: COSE_ALG.direct, key: direct }], externalAad: aad });
  assert.deepEqual((await verifyMac(m, direct, { externalAad: aad })).payload, payload);
  const kw = sym(16, 'kw');
  const ec = { ...(await webCryptoProvider.generateKeyPair('P-256')), kid: enc.encode('ec') };
  const two = await createMac({ payload, detached: true, recipients: [{ alg: COSE_ALG.A128KW, key: kw }, { alg: COSE_ALG['ECDH-ES+A128KW'], key: publicCoseKey(ec) }] });
  assert.equal((await verifyMac(two, kw, { detachedPayload: payload })).recipient.index, 0);
  assert.equal((await verifyMac(two, ec, { detachedPayload: payload })).recipient.index, 1);
  const x = await webCryptoProvider.generateKeyPair('X25519');
  const agreed = await createMac({ payload, recipients: [{ alg: COSE_ALG['ECDH-ES+HKDF-256'], key: publicCoseKey(x) }] });
  assert.equal((await verifyMac(agreed, x)).alg.name, 'HMAC 256/256');
});

for (const alg of CONTENT_ALGS) {
  test(`COSE_Encrypt0 ${alg.name}: attached, detached${alg.aead ? ' + AAD' : ''}`, async () => {
    const key = sym(alg.keyLength);
    const m = await createEncrypt0({ plaintext: payload, key, alg: alg.id });
    assert.deepEqual((await decryptEncrypt0(m, key)).plaintext, payload);
    const extra = alg.aead ? { externalAad: aad } : {};
    const iv = webCryptoProvider.randomBytes(alg.ivLength);
    const d = await createEncrypt0({ plaintext: payload, key, alg: alg.id, iv, detached: true, ...extra });
    assert.equal(decodeEncrypt0(d).ciphertext, null);
    const detachedCiphertext = decodeEncrypt0(await createEncrypt0({ plaintext: payload, key, alg: alg.id, iv, ...extra })).ciphertext as Uint8Array;
    assert.deepEqual((await decryptEncrypt0(d, key, { detachedCiphertext, ...extra })).plaintext, payload);
  });
}

const RECIPIENTS: { name: string; alg: number; curve?: CoseCurve; kek?: number }[] = [
  { name: 'A128KW', alg: COSE_ALG.A128KW, kek: 16 },
  { name: 'A256KW', alg: COSE_ALG.A256KW, kek: 32 },
  { name: 'ECDH-ES+A128KW P-256', alg: COSE_ALG['ECDH-ES+A128KW'], curve: 'P-256' },
  { name: 'ECDH-ES+A128KW P-384', alg: COSE_ALG['ECDH-ES+A128KW'], curve: 'P-384' },
  { name: 'ECDH-ES+A128KW X25519', alg: COSE_ALG['ECDH-ES+A128KW'], curve: 'X25519' },
  { name: 'ECDH-ES+HKDF-256 X25519', alg: COSE_ALG['ECDH-ES+HKDF-256'], curve: 'X25519' },
];

for (const [pname, provider] of PROVIDERS) {
  for (const content of CONTENT_ALGS) {
    for (const r of RECIPIENTS) {
      test(`COSE_Encrypt ${content.name} / ${r.name} (${pname})`, async () => {
        const key = r.curve ? { ...(await provider.generateKeyPair(r.curve)), kid: enc.encode('rcpt') } : sym(r.kek!);
        const sendKey = r.curve ? publicCoseKey(key) : key;
        const kdf = { suppPubOther: 'SUIT Payload Encryption' };
        const m = await createEncrypt({ plaintext: payload, alg: content.id, recipients: [{ alg: r.alg, key: sendKey, kdf }], provider });
        const out = await decryptEncrypt(m, key, { kdf, provider });
        assert.deepEqual(out.plaintext, payload);
        assert.equal(out.recipient.alg.id, r.alg);
        // Without the same KDF context the derived key differs: AES-KW or the AEAD notices; with
        // direct agreement and A128CTR nothing can, and the output is garbage.
        if (r.curve) {
          const res = await decryptEncrypt(m, key, { provider }).then((x) => x.plaintext, (e: { code: string }) => e.code);
          if (content.aead || r.alg === COSE_ALG['ECDH-ES+A128KW']) assert.equal(res, 'ERR_COSE_DECRYPT_FAILED');
          else assert.notDeepEqual(res, payload);
        }
      });
    }
  }
}

test('COSE_Encrypt direct recipient, and two recipients (A128KW + ECDH-ES+A128KW) each decrypt', async () => {
  const direct = sym(16, 'direct');
  const m = await createEncrypt({ plaintext: payload, alg: COSE_ALG.A128GCM, recipients: [{ alg: COSE_ALG.direct, key: direct }], externalAad: aad });
  assert.deepEqual((await decryptEncrypt(m, direct, { externalAad: aad })).plaintext, payload);
  const kw = sym(16, 'kw');
  const ec = { ...(await webCryptoProvider.generateKeyPair('P-256')), kid: enc.encode('ec') };
  const two = await createEncrypt({ plaintext: payload, alg: COSE_ALG.A256GCM, recipients: [{ alg: COSE_ALG.A128KW, key: kw }, { alg: COSE_ALG['ECDH-ES+A128KW'], key: publicCoseKey(ec) }] });
  assert.equal((await decryptEncrypt(two, kw)).recipient.index, 0);
  assert.equal((await decryptEncrypt(two, ec)).recipient.index, 1);
  await assert.rejects(createEncrypt({ plaintext: payload, alg: 1, recipients: [{ alg: COSE_ALG.direct, key: direct }, { alg: COSE_ALG.A128KW, key: kw }] }), { code: 'ERR_COSE_MALFORMED' });
});

test('countingCryptoProvider counts public-key operations by kind and algorithm', async () => {
  const counting = countingCryptoProvider(nodeProvider);
  const key = await counting.generateKeyPair('P-256');
  const m = await createSign1({ payload, key, provider: counting });
  await verifySign1(m, publicCoseKey(key), { provider: counting });
  await verifySign1(m, publicCoseKey(key), { provider: counting });
  const rcpt = await webCryptoProvider.generateKeyPair('X25519');
  const e = await createEncrypt({ plaintext: payload, alg: 24, recipients: [{ alg: -29, key: publicCoseKey(rcpt) }], provider: counting });
  await decryptEncrypt(e, rcpt, { provider: counting });
  assert.deepEqual(counting.counts(), { 'keygen P-256': 1, 'sign ES256': 1, 'verify ES256': 2, 'keygen X25519': 1, 'ecdh X25519': 2 });
  assert.equal(counting.total('verify'), 2);
  // node:crypto computes inside the call: every counted label has spent time there.
  const micros = counting.micros();
  assert.deepEqual(Object.keys(micros).sort(), Object.keys(counting.counts()).sort());
  for (const [label, us] of Object.entries(micros)) assert.ok(us > 0, `${label}: ${us} µs`);
  counting.reset();
  assert.deepEqual(counting.counts(), {});
  assert.deepEqual(counting.micros(), {});
});

test('decoded once: decodeSign1Item / decodeSignItem match decodeSign1 / decodeSign, and verifying what they return checks the signature', async () => {
  const key = await nodeProvider.generateKeyPair('P-256');
  const other = await nodeProvider.generateKeyPair('P-256');
  const o = { provider: nodeProvider };
  const sign1 = await createSign1({ payload, key, ...o });
  const sign = await createSign({ payload, signers: [{ key }], ...o });
  const item1 = decodeSign1Item(decodeCbor(sign1));
  const itemN = decodeSignItem(decodeCbor(sign));
  assert.deepEqual(item1, decodeSign1(sign1));
  assert.deepEqual(itemN, decodeSign(sign));
  assert.deepEqual(await verifyDecodedSign1(item1, publicCoseKey(key), o), await verifySign1(sign1, publicCoseKey(key), o));
  assert.deepEqual(await verifyDecodedSign(itemN, publicCoseKey(key), o), await verifySign(sign, publicCoseKey(key), o));
  await assert.rejects(verifyDecodedSign1(item1, publicCoseKey(other), o), { code: 'ERR_COSE_SIGNATURE_INVALID' });
  await assert.rejects(verifyDecodedSign(itemN, publicCoseKey(other), o), { code: 'ERR_COSE_SIGNATURE_INVALID' });
  const bad = sign1.slice();
  bad[bad.length - 1]! ^= 0x01;
  await assert.rejects(verifyDecodedSign1(decodeSign1Item(decodeCbor(bad)), publicCoseKey(key), o), { code: 'ERR_COSE_SIGNATURE_INVALID' });
  // The shape checks of decodeSign1 / decodeSign apply to an item as to bytes.
  assert.throws(() => decodeSign1Item(new CborTag(98, [])), { code: 'ERR_COSE_MALFORMED' });
  assert.throws(() => decodeSign1Item(decodeCbor(sign1), { tag: 'forbidden' }), { code: 'ERR_COSE_MALFORMED' });
  assert.throws(() => decodeSignItem(decodeCbor(encodeCbor([new Uint8Array(0), new Map(), payload, []]))), { code: 'ERR_COSE_MALFORMED' });
});
