// The OTrP TA package (ta-package.ts): version round trip, old packages without version, limits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeOtrpTaPackage, encodeOtrpTaPackage, TA_PACKAGE_LIMITS, taPackageVersion, type OtrpTaPackage } from './ta-package.js';

const te = (s: string) => new TextEncoder().encode(s);
const enc = (v: unknown) => te(JSON.stringify(v));
const base: OtrpTaPackage = { spid: 'sp', sdname: 'sd', taid: 'ta', spcert: new Uint8Array([1, 2, 3]), binary: new Uint8Array([4, 5]) };
const json = (p: OtrpTaPackage) => JSON.parse(new TextDecoder().decode(encodeOtrpTaPackage(p))) as Record<string, unknown>;

test('version: encoded as a JSON integer, decoded back; a package without it (the old format) is version 1', () => {
  const v7 = { ...base, version: 7 };
  assert.equal(json(v7)['version'], 7);
  assert.deepEqual(decodeOtrpTaPackage(encodeOtrpTaPackage(v7)), v7);
  assert.equal(taPackageVersion(decodeOtrpTaPackage(encodeOtrpTaPackage(v7))), 7);
  const old = decodeOtrpTaPackage(enc({ spid: 'sp', sdname: 'sd', taid: 'ta', spcert: 'AQID', binary: 'BAU=' }));
  assert.equal(old.version, undefined);
  assert.equal(taPackageVersion(old), 1);
  assert.equal(taPackageVersion(decodeOtrpTaPackage(enc({ ...json(base), version: Number.MAX_SAFE_INTEGER }))), Number.MAX_SAFE_INTEGER);
});

test('refused: bad versions, control characters and over-long ids, nesting, oversize payload, certificate or package', () => {
  const good = json(base);
  const L = TA_PACKAGE_LIMITS;
  const bad: [string, Uint8Array][] = [
    ['version 0', enc({ ...good, version: 0 })],
    ['version -1', enc({ ...good, version: -1 })],
    ['version 1.5', enc({ ...good, version: 1.5 })],
    ['version string', enc({ ...good, version: '1' })],
    ['version null', enc({ ...good, version: null })],
    ['version 2^53', enc({ ...good, version: 2 ** 53 })],
    ['control char', enc({ ...good, spid: 'a\u0000b' })],
    ['DEL', enc({ ...good, taname: 'a\u007f' })],
    ['long taid', enc({ ...good, taid: 't'.repeat(L.maxIdLength + 1) })],
    ['nested', enc({ ...good, spid: ['sp'] })],
    ['deep', te(`{"spid":${'['.repeat(5000)}${']'.repeat(5000)}}`)],
    ['payload', enc({ ...good, binary: Buffer.alloc(L.maxPayloadBytes - 10).toString('base64'), pdata: Buffer.alloc(11).toString('base64') })],
    ['certificate', enc({ ...good, spcert: Buffer.alloc(L.maxCertBytes + 1).toString('base64') })],
    ['package', new Uint8Array(L.maxBytes + 1).fill(0x20)],
  ];
  for (const [what, bytes] of bad) assert.throws(() => decodeOtrpTaPackage(bytes), { code: 'ERR_TAM_OTRP_TA_PACKAGE' }, what);
  // At the limits: accepted.
  const atLimit = { ...base, taid: 't'.repeat(L.maxIdLength), binary: new Uint8Array(L.maxPayloadBytes - 1), pdata: new Uint8Array(1) };
  assert.deepEqual(decodeOtrpTaPackage(encodeOtrpTaPackage(atLimit)), atLimit);
});
