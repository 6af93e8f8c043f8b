/**
 * The five signed samples of draft-ietf-teep-opentrustprotocol-03 Appendix A (vectors/otrp/*.json,
 * extracted from vectors/otrp/README.md) verify with the draft's RSA-1024 test certificate through
 * the compatibility path, and only there.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readVectorText } from '../test-support/vectors.js';
import { inspectOtrpMessage } from './inspect.js';
import { openOtrpMessage } from './signed-message.js';
import { decodeSdTaRequest } from './messages/sd-ta.js';
import { verifyJws } from '../jose/jws.js';
import { withRsa15 } from '../jose/algorithms.js';
import { verifyDraftSampleJws } from '../jose/jws-draft-sample.js';
import { parseCertificate } from '../pki/certificate-info.js';

const SAMPLES = [
  ['a121-create-sd-request.json', 'CreateSDRequest', 'req-01'],
  ['a122-create-sd-response.json', 'CreateSDResponse', 'req-01'],
  ['a221-update-ta-request.json', 'UpdateTARequest', 'req-2'],
  ['a222-update-ta-response.json', 'UpdateTAResponse', 'req-2'],
  ['a231-delete-ta-request.json', 'DeleteTARequest', 'req-2'],
] as const;

const certificate = parseCertificate(readVectorText('otrp', 'draft-test-cert.pem')).der;

test('the five signed Appendix A samples verify through the compatibility path', async () => {
  for (const [file, name, rid] of SAMPLES) {
    const [m] = await inspectOtrpMessage(readVectorText('otrp', file), { certificate });
    assert.equal(m?.message, name, file);
    assert.match(m!.signature, /^verified \(draft-sample compatibility path/);
    assert.equal(m!.alg, 'RS256');
    assert.equal(m!.tbs.rid, rid);
    assert.equal(m!.headerCertificates[0], 'C=US, ST=California, L=California, O=Internet Widgits Pty Ltd');
  }
});

test('the normal path refuses them (RSA-1024, and two samples have a non-JSON protected header)', async () => {
  const { spki } = parseCertificate(certificate);
  for (const [file] of SAMPLES) {
    const [m] = openOtrpMessage(readVectorText('otrp', file));
    await assert.rejects(verifyJws(m!.jws, { spki, policy: withRsa15() }), (e: { code?: string }) => e.code === 'ERR_JOSE_WEAK_KEY' || e.code === 'ERR_JOSE_MALFORMED', file);
  }
});

test('a damaged sample does not verify', async () => {
  const { spki } = parseCertificate(certificate);
  const [m] = openOtrpMessage(readVectorText('otrp', 'a231-delete-ta-request.json'));
  const p = m!.jws.payload;
  const damaged = { ...m!.jws, payload: p.slice(0, 40) + (p[40] === 'A' ? 'B' : 'A') + p.slice(41) };
  await assert.rejects(verifyDraftSampleJws(damaged, spki), { code: 'ERR_JWS_SIGNATURE_INVALID' });
});

test('sample field shapes are read leniently (booleans as strings, BASE64URL dsihash)', async () => {
  const [m] = await inspectOtrpMessage(readVectorText('otrp', 'a221-update-ta-request.json'), { certificate });
  const r = decodeSdTaRequest('UpdateTA', m!.tbs);
  assert.equal(r.nextdsi, false);
  assert.equal(r.tee, 'SecuriTEE');
  assert.equal(r.content.recipients[0].header.alg, 'RSA1_5');
  // DeleteTA's inner JWE has a JSON object as "protected": not a JWE, refused with the draft's code.
  const [d] = await inspectOtrpMessage(readVectorText('otrp', 'a231-delete-ta-request.json'), { certificate });
  assert.throws(() => decodeSdTaRequest('DeleteTA', d!.tbs), { code: 'ERR_OTRP_REQUEST_INVALID' });
});
