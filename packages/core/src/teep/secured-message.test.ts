import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readVectorHex } from '../test-support/vectors.js';
import { webCryptoProvider } from '../cose/webcrypto-provider.js';
import { publicCoseKey } from '../cose/key.js';
import { createSign1 } from '../cose/sign1.js';
import { createSign } from '../cose/sign.js';
import { encodeCbor } from '../wire/cbor.js';
import { CborTag } from '../wire/cbor-value.js';
import { openTeepMessage, verifyTeepMessage } from './secured-message.js';

const QR = readVectorHex('teep', 'query_request.hex');

test('COSE_Sign1 (tagged and untagged) and COSE_Sign around a QueryRequest open and verify', async () => {
  const es = await webCryptoProvider.generateKeyPair('P-256');
  const ed = await webCryptoProvider.generateKeyPair('Ed25519');
  const sign1 = await createSign1({ payload: QR, key: es, alg: -9 });
  const untagged = await createSign1({ payload: QR, key: ed, alg: -19, tagged: false });
  const sign = await createSign({ payload: QR, signers: [{ key: es, alg: -9 }, { key: ed, alg: -19 }] });

  assert.equal(openTeepMessage(sign1).wrapper, 'COSE_Sign1');
  assert.equal(openTeepMessage(sign1).tagged, true);
  assert.equal(openTeepMessage(untagged).tagged, false);
  const o = openTeepMessage(sign);
  assert.equal(o.wrapper, 'COSE_Sign');
  assert.equal(o.signers?.length, 2);
  assert.deepEqual(o.payload, QR);
  assert.equal(openTeepMessage(QR).wrapper, 'none');

  assert.equal((await verifyTeepMessage(sign1, publicCoseKey(es))).message.type, 'query-request');
  assert.equal((await verifyTeepMessage(untagged, publicCoseKey(ed))).message.type, 'query-request');
  assert.equal((await verifyTeepMessage(sign, publicCoseKey(ed))).wrapper, 'COSE_Sign');
});

test('bad signature, wrong key, bare message, detached payload, foreign tag', async () => {
  const es = await webCryptoProvider.generateKeyPair('P-256');
  const other = await webCryptoProvider.generateKeyPair('P-256');
  const sign1 = await createSign1({ payload: QR, key: es, alg: -9 });
  const bad = sign1.slice();
  bad[bad.length - 1] ^= 0x01;
  await assert.rejects(verifyTeepMessage(bad, publicCoseKey(es)), { code: 'ERR_COSE_SIGNATURE_INVALID' });
  await assert.rejects(verifyTeepMessage(sign1, publicCoseKey(other)), { code: 'ERR_COSE_SIGNATURE_INVALID' });
  await assert.rejects(verifyTeepMessage(QR, publicCoseKey(es)), { code: 'ERR_TEEP_MALFORMED_MESSAGE' });
  const detached = await createSign1({ payload: QR, key: es, alg: -9, detached: true });
  assert.throws(() => openTeepMessage(detached), { code: 'ERR_TEEP_MALFORMED_MESSAGE' });
  assert.throws(() => openTeepMessage(encodeCbor(new CborTag(17, []))), { code: 'ERR_TEEP_MALFORMED_MESSAGE' });
  assert.throws(() => openTeepMessage(new Uint8Array([0x9f])), { code: 'ERR_TEEP_MALFORMED_MESSAGE' });
  // a signed payload that is not a valid TEEP message fails after the signature check
  const junk = await createSign1({ payload: encodeCbor([1, new Map()]), key: es, alg: -9 });
  await assert.rejects(verifyTeepMessage(junk, publicCoseKey(es)), { code: 'ERR_TEEP_MISSING_FIELD' });
});
