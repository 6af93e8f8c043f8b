import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readVectorHex } from '../test-support/vectors.js';
import { encodeCbor } from '../wire/cbor.js';
import { decodeEatClaims, type EatClaims } from './claims.js';
import { encodeEatClaims } from './claims-encode.js';
import { checkTeepEatProfile, decodeSuitReference, suitReferenceManifest } from './teep-profile.js';

const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));

test('-26 App. D.2 claims (vectors/teep/eat_claims.syntax-fixed.hex) decode and re-encode identically', () => {
  const bytes = readVectorHex('teep', 'eat_claims.syntax-fixed.hex');
  const c = decodeEatClaims(bytes);
  assert.deepEqual(c.cnf, { kid: hex('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad') });
  assert.deepEqual(c.nonce, hex('948f8860d13a463e8e'));
  assert.deepEqual(c.ueid, hex('0198f50a4ff6c05861c8860d13a638ea'));
  assert.deepEqual(c.oemid, hex('894823'));
  assert.equal(c.hwmodel?.length, 16);
  assert.deepEqual(c.hwversion, { version: '1.3.4', scheme: 1 });
  // the example puts its manifests under 273 (measurements) with a bare map: kept as an unknown claim
  assert.equal(c.manifests, undefined);
  assert.deepEqual(c.extra?.map(([k]) => k), [273]);
  assert.deepEqual(encodeEatClaims(c), bytes);
});

test('the D.2 example fails the TEEP EAT profile (no manifests claim 272)', () => {
  const c = decodeEatClaims(readVectorHex('teep', 'eat_claims.syntax-fixed.hex'));
  assert.throws(() => checkTeepEatProfile(c), { code: 'ERR_EAT_MISSING_CLAIM' });
});

function goodClaims(): EatClaims {
  return {
    nonce: new Uint8Array(16).fill(7),
    ueid: new Uint8Array([1, ...new Uint8Array(16).fill(9)]),
    oemid: hex('894823'),
    hwmodel: new Uint8Array([1, 2, 3]),
    hwversion: { version: '1.3.4', scheme: 1 },
    manifests: [suitReferenceManifest({ uri: 'https://example.com/agent.suit', digest: { algorithmId: -16, bytes: new Uint8Array(32).fill(3) } })],
    cnf: { kid: new Uint8Array(32).fill(4) },
  };
}

test('a claims-set built to the profile passes it and round-trips', () => {
  const c = goodClaims();
  checkTeepEatProfile(c);
  const bytes = encodeEatClaims(c);
  const back = decodeEatClaims(bytes);
  checkTeepEatProfile(back);
  assert.deepEqual(decodeSuitReference(back.manifests?.[0]?.body as Uint8Array).uri, 'https://example.com/agent.suit');
  assert.deepEqual(encodeEatClaims(back), bytes);
});

test('profile violations', () => {
  for (const name of ['ueid', 'oemid', 'hwmodel', 'hwversion', 'manifests', 'cnf', 'nonce'] as const) {
    const c = { ...goodClaims(), [name]: undefined };
    assert.throws(() => checkTeepEatProfile(c), { code: 'ERR_EAT_MISSING_CLAIM' }, name);
  }
  checkTeepEatProfile({ ...goodClaims(), nonce: undefined }, { nonceRequired: false });
  assert.throws(() => checkTeepEatProfile({ ...goodClaims(), ueid: new Uint8Array([1, ...new Uint8Array(15)]) }), { code: 'ERR_EAT_INVALID_CLAIM' });
  assert.throws(() => checkTeepEatProfile({ ...goodClaims(), cnf: { coseKey: new Map() } }), { code: 'ERR_EAT_INVALID_CLAIM' });
  assert.throws(() => checkTeepEatProfile({ ...goodClaims(), manifests: [{ contentType: 60, body: new Uint8Array([0xa0]) }] }), { code: 'ERR_EAT_INVALID_CLAIM' });
});

test('claim type errors', () => {
  const bad: Array<[number, unknown]> = [
    [10, [new Uint8Array(8)]], // eat_nonce array form: not in the TEEP profile
    [10, new Uint8Array(7)],
    [256, new Uint8Array(6)],
    [258, new Uint8Array(4)],
    [259, new Uint8Array(33)],
    [260, '1.0'],
    [272, [[60, new Map()]]], // body must be bytes .cbor
    [8, new Map([[3, 'kid']])],
    [8, new Map([[9, new Uint8Array(1)]])],
  ];
  for (const [k, v] of bad) {
    assert.throws(() => decodeEatClaims(encodeCbor(new Map([[k, v as never]]))), { code: 'ERR_EAT_INVALID_CLAIM' }, String(k));
  }
  assert.throws(() => decodeEatClaims(encodeCbor([1])), { code: 'ERR_EAT_MALFORMED' });
  assert.throws(() => decodeEatClaims(new Uint8Array([0xff])), { code: 'ERR_EAT_MALFORMED' });
  assert.throws(() => encodeEatClaims({ nonce: new Uint8Array(2) }), { code: 'ERR_EAT_INVALID_CLAIM' });
});

test('mutated claims-sets produce only EatErrors', async () => {
  const fc = (await import('fast-check')).default;
  const { EatError } = await import('./errors.js');
  const seed = Array.from(readVectorHex('teep', 'eat_claims.syntax-fixed.hex'));
  fc.assert(
    fc.property(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.boolean(), (at, byte, cut) => {
      const b = seed.slice();
      const i = at % b.length;
      if (cut) b.length = i;
      else b[i] = byte;
      try {
        decodeEatClaims(new Uint8Array(b));
      } catch (e) {
        assert.ok(e instanceof EatError, String(e));
      }
    }),
    { numRuns: 1000 },
  );
});
