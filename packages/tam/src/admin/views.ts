/**
 * Store records as the admin API shows them in JSON: bytes as lower-case hex, times as RFC 3339
 * strings (UTC), component identifiers also as readable text. The JSON schemas of these shapes are
 * in schemas.ts; the two files change together.
 */
import { decodeCbor, formatComponentId, toHex } from '@otrp/core';
import type {
  AuditEntry, DeviceRecord, EpochMs, InventoryEntry, JsonValue, PolicyRecord, PolicyScope, ResolvedPolicy, TrustedComponentRecord,
} from '../store/records.js';

const iso = (ms: EpochMs): string => new Date(ms).toISOString();
const isoOrNull = (ms: EpochMs | null): string | null => (ms === null ? null : iso(ms));
const hexOrNull = (b: Uint8Array | null): string | null => (b === null ? null : toHex(b));

/**
 * A CBOR-encoded SUIT_Component_Identifier (`[* bstr]`, suit-manifest-37 §8.4.5.1) as text, or null
 * when the bytes are something else (an OTrP TA id, a component id from a foreign tc-list).
 */
export function componentIdText(componentId: Uint8Array): string | null {
  try {
    const v = decodeCbor(componentId);
    if (Array.isArray(v) && v.every((e) => e instanceof Uint8Array)) return formatComponentId(v as Uint8Array[]);
  } catch {
    // not CBOR: shown as hex only
  }
  return null;
}

/** An OTrP TA's component id (the UTF-8 of its taid, otrp/ta-package.ts) as text, or null when it is not UTF-8. */
export function taidText(componentId: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(componentId);
  } catch {
    return null;
  }
}

export interface TcView {
  id: string;
  name: string | null;
  format: string;
  componentId: string;
  componentIdText: string | null;
  sequenceNumber: number;
  signerSubject: string;
  signerThumbprint: string;
  deprecated: boolean;
  createdAt: string;
  updatedAt: string;
}

export function tcView(r: TrustedComponentRecord): TcView {
  return {
    id: r.id,
    name: r.name,
    format: r.format,
    componentId: toHex(r.componentId),
    componentIdText: r.format === 'otrp-ta' ? taidText(r.componentId) : componentIdText(r.componentId),
    sequenceNumber: r.sequenceNumber,
    signerSubject: r.signerSubject,
    signerThumbprint: toHex(r.signerThumbprint),
    deprecated: r.deprecated,
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
  };
}

export type ScopeView = { kind: 'device'; deviceId: string } | { kind: 'hwmodel'; hwmodel: string } | { kind: 'all' };

export function scopeView(s: PolicyScope): ScopeView {
  if (s.kind === 'device') return { kind: 'device', deviceId: s.deviceId };
  if (s.kind === 'hwmodel') return { kind: 'hwmodel', hwmodel: toHex(s.hwmodel) };
  return { kind: 'all' };
}

export function policyView(r: PolicyRecord): { id: string; tcId: string; action: string; scope: ScopeView; createdAt: string; updatedAt: string } {
  return { id: r.id, tcId: r.tcId, action: r.action, scope: scopeView(r.scope), createdAt: iso(r.createdAt), updatedAt: iso(r.updatedAt) };
}

export function resolvedPolicyView(r: ResolvedPolicy): Record<string, JsonValue> {
  return { tcId: r.tcId, componentId: toHex(r.componentId), action: r.action, scope: scopeView(r.scope), policyId: r.policyId, deprecated: r.deprecated };
}

export function inventoryView(e: InventoryEntry): Record<string, JsonValue> {
  return {
    protocol: e.protocol,
    componentId: toHex(e.componentId),
    componentIdText: e.protocol === 'otrp' ? taidText(e.componentId) : componentIdText(e.componentId),
    tcId: e.tcId,
    state: e.state,
    installed: e.installed,
    sequenceNumber: e.sequenceNumber,
    pending: e.pending === null ? null : { action: e.pending.action, sequenceNumber: e.pending.sequenceNumber, since: iso(e.pending.since) },
    securityDomainId: e.securityDomainId,
    updatedAt: iso(e.updatedAt),
  };
}

export function deviceView(d: DeviceRecord): Record<string, JsonValue> {
  return {
    id: d.id,
    subject: d.subject,
    certThumbprint: hexOrNull(d.certThumbprint),
    ueid: hexOrNull(d.ueid),
    hwmodel: hexOrNull(d.hwmodel),
    hwversion: d.hwversion,
    lastAttestationResult: d.lastAttestationResult,
    lastAttestationDetail: d.lastAttestationDetail,
    lastAttestationAt: isoOrNull(d.lastAttestationAt),
    lastSeenAt: isoOrNull(d.lastSeenAt),
    blocked: d.blocked,
    decommissioned: d.decommissioned,
    decommissionedAt: isoOrNull(d.decommissionedAt),
    createdAt: iso(d.createdAt),
    updatedAt: iso(d.updatedAt),
  };
}

export function auditView(e: AuditEntry): Record<string, JsonValue> {
  return { id: e.id, at: iso(e.at), deviceId: e.deviceId, actor: e.actor, action: e.action, decision: e.decision, code: e.code, detail: e.detail };
}
