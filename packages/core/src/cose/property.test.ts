/**
 * Property: random bytes and mutations of valid messages fed to verify/decrypt (and random bytes to
 * the key parsers) only ever fail with OtrpErrors, never TypeError, RangeError or DOMException.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isOtrpError } from '../errors.js';
import { decodeCbor, encodeCbor } from '../wire/cbor.js';
import { CborTag, type CborValue } from '../wire/cbor-value.js';
import { webCryptoProvider } from './webcrypto-provider.js';
import { publicCoseKey, decodeCoseKey, type CoseKey } from './key.js';
import { createSign1, verifySign1 } from './sign1.js';
import { createSign, verifySign } from './sign.js';
import { createMac0, verifyMac0 } from './mac0.js';
import { createMac, verifyMac } from './mac.js';
import { createEncrypt0, decryptEncrypt0 } from './encrypt0.js';
import { createEncrypt, decryptEncrypt } from './encrypt.js';
import { parseKeyFile } from './key-file.js';
import { createNodeCryptoProvider } from './node-crypto-provider.js';

const nodeProvider = createNodeCryptoProvider(await import('node:crypto'));

const payload = new TextEncoder().encode('payload');
const ec = await webCryptoProvider.generateKeyPair('P-256');
const ed = await webCryptoProvider.generateKeyPair('Ed25519');
const x = await webCryptoProvider.generateKeyPair('X25519');
const sym: CoseKey = { kty: 'Symmetric', k: new Uint8Array(16).fill(1) };
const sym32: CoseKey = { kty: 'Symmetric', k: new Uint8Array(32).fill(2) };

type Check = (bytes: Uint8Array) => Promise<unknown>;
const TARGETS: [string, Uint8Array, Check][] = [
  ['Sign1', await createSign1({ payload, key: ec }), (b) => verifySign1(b, publicCoseKey(ec))],
  ['Sign', await createSign({ payload, signers: [{ key: ed }, { key: ec }] }), (b) => verifySign(b, publicCoseKey(ed))],
  ['Mac0', await createMac0({ payload, key: sym32 }), (b) => verifyMac0(b, sym32)],
  ['Mac', await createMac({ payload, recipients: [{ alg: -5, key: sym32 }] }), (b) => verifyMac(b, sym32)],
  ['Encrypt0', await createEncrypt0({ plaintext: payload, key: sym, alg: 1 }), (b) => decryptEncrypt0(b, sym)],
  ['Encrypt0 ChaCha', await createEncrypt0({ plaintext: payload, key: sym32, alg: 24 }), (b) => decryptEncrypt0(b, sym32)],
  ['Encrypt KW', await createEncrypt({ plaintext: payload, alg: 1, recipients: [{ alg: -3, key: sym }] }), (b) => decryptEncrypt(b, sym)],
  ['Encrypt ECDH', await createEncrypt({ plaintext: payload, alg: 3, recipients: [{ alg: -29, key: publicCoseKey(x) }] }), (b) => decryptEncrypt(b, x)],
  ['Sign1 (node provider)', await createSign1({ payload, key: ed }), (b) => verifySign1(b, publicCoseKey(ed), { provider: nodeProvider })],
  ['Encrypt ECDH P-256 (node provider)', await createEncrypt({ plaintext: payload, alg: 1, recipients: [{ alg: -29, key: publicCoseKey(ec) }] }), (b) => decryptEncrypt(b, ec, { provider: nodeProvider })],
];

async function onlyOtrpErrors(check: Check, bytes: Uint8Array): Promise<boolean> {
  try {
    await check(bytes);
  } catch (e) {
    if (!isOtrpError(e)) throw e;
  }
  return true;
}

/** Byte-level mutations: flip, overwrite, insert, delete, truncate. */
const byteMutation = (len: number) =>
  fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at: fc.nat(len - 1), bit: fc.nat(7) }),
    fc.record({ kind: fc.constant('set' as const), at: fc.nat(len - 1), value: fc.nat(255) }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(len), value: fc.nat(255) }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(len - 1), count: fc.integer({ min: 1, max: 8 }) }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(len - 1) }),
  );
type Mutation = { kind: 'flip'; at: number; bit: number } | { kind: 'set' | 'insert'; at: number; value: number } | { kind: 'delete'; at: number; count: number } | { kind: 'truncate'; at: number };

function applyMutations(bytes: Uint8Array, ms: Mutation[]): Uint8Array {
  let b = [...bytes];
  for (const m of ms) {
    const at = Math.min(m.at, Math.max(0, b.length - 1));
    if (m.kind === 'flip') b[at] = (b[at] ?? 0) ^ (1 << m.bit);
    else if (m.kind === 'set') b[at] = m.value;
    else if (m.kind === 'insert') b.splice(at, 0, m.value);
    else if (m.kind === 'delete') b.splice(at, m.count);
    else b = b.slice(0, at);
  }
  return new Uint8Array(b);
}

/** Structure-level: replace one element (or sub-element) of the message array with arbitrary CBOR. */
const cborValue: fc.Arbitrary<CborValue> = fc.letrec<{ v: CborValue }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.integer({ min: -70000, max: 70000 }),
    fc.constantFrom<CborValue>(null, true, false, undefined, -7, -8, -35, 1, 3, 24, -3, -29, -65534),
    fc.string({ maxLength: 8 }),
    fc.uint8Array({ maxLength: 40 }),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.array(fc.tuple(fc.integer({ min: -30, max: 40 }), tie('v')), { maxLength: 4 }).map((e) => new Map<CborValue, CborValue>(e)),
  ),
})).v;

function replaceElement(bytes: Uint8Array, path: number[], value: CborValue, wrapInBstr: boolean): Uint8Array {
  const t = decodeCbor(bytes) as CborTag;
  const root = structuredClone(t.value) as CborValue[];
  let arr: CborValue[] = root;
  for (const p of path.slice(0, -1)) {
    const next = arr[p % arr.length];
    if (!Array.isArray(next)) break;
    arr = next;
  }
  arr[path[path.length - 1]! % arr.length] = wrapInBstr ? encodeCbor(value) : value;
  return encodeCbor(new CborTag(t.tag, root));
}

for (const [name, valid, check] of TARGETS) {
  test(`property: mutated ${name} only ever fails with OtrpErrors`, async () => {
    await check(valid); // the unmutated message is accepted
    await fc.assert(
      fc.asyncProperty(fc.array(byteMutation(valid.length), { minLength: 1, maxLength: 4 }), async (ms) => onlyOtrpErrors(check, applyMutations(valid, ms))),
      { numRuns: 150 },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(5), { minLength: 1, maxLength: 3 }), cborValue, fc.boolean(), async (path, v, wrap) =>
        onlyOtrpErrors(check, replaceElement(valid, path, v, wrap)),
      ),
      { numRuns: 150 },
    );
  });
}

test('property: random bytes to every verifier and key parser only fail with OtrpErrors', async () => {
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), async (b) => {
      for (const [, , check] of TARGETS) await onlyOtrpErrors(check, b);
      await onlyOtrpErrors(async (bytes) => decodeCoseKey(bytes), b);
      await onlyOtrpErrors(parseKeyFile, b);
      return true;
    }),
    { numRuns: 200 },
  );
});

test('property: the checker itself notices a foreign error', async () => {
  await assert.rejects(onlyOtrpErrors(async () => { throw new TypeError('x'); }, new Uint8Array()), TypeError);
});
