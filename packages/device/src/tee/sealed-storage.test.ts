import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rename, rm, stat, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SealedStorage, createDeviceSecret, deriveSealingKey, sealBytes, unsealBytes, DEVICE_SECRET_FILE } from './sealed-storage.js';

async function freshTee(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'otrp-sealed-'));
  const tee = join(dir, 'tee');
  await createDeviceSecret(tee);
  return tee;
}

test('round trip: what is written is read back, and the file does not hold the plaintext', async (t) => {
  const tee = await freshTee();
  t.after(() => rm(join(tee, '..'), { recursive: true, force: true }));
  const s = await SealedStorage.open(tee);
  const data = new TextEncoder().encode('a trusted application image, very recognisable');
  await s.write('tc-index', data);
  assert.deepEqual(await s.read('tc-index'), data);
  const onDisk = await readFile(s.pathOf('tc-index'));
  assert.equal(onDisk.includes(Buffer.from('recognisable')), false);
  assert.equal(await s.read('absent'), undefined);
  assert.deepEqual(await s.list('tc-'), ['tc-index']);
  // Reopened storage (same device secret) reads it too.
  assert.deepEqual(await (await SealedStorage.open(tee)).read('tc-index'), data);
});

test('device secret and sealed files are private (0600) and the secret is never overwritten', async (t) => {
  const tee = await freshTee();
  t.after(() => rm(join(tee, '..'), { recursive: true, force: true }));
  assert.equal((await stat(join(tee, DEVICE_SECRET_FILE))).mode & 0o777, 0o600);
  assert.equal((await stat(tee)).mode & 0o777, 0o700);
  const s = await SealedStorage.open(tee);
  await s.write('keys', new Uint8Array([1, 2, 3]));
  assert.equal((await stat(s.pathOf('keys'))).mode & 0o777, 0o600);
  await assert.rejects(createDeviceSecret(tee), { code: 'ERR_TEE_DEVICE_SECRET' });
});

test('tampered ciphertext is refused with ERR_TEE_UNSEAL_FAILED', async (t) => {
  const tee = await freshTee();
  t.after(() => rm(join(tee, '..'), { recursive: true, force: true }));
  const s = await SealedStorage.open(tee);
  await s.write('keys', new Uint8Array(64).fill(7));
  const bytes = await readFile(s.pathOf('keys'));
  for (const at of [20, bytes.length - 1]) {
    const bad = Buffer.from(bytes);
    bad[at]! ^= 0x01;
    await writeFile(s.pathOf('keys'), bad);
    await assert.rejects(s.read('keys'), { code: 'ERR_TEE_UNSEAL_FAILED' });
  }
  await writeFile(s.pathOf('keys'), bytes.subarray(0, 20));
  await assert.rejects(s.read('keys'), { code: 'ERR_TEE_UNSEAL_FAILED' });
});

test('a sealed file moved under another name is refused (the name is authenticated)', async (t) => {
  const tee = await freshTee();
  t.after(() => rm(join(tee, '..'), { recursive: true, force: true }));
  const s = await SealedStorage.open(tee);
  await s.write('tc-index', new Uint8Array([1]));
  await s.write('tc-index-old', new Uint8Array([2]));
  await rename(s.pathOf('tc-index-old'), s.pathOf('tc-index'));
  await assert.rejects(s.read('tc-index'), { code: 'ERR_TEE_UNSEAL_FAILED' });
});

test("another device's key cannot open the file", async (t) => {
  const a = await freshTee();
  const b = await freshTee();
  t.after(() => Promise.all([a, b].map((d) => rm(join(d, '..'), { recursive: true, force: true }))));
  const sa = await SealedStorage.open(a);
  const sb = await SealedStorage.open(b);
  await sa.write('keys', new Uint8Array([9, 9, 9]));
  await copyFile(sa.pathOf('keys'), sb.pathOf('keys'));
  await assert.rejects(sb.read('keys'), { code: 'ERR_TEE_UNSEAL_FAILED' });
  const wrongKey = deriveSealingKey(new Uint8Array(32).fill(1));
  assert.throws(() => unsealBytes(wrongKey, 'keys', new Uint8Array(sealBytes(deriveSealingKey(new Uint8Array(32)), 'keys', new Uint8Array([1])))), { code: 'ERR_TEE_UNSEAL_FAILED' });
});

test('header checks: foreign bytes, unknown version, bad names, missing secret', async (t) => {
  const tee = await freshTee();
  t.after(() => rm(join(tee, '..'), { recursive: true, force: true }));
  const key = deriveSealingKey(new Uint8Array(32));
  const sealed = sealBytes(key, 'x', new Uint8Array([1]));
  assert.deepEqual(unsealBytes(key, 'x', sealed), new Uint8Array([1]));
  const v2 = sealed.slice();
  v2[4] = 2;
  assert.throws(() => unsealBytes(key, 'x', v2), { code: 'ERR_TEE_SEALED_FORMAT' });
  assert.throws(() => unsealBytes(key, 'x', new TextEncoder().encode('plain text file')), { code: 'ERR_TEE_SEALED_FORMAT' });
  for (const name of ['', '../x', 'A', '.hidden', 'a/b', 'x'.repeat(129)]) {
    assert.throws(() => sealBytes(key, name, new Uint8Array()), { code: 'ERR_TEE_SEALED_NAME' });
  }
  assert.throws(() => deriveSealingKey(new Uint8Array(16)), { code: 'ERR_TEE_DEVICE_SECRET' });
  await rm(join(tee, DEVICE_SECRET_FILE));
  await assert.rejects(SealedStorage.open(tee), { code: 'ERR_TEE_DEVICE_SECRET' });
});
