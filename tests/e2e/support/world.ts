/**
 * The end-to-end world: a PKI directory (core createPki, written as `otrp pki init` writes it), the
 * TAM as `otrp tam serve` from the BUILT output (tests/tam/support/server.ts), devices provisioned and
 * run with the built `otrp device ...` commands (each run is a new REE process that forks a new TEE
 * process), and TCs signed by the PKI's TC signer. Run `npm run build` first.
 */
import assert from 'node:assert/strict';
import { buildEnvelope, fromHex } from '@otrp/core';
import { makePki, type TestPki, type TestSigner } from '../../tam/support/fixtures.js';
import { adminCall, otrp, type CliRun } from '../../tam/support/server.js';

export { makePki, type TestPki, type TestSigner };

/** The sample TC of the e2e tests: the TEEP convention's id for this UUID (`--request UUID`). */
export const TC_UUID = '0f4bd2d4-3f5c-4a53-9e39-5e2d4fb0c001';
const te = (s: string) => new TextEncoder().encode(s);
const uuidBytes = (uuid: string) => fromHex(uuid.replace(/-/g, ''));

/** A TC release with the TEEP-convention component id of `uuid`; `payload` distinguishes versions. */
export async function makeTcRelease(signer: TestSigner, sequenceNumber: number, uuid = TC_UUID, payload = `TA binary v${sequenceNumber} `.repeat(40)): Promise<Uint8Array> {
  const hex = `hex:${uuid.replace(/-/g, '')}`;
  return buildEnvelope(
    { sequenceNumber, manifestComponentId: ['TEEP-Device', 'SecureFS', hex, 'suit'], components: [{ id: ['TEEP-Device', 'SecureFS', hex, 'ta'] }], description: `e2e TA v${sequenceNumber}` },
    { payloads: [te(payload)], key: signer.key, x5chain: signer.chain },
  );
}

/** The component id `makeTcRelease` installs (parts), for comparisons. */
export function tcComponentId(uuid = TC_UUID): Uint8Array[] {
  return [te('TEEP-Device'), te('SecureFS'), uuidBytes(uuid), te('ta')];
}

export interface ListedTc {
  readonly manifestId: string;
  readonly components: string[];
  readonly sequenceNumber: string;
  readonly signer: string;
  readonly installedAt: string;
}

/** `otrp device list DIR --json` (asserts exit 0). */
export async function deviceList(dir: string): Promise<ListedTc[]> {
  const r = await otrp(['device', 'list', dir, '--json']);
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { teep: ListedTc[] }).teep;
}

/** The sequence numbers installed on a device, in list order. */
export async function installedSeqs(dir: string): Promise<number[]> {
  return (await deviceList(dir)).map((tc) => Number(tc.sequenceNumber));
}

/** `otrp device run DIR --tam URL/tam ...` (env reaches the TEE process too). */
export function deviceRun(dir: string, tamUrl: string, args: readonly string[] = [], env: Record<string, string> = {}): Promise<CliRun> {
  return otrp(['device', 'run', dir, '--tam', `${tamUrl}/tam`, '--once', ...args], env);
}

/** `otrp device init DIR --pki PKI --name NAME` (asserts exit 0). */
export async function deviceInit(dir: string, pkiDir: string, name: string, extra: readonly string[] = []): Promise<void> {
  const r = await otrp(['device', 'init', dir, '--pki', pkiDir, '--name', name, ...extra]);
  assert.equal(r.code, 0, r.stderr);
}

/** The error code of a failed CLI run (`error: CODE: ...` on stderr). */
export function errorCode(r: CliRun): string | undefined {
  return /^error: ([A-Z0-9_]+):/m.exec(r.stderr)?.[1];
}

export interface InventoryItem {
  readonly tcId: string | null;
  readonly state: string;
  readonly seq: number | null;
}

/** The TAM's inventory of the device whose TEEP certificate is `<name> teep` (undefined: not registered). */
export async function tamInventory(url: string, token: string, name: string): Promise<InventoryItem[] | undefined> {
  const { status, json } = await adminCall(url, token, 'GET', '/devices?limit=1000');
  assert.equal(status, 200);
  const d = (json.items as any[]).find((x) => typeof x.subject === 'string' && x.subject === `CN=${name} teep`);
  return d && (d.inventory as any[]).map((i) => ({ tcId: i.tcId, state: i.state, seq: i.sequenceNumber }));
}

/** Sets a policy for every device through the admin API. */
export async function setPolicy(url: string, token: string, tcId: string, action: 'required' | 'optional' | 'remove'): Promise<string> {
  const r = await adminCall(url, token, 'POST', '/policies', { tcId, action, scope: { kind: 'all' } });
  assert.ok(r.status === 200 || r.status === 201, JSON.stringify(r.json));
  return r.json.id as string;
}

/** The sequence numbers `otrp device run` reports installed after its round (its `installed now:` line). */
export function seqsAfter(run: CliRun): number[] {
  const line = /^installed now: (.*)$/m.exec(run.stdout)?.[1];
  assert.ok(line !== undefined, `no "installed now" line in: ${run.stdout}`);
  return line === 'none' ? [] : [...line.matchAll(/ seq (\d+)/g)].map((m) => Number(m[1]));
}
