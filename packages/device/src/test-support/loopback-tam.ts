/**
 * A TAM for device tests: core's TAM session machine (teep/tam-session.ts) behind a minimal
 * TEEP-over-HTTP server on loopback, with a real PKI (core createPki) and a desired-state policy.
 * One session at a time (tests drive one device at a time). The TAM package's server is what runs
 * in production; this one exists so that device tests do not depend on it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  buildEnvelope, coseKeyFromPkcs8, coseKeyFromSpki, createPeerTrust, createPki, decodePem, encodeDigest, computeDigest, MemoryTokenStore, processConnect,
  processTamTeepMessage, ReferenceValueVerifier, validateChain, importPrivateKey, publicCoseKey,
} from '@otrp/core';
import type { CaHandle, CborMap, CoseKey, PolicyDecision, PolicyInput, TamConfig, TamPolicy, TamSessionState, TeepOutbound } from '@otrp/core';
import { SIMULATED_TEE_MODEL } from '../agent/agent-host.js';
import { TEEP_MEDIA_TYPE } from '../broker/teep-http-client.js';

export interface TestPki {
  readonly deviceCa: CaHandle;
  readonly deviceCaCert: Uint8Array;
  readonly tamCaCert: Uint8Array;
  readonly signerCaCert: Uint8Array;
  readonly tamKey: CoseKey;
  readonly tamChain: Uint8Array[];
  readonly signerKey: CoseKey;
  readonly signerChain: Uint8Array[];
}

export async function testPki(): Promise<TestPki> {
  const { files } = await createPki({ alg: 'ESP256', tamUri: 'https://tam.example/tam' });
  const file = (p: string) => files.find((f) => f.path === p)!.contents;
  const cert = (p: string) => decodePem(file(p), 'CERTIFICATE');
  const key = async (p: string) => coseKeyFromPkcs8(decodePem(file(p), 'PRIVATE KEY')[0]!);
  return {
    deviceCa: { certificate: cert('device-ca/cert.pem')[0]!, privateKey: (await importPrivateKey(file('device-ca/key.pem'))).key },
    deviceCaCert: cert('device-ca/cert.pem')[0]!,
    tamCaCert: cert('tam-ca/cert.pem')[0]!,
    signerCaCert: cert('signer-ca/cert.pem')[0]!,
    tamKey: await key('tam/esp256/key.pem'),
    tamChain: cert('tam/esp256/chain.pem'),
    signerKey: await key('signer/key.pem'),
    signerChain: cert('signer/chain.pem'),
  };
}

const te = (s: string) => new TextEncoder().encode(s);

/** A signed release of one TC: component ['TEEP-Device', name, 'ta'], manifest id [..., 'suit']. */
export interface Release {
  readonly componentId: Uint8Array[];
  readonly envelope: Uint8Array;
  readonly imageDigest: Uint8Array;
  readonly sequenceNumber: number;
}

export async function makeRelease(
  name: string, sequenceNumber: number, key: CoseKey, x5chain?: Uint8Array[], identity: { vendorId?: string; classId?: string } = {},
): Promise<Release> {
  const payload = te(`${name} image v${sequenceNumber} `.repeat(20));
  const envelope = await buildEnvelope(
    { sequenceNumber, manifestComponentId: ['TEEP-Device', name, 'suit'], components: [{ id: ['TEEP-Device', name, 'ta'], ...identity }] },
    { payloads: [payload], key, ...(x5chain && { x5chain }) },
  );
  return { componentId: [te('TEEP-Device'), te(name), te('ta')], envelope, sequenceNumber, imageDigest: encodeDigest(await computeDigest(-16, payload)) };
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** Sends every wanted release whose image the device does not report, and grants every unlink. */
export class DesiredState implements TamPolicy {
  wanted: Release[] = [];
  readonly inputs: PolicyInput[] = [];
  decide(input: PolicyInput): PolicyDecision {
    this.inputs.push(input);
    const has = (r: Release) => input.tcList.some((m: CborMap) => m.get(3) instanceof Uint8Array && hex(m.get(3) as Uint8Array) === hex(r.imageDigest));
    return { manifests: this.wanted.filter((r) => !has(r)).map((r) => r.envelope), unneeded: [...input.unneededManifestList] };
  }
}

export interface LoopbackTam {
  readonly uri: string;
  readonly policy: DesiredState;
  readonly log: string[];
  close(): Promise<void>;
}

type DeviceKeys = { attestation: CoseKey; suitReport: CoseKey };

/**
 * Starts the TAM for one device or several. `attestation` is a device's attestation key (the
 * Verifier's endorsement of the simulated TEE); `suitReport` its SUIT-report key (reports are
 * signed with a kid).
 */
export async function startLoopbackTam(pki: TestPki, device: DeviceKeys | readonly DeviceKeys[]): Promise<LoopbackTam> {
  const devices: readonly DeviceKeys[] = Array.isArray(device) ? device : [device as DeviceKeys];
  const policy = new DesiredState();
  const config: TamConfig = {
    keys: [pki.tamKey],
    certificateChains: [pki.tamChain],
    attestation: 'background-check',
    verifier: new ReferenceValueVerifier({ endorsementKeys: devices.map((d) => publicCoseKey(d.attestation)), referenceValues: { hwmodels: [new TextEncoder().encode(SIMULATED_TEE_MODEL.hwmodel)] } }),
    agentTrust: createPeerTrust({
      validateChain: async (chain) => coseKeyFromSpki((await validateChain({ chain, anchors: [{ certificate: pki.deviceCaCert }], role: 'device' })).spki),
    }),
    reportTrust: createPeerTrust({ keys: devices.map((d) => publicCoseKey(d.suitReport)) }),
    policy,
    tokens: new MemoryTokenStore(),
  };
  let state: TamSessionState | undefined;
  const log: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body = new Uint8Array(Buffer.concat(chunks));
        let out: readonly TeepOutbound[] = [];
        try {
          const r = body.length === 0 ? await processConnect(config, { now: Date.now() }) : await processTamTeepMessage(config, state!, body, { now: Date.now() });
          state = r.state;
          out = r.outputs;
          log.push(...out.map((o) => o.type));
        } catch (e) {
          log.push(`dropped:${(e as { code?: string }).code}`);
        }
        if (out[0]) {
          res.writeHead(200, { 'content-type': TEEP_MEDIA_TYPE });
          res.end(out[0].bytes);
        } else {
          res.statusCode = 204;
          res.end();
        }
      })();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    uri: `http://127.0.0.1:${(server.address() as AddressInfo).port}/tam`,
    policy,
    log,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
