/** COSE_Key, JWK, PEM/DER conversions, the RFC 9679 thumbprint and the key-file loader. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { readVectorHex, readVectorText } from '../test-support/vectors.js';
import { encodeCbor } from '../wire/cbor.js';
import type { CoseCurve } from './algorithms.js';
import { webCryptoProvider } from './webcrypto-provider.js';
import { decodeCoseKey, encodeCoseKey, publicCoseKey, type CoseKey } from './key.js';
import { coseKeyFromJwk, coseKeyToJwk } from './key-jwk.js';
import { coseKeyFromCertificate, coseKeyFromPkcs8, coseKeyFromSpki, coseKeyToPem, coseKeyToSpki, formatPem, parsePem } from './key-pem.js';
import { coseKeyThumbprint, thumbprintInput } from './thumbprint.js';
import { parseKeyFile } from './key-file.js';
import { fromHex } from './bytes.js';

const CURVES: CoseCurve[] = ['P-256', 'P-384', 'Ed25519', 'X25519'];
const enc = new TextEncoder();
const hex = (s: string) => fromHex(s)!;
const code = (c: string) => ({ code: c });

for (const crv of CURVES) {
  test(`${crv}: COSE_Key, JWK, SPKI/PKCS#8 PEM round trips (and node:crypto reads our PEM)`, async () => {
    const key: CoseKey = { ...(await webCryptoProvider.generateKeyPair(crv)), kid: enc.encode('kid-1'), alg: crv === 'X25519' ? -29 : -7 };
    assert.deepEqual(decodeCoseKey(encodeCoseKey(key)), key);
    const { alg: _alg, ...noAlg } = key;
    assert.deepEqual(coseKeyFromJwk(coseKeyToJwk(key)), noAlg);
    const privPem = await coseKeyToPem(key);
    const pubPem = await coseKeyToPem(key, { private: false });
    assert.match(privPem, /^-----BEGIN PRIVATE KEY-----\n/);
    assert.match(pubPem, /^-----BEGIN PUBLIC KEY-----\n/);
    const nodePriv = createPrivateKey(privPem).export({ format: 'jwk' });
    assert.equal(nodePriv.d, coseKeyToJwk(key).d);
    const { kid: _kid, ...bare } = noAlg; // PEM carries neither kid nor alg
    assert.deepEqual(coseKeyFromSpki(parsePem(pubPem)[0]!.der), publicCoseKey(bare));
    assert.deepEqual(await coseKeyFromPkcs8(parsePem(privPem)[0]!.der), bare);
    assert.deepEqual(new Uint8Array(createPublicKey(pubPem).export({ format: 'der', type: 'spki' })), coseKeyToSpki(key));
  });
}

test('symmetric COSE_Key and JWK round trip', () => {
  const k: CoseKey = { kty: 'Symmetric', k: hex('849b57219dae48de646d07dbb533566e'), kid: enc.encode('our-secret') };
  assert.deepEqual(decodeCoseKey(encodeCoseKey(k)), k);
  assert.deepEqual(coseKeyToJwk(k), { kty: 'oct', k: 'hJtXIZ2uSN5kbQfbtTNWbg', kid: 'our-secret' });
  assert.deepEqual(coseKeyFromJwk(coseKeyToJwk(k)), k);
});

test('COSE_Key decoding rejects bad keys with ERR_COSE_KEY_INVALID', () => {
  const bad: [string, Map<number, unknown>][] = [
    ['unknown kty', new Map([[1, 9]])],
    ['EC2 without y', new Map<number, unknown>([[1, 2], [-1, 1], [-2, new Uint8Array(32)]])],
    ['short x', new Map<number, unknown>([[1, 2], [-1, 1], [-2, new Uint8Array(31)], [-3, new Uint8Array(32)]])],
    ['compressed point', new Map<number, unknown>([[1, 2], [-1, 1], [-2, new Uint8Array(32)], [-3, true]])],
    ['Ed448', new Map<number, unknown>([[1, 1], [-1, 7], [-2, new Uint8Array(57)]])],
    ['OKP curve on EC2', new Map<number, unknown>([[1, 2], [-1, 6], [-2, new Uint8Array(32)]])],
    ['symmetric without k', new Map([[1, 4]])],
    ['kid not bytes', new Map<number, unknown>([[1, 4], [-1, new Uint8Array(16)], [2, 'text']])],
  ];
  for (const [name, m] of bad) assert.throws(() => decodeCoseKey(encodeCbor(m as never)), code('ERR_COSE_KEY_INVALID'), name);
  assert.throws(() => decodeCoseKey(new Uint8Array([0xff])), code('ERR_COSE_KEY_INVALID'));
  assert.throws(() => coseKeyFromJwk({ kty: 'RSA', n: 'AQAB' }), code('ERR_COSE_KEY_INVALID'));
  assert.throws(() => coseKeyFromJwk({ kty: 'oct', k: 'not base64url!' }), code('ERR_COSE_KEY_INVALID'));
  assert.throws(() => coseKeyFromSpki(new Uint8Array([0x30, 0x03, 0x02, 0x01])), code('ERR_COSE_KEY_INVALID'));
});

test('RFC 9679 §6 example thumbprint', async () => {
  // The example key of RFC 9679 §6 (RFC 9052's "meriadoc" P-256 key); members other than
  // kty/crv/x/y (kid, d) do not enter the thumbprint.
  const key: CoseKey = {
    kty: 'EC2',
    crv: 'P-256',
    x: hex('65eda5a12577c2bae829437fe338701a10aaa375e1bb5b5de108de439c08551d'),
    y: hex('1e52ed75701163f7f9e40ddf9f341b3dc9ba860af7e0ca7ca7e9eecd0084d19c'),
    kid: enc.encode('meriadoc.brandybuck@buckland.example'),
  };
  // Hand-built deterministic encoding: {1: 2, -1: 1, -2: x, -3: y} with keys in bytewise order.
  const expectedInput = hex(`a4010220012158 20${'65eda5a12577c2bae829437fe338701a10aaa375e1bb5b5de108de439c08551d'}225820${'1e52ed75701163f7f9e40ddf9f341b3dc9ba860af7e0ca7ca7e9eecd0084d19c'}`.replace(/ /g, ''));
  assert.deepEqual(thumbprintInput(key), expectedInput);
  assert.equal(Buffer.from(await coseKeyThumbprint(key)).toString('hex'), '496bd8afadf307e5b08c64b0421bf9dc01528a344a43bda88fadd1669da253ec');
  const withD = { ...key, d: hex('aff907c99f9ad3aae6c4cdf21122bce2bd68b5283e6907154ad911840fa208cf') };
  assert.deepEqual(await coseKeyThumbprint(withD), await coseKeyThumbprint(key));
});

test('parseKeyFile: the same key as PEM, JWK, COSE_Key hex, binary and EDN (vectors/suit/keys)', async () => {
  for (const name of ['suit-example-signer-p256', 'esdh-receiver-p256']) {
    const bytes = (f: string) => enc.encode(readVectorText('suit', 'keys', f));
    const privPem = await parseKeyFile(bytes(`${name}.priv.pem`));
    const privJwk = await parseKeyFile(bytes(`${name}.priv.jwk.json`));
    const privHex = await parseKeyFile(bytes(`${name}.priv.cose_key.hex`));
    const privBin = await parseKeyFile(readVectorHex('suit', 'keys', `${name}.priv.cose_key.hex`));
    const privEdn = await parseKeyFile(bytes(`${name}.priv.cose_key.diag`));
    const pubPem = await parseKeyFile(bytes(`${name}.pub.pem`));
    assert.deepEqual([privPem.format, privJwk.format, privHex.format, privBin.format, pubPem.format], ['pem', 'jwk', 'cose-key', 'cose-key', 'pem']);
    assert.deepEqual([privPem.kind, pubPem.kind], ['private', 'public']);
    assert.equal(privEdn.format, 'cose-key');
    for (const k of [privJwk, privHex, privBin, privEdn]) {
      assert.deepEqual(k.key.d, privPem.key.d);
      assert.deepEqual(k.key.x, privPem.key.x);
      assert.deepEqual(k.key.y, privPem.key.y);
    }
    assert.deepEqual(pubPem.key, privPem.publicKey);
  }
});

test('parseKeyFile: certificate chains (PEM and DER), SEC1, JWK Set, symmetric keys, errors', async () => {
  x509.cryptoProvider.set(globalThis.crypto);
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const caKeys = await crypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  const leafKeys = await crypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  const ca = await x509.X509CertificateGenerator.createSelfSigned({ serialNumber: '01', name: 'CN=ca', keys: caKeys, signingAlgorithm: alg });
  const leaf = await x509.X509CertificateGenerator.create({ serialNumber: '02', subject: 'CN=leaf', issuer: ca.subject, publicKey: leafKeys.publicKey, signingKey: caKeys.privateKey, signingAlgorithm: alg });
  const leafKey = coseKeyFromJwk(await crypto.subtle.exportKey('jwk', leafKeys.publicKey));
  const leafPriv = coseKeyFromJwk(await crypto.subtle.exportKey('jwk', leafKeys.privateKey));
  assert.deepEqual(coseKeyFromCertificate(new Uint8Array(leaf.rawData)), leafKey);

  const chainPem = leaf.toString('pem') + '\n' + ca.toString('pem');
  const chain = await parseKeyFile(enc.encode(chainPem));
  assert.equal(chain.kind, 'public');
  assert.deepEqual(chain.key, leafKey);
  assert.deepEqual(chain.certificates, [new Uint8Array(leaf.rawData), new Uint8Array(ca.rawData)]);
  const withKey = await parseKeyFile(enc.encode((await coseKeyToPem(leafPriv)) + chainPem));
  assert.equal(withKey.kind, 'private');
  assert.equal(withKey.certificates?.length, 2);
  const otherPriv = await webCryptoProvider.generateKeyPair('P-256');
  await assert.rejects(parseKeyFile(enc.encode((await coseKeyToPem(otherPriv)) + chainPem)), code('ERR_COSE_KEY_MISMATCH'));
  const der = await parseKeyFile(new Uint8Array(leaf.rawData));
  assert.deepEqual([der.format, der.key], ['der', leafKey]);
  assert.deepEqual((await parseKeyFile(coseKeyToSpki(leafKey))).key, leafKey);

  const sec1 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey;
  const fromSec1 = await parseKeyFile(enc.encode(sec1.export({ format: 'pem', type: 'sec1' }) as string));
  assert.equal(fromSec1.key.crv, 'P-384');
  assert.equal(coseKeyToJwk(fromSec1.key).d, sec1.export({ format: 'jwk' }).d);

  const set = await parseKeyFile(enc.encode(JSON.stringify({ keys: [{ kty: 'oct', k: 'YWFhYWFhYWFhYWFhYWFhYQ', alg: 'A128KW' }] })));
  assert.deepEqual([set.kind, set.alg], ['symmetric', -3]);
  const txt = readVectorText('suit', 'keys', 'aeskw-kek-a128kw.txt');
  assert.match(txt, /JWK: /);

  for (const bad of ['', 'hello', '{"kty":"EC"}', '-----BEGIN PUBLIC KEY-----\n!!\n-----END PUBLIC KEY-----', formatPem('CERTIFICATE', new Uint8Array([0x30, 0x00]))]) {
    await assert.rejects(parseKeyFile(enc.encode(bad)), (e: { code?: string }) => e.code === 'ERR_COSE_KEY_INVALID', JSON.stringify(bad));
  }
});
