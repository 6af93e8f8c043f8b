/**
 * The TAM side of the OTrP end-to-end tests: startTamServer in-process (real HTTP on loopback, the
 * real store), OTrP TAs uploaded as `otrp-ta` TA packages through the admin API (`POST
 * /admin/v1/tcs`, application/vnd.otrp-ta+json) with a policy, and the admin device listing.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodePem } from '@otrp/core';
import { encodeOtrpTaPackage, OTRP_TA_MEDIA_TYPE, startTamServer } from '@otrp/tam';
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
  return encodeOtrpTaPackage({ ...TA, taname: 'wallet', version, spcert, binary: enc(`wallet TA v${version}`), pdata: enc('perso') });
}

/** Uploads a TA package through the admin API; the answer's status and JSON. */
export async function uploadTaPackage(tam: TamHandle, pkg: Uint8Array): Promise<{ status: number; json: any }> {
  const res = await fetch(`${tam.url()}/admin/v1/tcs?name=wallet`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': OTRP_TA_MEDIA_TYPE },
    body: new Uint8Array(pkg),
  });
  return { status: res.status, json: await res.json() };
}

/** Uploads the OTrP TA (version 1) and sets a `required` policy for every device, through the admin API. */
export async function addRequiredTa(tam: TamHandle, spcert: Uint8Array): Promise<string> {
  const up = await uploadTaPackage(tam, taPackage(spcert, 1));
  if (up.status !== 201) throw new Error(`TA upload answered ${up.status}: ${JSON.stringify(up.json)}`);
  const tcId = up.json.id as string;
  const policy = await adminCall(tam.url(), ADMIN_TOKEN, 'POST', '/policies', { tcId, action: 'required', scope: { kind: 'all' } });
  if (policy.status !== 201) throw new Error(`policy answered ${policy.status}`);
  return tcId;
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
