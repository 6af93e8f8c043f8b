import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { coseKeyToPem, encodeCoseKey, webCryptoProvider, coseKeyToJwk } from '@otrp/core';
import { readKeyFile, readPublicKeyFile } from './key-file.js';

test('readKeyFile reads PEM, JWK and COSE_Key files; readPublicKeyFile gives the public part', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'otrp-key-'));
  try {
    const key = await webCryptoProvider.generateKeyPair('P-256');
    writeFileSync(join(dir, 'k.pem'), await coseKeyToPem(key));
    writeFileSync(join(dir, 'k.jwk'), JSON.stringify(coseKeyToJwk(key)));
    writeFileSync(join(dir, 'k.cbor'), encodeCoseKey(key));
    for (const [f, format] of [['k.pem', 'pem'], ['k.jwk', 'jwk'], ['k.cbor', 'cose-key']] as const) {
      const k = await readKeyFile(join(dir, f));
      assert.equal(k.format, format);
      assert.deepEqual(k.key.d, key.d);
    }
    const pub = await readPublicKeyFile(join(dir, 'k.pem'));
    assert.equal(pub.d, undefined);
    assert.deepEqual(pub.x, key.x);
    await assert.rejects(readKeyFile(join(dir, 'missing')), { code: 'ERR_FILE_READ' });
    writeFileSync(join(dir, 'bad'), 'not a key');
    await assert.rejects(readKeyFile(join(dir, 'bad')), { code: 'ERR_COSE_KEY_INVALID' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
