/**
 * TEEP messages signed by certified keys: the chain travels in x5chain (RFC 9360) and the receiver
 * validates it with the PKI layer's path validation through the PeerTrust chain-validator port.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coseKeyFromCertificate, coseKeyFromPkcs8 } from '../cose/key-pem.js';
import { validateChain } from '../pki/chain.js';
import { makeFixture } from '../pki/test-support/fixture.js';
import { createAgentSession } from './agent-session.js';
import { createPeerTrust } from './peer-trust.js';
import type { TeepErrorMessage } from './messages/teep-error.js';
import { runSession, types } from './test-support/exchange.js';
import { makeKeys, makeRelease, makeWorld } from './test-support/world.js';

test('a TAM certified by the TAM CA is accepted through x5chain; under another CA the Agent answers Error 6', async () => {
  const fx = await makeFixture();
  const leaf = await fx.leaf('tam');
  const tamKey = await coseKeyFromPkcs8(new Uint8Array(await crypto.subtle.exportKey('pkcs8', leaf.keys.privateKey)));
  const trustUnder = (ca: 'tam-ca' | 'device-ca') =>
    createPeerTrust({
      validateChain: async (chain) => {
        await validateChain({ chain, anchors: [{ certificate: fx.branches[ca].certificate }], role: 'tam' });
        return coseKeyFromCertificate(chain[0]!);
      },
    });
  const keys = await makeKeys();
  const w = await makeWorld({ model: 'passport', tam: { keys: [tamKey], certificateChains: [[leaf.der]] }, agent: { tamTrust: trustUnder('tam-ca') } }, keys);
  w.policy.wanted = [await makeRelease('SecureFS', 1, keys.tcSigner)];
  const x = await runSession(w, createAgentSession('https://tam.example/tam'));
  assert.deepEqual(types(x), ['query-request', 'query-response', 'update', 'success']);

  const wrong = await makeWorld({ model: 'passport', tam: { keys: [tamKey], certificateChains: [[leaf.der]] }, agent: { tamTrust: trustUnder('device-ca') } }, keys);
  const y = await runSession(wrong, createAgentSession('https://tam.example/tam'));
  assert.deepEqual(types(y), ['query-request', 'error']);
  const err = y.transcript[1]!.out.message as TeepErrorMessage;
  assert.equal(err.errCode, 6);
  assert.match(err.errMsg ?? '', /^ERR_/);
  assert.equal(y.tamState.phase, 'backing-off');
});
