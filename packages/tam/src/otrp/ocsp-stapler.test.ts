import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createOcspVerifier, createPki, decodeCaState, decodeCertificateChainPem, decodePem, encodeCaState, parseCertificate, recordRevoked } from '@otrp/core';
import { loadOtrpPki } from './otrp-pki.js';
import { createOcspStapler } from './ocsp-stapler.js';

async function pkiDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'otrp-stapler-'));
  const { files } = await createPki({ alg: 'ESP256', tamUri: 'https://tam.example/tam' });
  for (const f of files) {
    const p = join(dir, ...f.path.split('/'));
    await mkdir(dirname(p), { recursive: true });
    await writeFile(p, f.contents);
  }
  return dir;
}

test('the stapler answers for the TAM leaf (TAM CA) and the TAM CA (root), fresh and cached, and follows ca.json revocations', async () => {
  const dir = await pkiDir();
  try {
    const pki = await loadOtrpPki(dir);
    assert.equal(pki.tamid, 'https://tam.example/tam');
    assert.deepEqual(pki.identities.map((i) => i.alg), ['ES256']);
    let now = Date.now();
    const stapler = createOcspStapler({ responders: pki.responders, now: () => now });
    const chain = pki.identities[0]!.chain;
    const root = decodePem(await readFile(join(dir, 'root-ca', 'cert.pem'), 'utf8'), 'CERTIFICATE')[0]!;
    const path = [...chain, root];
    const first = await stapler.staple(chain);
    assert.equal(first.length, 2);
    await createOcspVerifier().verify(path, first, new Date());
    assert.deepEqual(await stapler.staple(chain), first, 'reused within the refresh period');
    now += 6 * 60_000;
    const later = await stapler.staple(chain);
    assert.notDeepEqual(later[0], first[0], 'refreshed after 5 minutes');

    const caJson = join(dir, 'tam-ca', 'ca.json');
    const { state } = recordRevoked(decodeCaState(await readFile(caJson, 'utf8')), { serialNumber: parseCertificate(chain[0]!).serialNumber, revocationDate: new Date(Date.now() - 1000).toISOString() });
    await writeFile(caJson, `${encodeCaState(state)}\n`);
    const revoked = await stapler.staple(chain);
    await assert.rejects(createOcspVerifier().verify(path, revoked, new Date()), { code: 'ERR_OTRP_TAM_NOT_TRUSTED' });

    // A chain no CA of this PKI issued: no responder.
    const foreign = decodeCertificateChainPem(await readFile(join(await pkiDir(), 'tam', 'esp256', 'chain.pem'), 'utf8'));
    await assert.rejects(stapler.staple(foreign), { code: 'ERR_TAM_OTRP_CONFIG' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a PKI directory without a TAM key for OTrP is refused', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'otrp-stapler-empty-'));
  try {
    await assert.rejects(loadOtrpPki(dir), { code: 'ERR_TAM_OTRP_CONFIG' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
