import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseListen, parseTamConfig } from './config.js';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return 'no error';
};

test('parseTamConfig keeps every documented key and decodes reference values', () => {
  const c = parseTamConfig({
    listen: '0.0.0.0:9443',
    dataDir: 'd',
    db: 'postgres://u@h/db?schema=s',
    pkiDir: 'p',
    adminToken: '0123456789abcdef',
    tls: { cert: 'c.pem', key: 'k.pem' },
    log: { level: 'warn', file: 'tam.log' },
    bodyLimit: 1000,
    attestation: 'none',
    referenceValues: { hwmodels: ['otrp TEE', { hex: '0102' }], hwversions: ['1.0'], firmwareDigests: ['aabb'] },
    tokenLifetimeSeconds: 60,
    backoffSeconds: 10,
    maxUploadBytes: 4096,
  });
  assert.equal(c.listen, '0.0.0.0:9443');
  assert.deepEqual(c.tls, { cert: 'c.pem', key: 'k.pem' });
  assert.deepEqual(c.log, { level: 'warn', file: 'tam.log' });
  assert.deepEqual(c.referenceValues?.hwmodels, [new TextEncoder().encode('otrp TEE'), new Uint8Array([1, 2])]);
  assert.deepEqual(c.referenceValues?.firmwareDigests, [new Uint8Array([0xaa, 0xbb])]);
  assert.equal(c.tokenLifetimeSeconds, 60);
  assert.deepEqual(parseTamConfig({}), {});
});

test('parseTamConfig refuses unknown keys, wrong types and short tokens with ERR_TAM_CONFIG', () => {
  for (const bad of [
    null, [], { lisen: '127.0.0.1:1' }, { listen: 'nope' }, { adminToken: 'short' }, { tls: { cert: 'c' } }, { log: { level: 'loud' } },
    { bodyLimit: 0 }, { bodyLimit: 1.5 }, { attestation: 'passport' }, { referenceValues: { hwmodels: [1] } },
    { referenceValues: { firmwareDigests: ['xyz'] } }, { referenceValues: { other: [] } }, { dataDir: '' },
  ]) {
    assert.equal(code(() => parseTamConfig(bad)), 'ERR_TAM_CONFIG', JSON.stringify(bad));
  }
});

test('parseListen reads HOST:PORT and [IPv6]:PORT; port 0 is allowed', () => {
  assert.deepEqual(parseListen('127.0.0.1:0'), { host: '127.0.0.1', port: 0 });
  assert.deepEqual(parseListen('[::1]:8443'), { host: '::1', port: 8443 });
  assert.deepEqual(parseListen('tam.local:443'), { host: 'tam.local', port: 443 });
  for (const bad of ['127.0.0.1', ':80', '127.0.0.1:65536', 'a b:1', '::1:80']) assert.equal(code(() => parseListen(bad)), 'ERR_TAM_CONFIG', bad);
});
