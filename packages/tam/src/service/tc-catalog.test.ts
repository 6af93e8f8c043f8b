import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildEnvelope, computeDigest, encodeCbor, encodeDigest, toHex, webCryptoProvider } from '@otrp/core';
import { catalogEntry, componentKeyHex, TcCatalog } from './tc-catalog.js';

const enc = new TextEncoder();

async function envelope(sequenceNumber: number, payload: string): Promise<Uint8Array> {
  const key = await webCryptoProvider.generateKeyPair('P-256');
  return buildEnvelope(
    { sequenceNumber, manifestComponentId: ['TEEP-Device', 'App', 'suit'], components: [{ id: ['TEEP-Device', 'App', 'ta'] }] },
    { payloads: [enc.encode(payload)], key },
  );
}

test('catalogEntry reads the component ids, the manifest id and the image digest of the payload', async () => {
  const manifest = await envelope(3, 'the TA');
  const e = catalogEntry({ id: 'tc-1', manifest, sequenceNumber: 3 });
  assert.equal(e.manifestKey, toHex(encodeCbor([enc.encode('TEEP-Device'), enc.encode('App'), enc.encode('suit')])));
  assert.deepEqual(e.components.map((c) => c.key), [componentKeyHex([enc.encode('TEEP-Device'), enc.encode('App'), enc.encode('ta')])]);
  // What an Agent's tc-list reports for the installed image (docs/teep-decisions.md §4).
  assert.equal(e.components[0]!.imageDigest, toHex(encodeDigest(await computeDigest(-16, enc.encode('the TA')))));
  assert.notEqual(e.components[0]!.imageDigest, catalogEntry({ id: 'tc-1', manifest: await envelope(4, 'the TA v2'), sequenceNumber: 4 }).components[0]!.imageDigest);
});

test('TcCatalog caches per TC version and refuses an unreadable envelope with a SUIT code', async () => {
  const catalog = new TcCatalog();
  const manifest = await envelope(1, 'x');
  const a = catalog.entry({ id: 't', manifest, sequenceNumber: 1 });
  assert.equal(catalog.entry({ id: 't', manifest, sequenceNumber: 1 }), a);
  assert.throws(() => catalog.entry({ id: 'u', manifest: new Uint8Array([0xa0]), sequenceNumber: 1 }), (e: { code?: string }) => /^ERR_(SUIT|CBOR)_/.test(e.code ?? ''));
});
