/**
 * The TAM side of the OTrP end-to-end tests: startTamServer in-process (real HTTP on loopback, the
 * real store), OTrP TAs as `otrp-ta` trusted components with a policy, and the admin device listing.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodePem } from '@otrp/core';
import { encodeOtrpTaPackage, startTamServer, taComponentId } from '@otrp/tam';
import type { OtrpTamConfig, RunningTamServer } from '@otrp/tam';
import { adminCall } from '../../tam/support/server.js';

export const ADMIN_TOKEN = 'otrp-e2e-admin-token-0123456789';

export interface TamHandle {
  current: RunningTamServer;
  url(): string;
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startTam(pkiDir: string, dataDir: string, db: string | undefined, otrp?: OtrpTamConfig): Promise<TamHandle> {
  const start = () => startTamServer({ pkiDir, dataDir, ...(db && { db }), port: 0, adminToken: ADMIN_TOKEN, ...(otrp && { otrp }) });
  const h: TamHandle = {
    current: await start(),
    url: () => h.current.url,
    async restart() {
      await h.current.close();
      h.current = await start();
    },
    close: () => h.current.close(),
  };
  return h;
}

export const enc = (s: string) => new TextEncoder().encode(s);
export const sha256 = (b: Uint8Array) => new Uint8Array(createHash('sha256').update(b).digest());

/** The SP (TA signer) certificate the SD is created with: the PKI's TC signer. */
export async function spCertificate(pkiDir: string): Promise<Uint8Array> {
  return decodePem(await readFile(join(pkiDir, 'signer', 'cert.pem'), 'utf8'), 'CERTIFICATE')[0]!;
}

export const TA = { spid: 'bank.example', sdname: 'sd.bank.example', taid: 'ta.bank.example.wallet' } as const;

export function taPackage(spcert: Uint8Array, version: number) {
  return encodeOtrpTaPackage({ ...TA, taname: 'wallet', spcert, binary: enc(`wallet TA v${version}`), pdata: enc('perso') });
}

/** Adds the OTrP TA (sequence 1) and a `required` policy for every device. */
export async function addRequiredTa(tam: TamHandle, spcert: Uint8Array): Promise<string> {
  const tc = await tam.current.store.trustedComponents.add({
    componentId: taComponentId(TA.taid), name: 'wallet', format: 'otrp-ta', manifest: taPackage(spcert, 1),
    signerSubject: 'CN=bank.example', signerThumbprint: sha256(spcert), sequenceNumber: 1,
  });
  await tam.current.store.policies.set({ tcId: tc.id, action: 'required', scope: { kind: 'all' } });
  return tc.id;
}

export interface ListedEntry {
  protocol: string;
  tcId: string | null;
  state: string;
  seq: number | null;
}

/** The admin API's device listing: the inventory of the device whose subject ends with `cn`. */
export async function listedInventory(tam: TamHandle, cn: string): Promise<ListedEntry[]> {
  const { status, json } = await adminCall(tam.url(), ADMIN_TOKEN, 'GET', '/devices?limit=1000');
  if (status !== 200) throw new Error(`device listing answered ${status}`);
  const d = (json.items as any[]).find((x) => typeof x.subject === 'string' && x.subject.endsWith(`=${cn}`));
  if (!d) return [];
  return (d.inventory as any[]).map((i) => ({ protocol: i.protocol, tcId: i.tcId, state: i.state, seq: i.sequenceNumber })).sort((a, b) => a.protocol.localeCompare(b.protocol));
}
