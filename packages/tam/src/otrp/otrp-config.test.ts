import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anyPeerPolicy, parseOtrpConfig, peerPolicy } from './otrp-config.js';
import { decodeOtrpTaPackage, encodeOtrpTaPackage, taComponentId } from './ta-package.js';

const PEER = { subject: 'CN=tee', thumbprint: 'ab'.repeat(32) };

test('RSA1_5 is never in the default and only for the peer that opts in', () => {
  assert.deepEqual(peerPolicy({}, PEER).keyManagement, ['ECDH-ES+A128KW', 'RSA-OAEP-256']);
  const config = parseOtrpConfig({ signingAlg: 'RS256', peers: [{ thumbprint: 'AB'.repeat(32), keyTransport: ['RSA1_5'] }, { subject: 'CN=other', keyTransport: ['RSA-OAEP-256'] }] });
  assert.equal(config.signingAlg, 'RS256');
  assert.deepEqual(peerPolicy(config, PEER).keyManagement, ['RSA1_5']);
  assert.deepEqual(peerPolicy(config, { subject: 'CN=tee', thumbprint: 'cd'.repeat(32) }).keyManagement, ['ECDH-ES+A128KW', 'RSA-OAEP-256']);
  assert.deepEqual(peerPolicy(config, { subject: 'CN=other', thumbprint: 'cd'.repeat(32) }).keyManagement, ['RSA-OAEP-256']);
  assert.deepEqual([...anyPeerPolicy(config).keyManagement].sort(), ['ECDH-ES+A128KW', 'RSA-OAEP-256', 'RSA1_5']);
  assert.deepEqual(anyPeerPolicy({}).keyManagement.includes('RSA1_5'), false);
  assert.deepEqual(peerPolicy(config, PEER).content, ['A128CBC-HS256']);
});

test('invalid otrp configurations are refused with ERR_TAM_OTRP_CONFIG', () => {
  for (const bad of [
    [],
    { signingAlg: 'none' },
    { keyTransport: [] },
    { keyTransport: ['dir'] },
    { peers: {} },
    { peers: [{ keyTransport: ['RSA1_5'] }] },
    { peers: [{ thumbprint: 'xyz', keyTransport: ['RSA1_5'] }] },
    { peers: [{ subject: 'CN=a', keyTransport: ['RSA1_5'], extra: 1 }] },
    { maxCommandsPerSession: 0 },
    { typo: true },
  ]) {
    assert.throws(() => parseOtrpConfig(bad), { code: 'ERR_TAM_OTRP_CONFIG' }, JSON.stringify(bad));
  }
});

test('OTrP TA package: round trip, component id, refusals', () => {
  const pkg = { spid: 'sp', sdname: 'sd', taid: 'ta', taname: 'n', spcert: new Uint8Array([1, 2, 3]), binary: new Uint8Array([4, 5]), pdata: new Uint8Array([6]) };
  assert.deepEqual(decodeOtrpTaPackage(encodeOtrpTaPackage(pkg)), pkg);
  const { taname: _t, pdata: _p, ...minimal } = pkg;
  assert.deepEqual(decodeOtrpTaPackage(encodeOtrpTaPackage(minimal)), minimal);
  assert.deepEqual(taComponentId('ta'), new TextEncoder().encode('ta'));
  const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
  for (const bad of [new Uint8Array([0xff]), enc([]), enc({ ...JSON.parse(new TextDecoder().decode(encodeOtrpTaPackage(pkg))), more: 1 }), enc({ spid: 'sp', sdname: 'sd', taid: 'ta', spcert: '!!', binary: 'AA==' }), enc({ spid: '', sdname: 'sd', taid: 'ta', spcert: 'AA==', binary: 'AA==' })]) {
    assert.throws(() => decodeOtrpTaPackage(bad), { code: 'ERR_TAM_OTRP_TA_PACKAGE' });
  }
});
