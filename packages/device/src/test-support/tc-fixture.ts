/**
 * Two versions of one Trusted Component for TC store tests: 'old' (sequence 1, one component) and
 * 'new' (sequence 2, new content for that component plus a second component).
 */
import assert from 'node:assert/strict';
import type { AgentTcStore } from '../agent/tc-store.js';

const te = (s: string): Uint8Array => new TextEncoder().encode(s);
export const MANIFEST_ID = [te('TEEP-Device'), te('SecureFS'), new Uint8Array(16).fill(0xab)];
export const COMPONENT_TA = [...MANIFEST_ID, te('ta')];
export const COMPONENT_CONFIG = [...MANIFEST_ID, te('config')];

export const FIXTURE = {
  old: { seq: 1n, ta: te('TA image version 1 '.repeat(50)), config: undefined, envelope: te('envelope v1') },
  new: { seq: 2n, ta: te('TA image version 2 '.repeat(60)), config: te('config v2'), envelope: te('envelope v2') },
} as const;
export type FixtureVersion = keyof typeof FIXTURE;

export async function installFixture(store: AgentTcStore, version: FixtureVersion): Promise<void> {
  const f = FIXTURE[version];
  const tx = store.begin();
  tx.write(COMPONENT_TA, f.ta);
  if (f.config) tx.write(COMPONENT_CONFIG, f.config);
  tx.set(MANIFEST_ID, f.seq);
  tx.putManifest({
    manifestId: MANIFEST_ID,
    componentIds: f.config ? [COMPONENT_TA, COMPONENT_CONFIG] : [COMPONENT_TA],
    sequenceNumber: f.seq,
    digest: new Uint8Array(32).fill(Number(f.seq)),
    envelope: f.envelope,
    signer: 'CN=otrp TC Signer',
    installedAt: 1_700_000_000_000 + Number(f.seq),
  });
  await tx.commit();
}

/** Which fixture version the store holds, after checking that everything it references reads back whole. */
export async function storedVersion(store: AgentTcStore): Promise<FixtureVersion | 'empty'> {
  const records = store.records();
  if (records.length === 0) return 'empty';
  assert.equal(records.length, 1);
  const seq = records[0]!.sequenceNumber;
  const version: FixtureVersion = seq === 1n ? 'old' : 'new';
  const f = FIXTURE[version];
  assert.equal(seq, f.seq);
  assert.deepEqual(await store.readComponent(COMPONENT_TA), f.ta);
  assert.deepEqual(await store.readComponent(COMPONENT_CONFIG), f.config);
  assert.deepEqual(await store.envelopeOf(MANIFEST_ID), f.envelope);
  assert.equal(records[0]!.componentIds.length, f.config ? 2 : 1);
  return version;
}
