/**
 * A store-only replay of TEEP install exchanges (`npm run bench:store`, BENCHMARKS.md): the store
 * calls the TAM service makes for one install exchange, in its three transactions, without HTTP,
 * COSE or the session machine. It measures the store alone, far more steadily than the fleet bench,
 * so a store change can be compared build against build.
 *
 *   connect         sessions.create with the QueryRequest's token and challenge
 *   QueryResponse   consume the token, find the device, consume the challenge, list the TCs,
 *                   rebuild the inventory from the tc-list, resolve the policies, read the TC sent,
 *                   add the Update's token, record the attestation, mark the install pending,
 *                   update the session, append the audit entry
 *   Success         consume the Update's token, find the device, confirm the install, touch the
 *                   device, update the session, append the audit entry
 *
 * Each exchange installs the next TC of the catalog on the next device, as `otrp bench --scenario
 * install` does, so inventories grow as they do there.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Store } from './store.js';
import type { TrustedComponentRecord } from './records.js';

export interface ReplayOptions {
  readonly devices?: number;
  readonly tcs?: number;
  /** Exchanges before the measured ones (JIT warm-up). */
  readonly warmup?: number;
  readonly exchanges: number;
  /** Bytes of the session state blob (the TAM's is a few hundred bytes of JSON). */
  readonly stateBytes?: number;
}

export interface ReplayResult {
  readonly exchanges: number;
  /** Process CPU (user + system) per measured exchange, ms. */
  readonly cpuMsPerExchange: number;
  readonly wallMsPerExchange: number;
}

const HOUR = 3_600_000;

interface ReplayDevice {
  readonly id: string;
  readonly thumbprint: Uint8Array;
  readonly installed: TrustedComponentRecord[];
}

/** Enrols the devices and TCs (each TC `optional` for all devices) into an empty store, then replays. */
export async function replayInstallExchanges(store: Store, o: ReplayOptions): Promise<ReplayResult> {
  const devices: ReplayDevice[] = [];
  for (let i = 0; i < (o.devices ?? 128); i++) {
    const thumbprint = randomBytes(32);
    const d = await store.devices.create({ subject: `CN=replay device ${i}`, certThumbprint: thumbprint, ueid: randomBytes(17), hwmodel: randomBytes(16), hwversion: '1.0' });
    devices.push({ id: d.id, thumbprint, installed: [] });
  }
  const tcs: TrustedComponentRecord[] = [];
  for (let i = 0; i < (o.tcs ?? 30); i++) {
    const tc = await store.trustedComponents.add({
      componentId: randomBytes(20), name: `replay-tc-${i}`, format: 'suit', manifest: randomBytes(900),
      signerSubject: 'CN=replay signer', signerThumbprint: randomBytes(32), sequenceNumber: 1,
    });
    tcs.push(tc);
    await store.policies.set({ tcId: tc.id, action: 'optional', scope: { kind: 'all' } });
  }
  const state = randomBytes(o.stateBytes ?? 700);
  let k = 0;
  const exchange = async () => {
    const device = devices[k % devices.length]!;
    const tc = tcs[Math.floor(k / devices.length) % tcs.length]!;
    k++;
    await installExchange(store, device, tc, state);
  };
  for (let i = 0; i < (o.warmup ?? 0); i++) await exchange();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < o.exchanges; i++) await exchange();
  const cpu = process.cpuUsage(cpu0);
  const n = Math.max(o.exchanges, 1);
  return { exchanges: o.exchanges, cpuMsPerExchange: (cpu.user + cpu.system) / 1000 / n, wallMsPerExchange: (performance.now() - t0) / n };
}

async function installExchange(store: Store, device: ReplayDevice, tc: TrustedComponentRecord, state: Uint8Array): Promise<void> {
  const now = Date.now();
  const sessionId = randomUUID();
  const token = randomBytes(16);
  const challenge = randomBytes(32);
  const updateToken = randomBytes(16);
  const expiresAt = now + HOUR;
  const fresh = !device.installed.includes(tc);
  await store.transaction((tx) =>
    tx.sessions.create({ id: sessionId, protocol: 'teep', state, expiresAt }, [{ kind: 'token', value: token, expiresAt }, { kind: 'challenge', value: challenge, expiresAt }]),
  );
  await store.transaction(async (tx) => {
    const consumed = await tx.sessions.consume('token', token);
    await tx.devices.findByThumbprint(device.thumbprint);
    await tx.sessions.consumeInSession(consumed.session.id, ['challenge', 'token'], challenge);
    await tx.trustedComponents.listSummaries({ limit: 1000, offset: 0, includeDeprecated: true });
    await tx.inventory.replaceFromTcList(device.id, device.installed.map((t) => ({ componentId: t.componentId, sequenceNumber: t.sequenceNumber })), { protocol: 'teep', at: now });
    await tx.policies.resolve(device.id);
    await tx.trustedComponents.get(tc.id);
    await tx.sessions.addToken(sessionId, { kind: 'token', value: updateToken, expiresAt });
    await tx.devices.recordAttestation(device.id, 'affirming', { ueid: 'replay' }, now);
    await tx.inventory.markPending(device.id, { componentId: tc.componentId, action: 'install', sequenceNumber: tc.sequenceNumber, protocol: 'teep' }, now);
    await tx.sessions.update(sessionId, { state, deviceId: device.id, expiresAt });
    await tx.audit.append({ actor: 'tam', action: 'teep.query-response', decision: 'allow', deviceId: device.id, detail: { sessionId }, at: now });
  });
  await store.transaction(async (tx) => {
    await tx.sessions.consume('token', updateToken);
    await tx.devices.findByThumbprint(device.thumbprint);
    if (fresh) await tx.inventory.confirmPending(device.id, tc.componentId, { protocol: 'teep', at: now });
    else await tx.inventory.cancelPending(device.id, tc.componentId, { protocol: 'teep' });
    await tx.devices.touch(device.id, now);
    await tx.sessions.update(sessionId, { state, deviceId: device.id, expiresAt });
    await tx.audit.append({ actor: 'tam', action: 'teep.success', decision: 'allow', deviceId: device.id, detail: { sessionId }, at: now });
  });
  if (fresh) device.installed.push(tc);
}
