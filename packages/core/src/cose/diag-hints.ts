/**
 * Names for COSE structures in diagnostic notation: an annotate hook for printDiagnostic
 * (wire/diag.ts). It labels tagged COSE messages (RFC 9052 §2, Table 1), the positions of their
 * arrays, the COSE_Signature and COSE_recipient arrays nested in them, header labels (RFC 9052
 * §3.1, RFC 9360 §2) and common algorithm values (IANA "COSE Algorithms"). The protected header
 * bstr is printed decoded, `<< {1: -7} >>`, by the printer's embedded-CBOR rule.
 *
 * Only tagged messages are recognised: an untagged 4-element array whose first item is a bstr
 * holding a map is not guessed to be COSE. This file is a data table plus one function and imports
 * only from wire/, so the printer can use it without pulling in the COSE implementation.
 */
import { CborTag } from '../wire/cbor-value.js';
import type { DiagAnnotator, DiagNode } from '../wire/diag.js';

/** COSE message tags, RFC 9052 §2 Table 1, with the names of their array positions. */
const COSE_MESSAGES: Readonly<Record<number, { name: string; fields: readonly string[]; nested?: 'signatures' | 'recipients' }>> = {
  16: { name: 'COSE_Encrypt0', fields: ['protected', 'unprotected', 'ciphertext'] },
  17: { name: 'COSE_Mac0', fields: ['protected', 'unprotected', 'payload', 'tag'] },
  18: { name: 'COSE_Sign1', fields: ['protected', 'unprotected', 'payload', 'signature'] },
  96: { name: 'COSE_Encrypt', fields: ['protected', 'unprotected', 'ciphertext', 'recipients'], nested: 'recipients' },
  97: { name: 'COSE_Mac', fields: ['protected', 'unprotected', 'payload', 'tag', 'recipients'], nested: 'recipients' },
  98: { name: 'COSE_Sign', fields: ['protected', 'unprotected', 'payload', 'signatures'], nested: 'signatures' },
};

const SIGNATURE_FIELDS = ['protected', 'unprotected', 'signature'] as const;
const RECIPIENT_FIELDS = ['protected', 'unprotected', 'ciphertext', 'recipients'] as const;

/** Header parameter labels: RFC 9052 §3.1 Table 3, RFC 9053 §6.4 (ephemeral key), RFC 9360 §2. */
export const COSE_HEADER_NAMES: Readonly<Record<number, string>> = {
  1: 'alg',
  2: 'crit',
  3: 'content type',
  4: 'kid',
  5: 'IV',
  6: 'Partial IV',
  7: 'counter signature',
  [-1]: 'ephemeral key',
  [-2]: 'static key',
  [-3]: 'static key id',
  32: 'x5bag',
  33: 'x5chain',
  34: 'x5t',
  35: 'x5u',
};

/** Algorithm values (IANA "COSE Algorithms" registry; RFC 9053, RFC 9864 for ESP256/Ed25519). */
export const COSE_ALG_NAMES: Readonly<Record<number, string>> = {
  [-7]: 'ES256',
  [-9]: 'ESP256',
  [-8]: 'EdDSA',
  [-19]: 'Ed25519',
  [-35]: 'ES384',
  [-36]: 'ES512',
  [-16]: 'SHA-256',
  5: 'HMAC 256/256',
  [-3]: 'A128KW',
  [-4]: 'A192KW',
  [-5]: 'A256KW',
  [-6]: 'direct',
  [-25]: 'ECDH-ES + HKDF-256',
  [-29]: 'ECDH-ES + A128KW',
  [-31]: 'ECDH-ES + A256KW',
  1: 'A128GCM',
  2: 'A192GCM',
  3: 'A256GCM',
  [-65534]: 'A128CTR',
  24: 'ChaCha20/Poly1305',
};

/** COSE_Key labels and values (RFC 9052 §7, RFC 9053 §7), for the ephemeral/static key headers. */
const COSE_KEY_NAMES: Readonly<Record<number, string>> = { 1: 'kty', 2: 'kid', 3: 'alg', [-1]: 'crv', [-2]: 'x', [-3]: 'y', [-4]: 'd' };
const COSE_KTY_NAMES: Readonly<Record<number, string>> = { 1: 'OKP', 2: 'EC2', 4: 'Symmetric' };
const COSE_CRV_NAMES: Readonly<Record<number, string>> = { 1: 'P-256', 2: 'P-384', 3: 'P-521', 4: 'X25519', 5: 'X448', 6: 'Ed25519', 7: 'Ed448' };

/** The annotate hook: pass as `printDiagnostic(value, { annotate: coseDiagHints })`. */
export const coseDiagHints: DiagAnnotator = (node) => {
  const v = node.value;
  if (v instanceof CborTag && typeof v.tag === 'number' && COSE_MESSAGES[v.tag]) return COSE_MESSAGES[v.tag]!.name;
  if (node.role === 'item' && node.parent) {
    const fields = structureFields(node.parent);
    if (fields?.[node.index]) return `${fields[node.index]}`;
  }
  const header = headerMapOf(node);
  if (header && typeof node.key === 'number') {
    if (node.role === 'key') return COSE_HEADER_NAMES[node.key];
    if (node.role === 'value' && node.key === 1 && typeof v === 'number' && COSE_ALG_NAMES[v]) return { after: COSE_ALG_NAMES[v] };
  }
  if (isHeaderKey(node.parent) && typeof node.key === 'number') {
    if (node.role === 'key') return COSE_KEY_NAMES[node.key];
    const names = node.key === 1 ? COSE_KTY_NAMES : node.key === -1 ? COSE_CRV_NAMES : node.key === 3 ? COSE_ALG_NAMES : undefined;
    if (node.role === 'value' && typeof v === 'number' && names?.[v]) return { after: names[v] };
  }
  return undefined;
};

/** Field names when `node` is the array of a COSE message, COSE_Signature or COSE_recipient. */
function structureFields(node: DiagNode): readonly string[] | undefined {
  if (!Array.isArray(node.value)) return undefined;
  const p = node.parent;
  if (node.role === 'content' && p?.value instanceof CborTag && typeof p.value.tag === 'number') return COSE_MESSAGES[p.value.tag]?.fields;
  // An element of the signatures/recipients array of a recognised structure.
  if (node.role === 'item' && p && p.role === 'item' && p.parent && Array.isArray(p.value)) {
    const outer = structureFields(p.parent);
    const kind = outer?.[p.index];
    if (kind === 'signatures') return SIGNATURE_FIELDS;
    if (kind === 'recipients') return RECIPIENT_FIELDS;
  }
  return undefined;
}

/** True when `node` is a key or value of a protected (decoded) or unprotected header map. */
function headerMapOf(node: DiagNode): boolean {
  if (node.role !== 'key' && node.role !== 'value') return false;
  let map: DiagNode | undefined = node.parent;
  if (!(map?.value instanceof Map)) return false;
  let slot: DiagNode | undefined = map;
  // A protected header is the map embedded in the bstr at position 0.
  if (map.role === 'embedded') slot = map.parent;
  if (!slot || slot.role !== 'item' || !slot.parent) return false;
  const fields = structureFields(slot.parent);
  const name = fields?.[slot.index];
  return (name === 'protected' && map.role === 'embedded') || (name === 'unprotected' && map.role === 'item');
}

/** True when `node` is a COSE_Key given in the ephemeral (-1) or static (-2) key header. */
function isHeaderKey(node: DiagNode | undefined): boolean {
  return !!node && node.value instanceof Map && node.role === 'value' && (node.key === -1 || node.key === -2) && headerMapOf(node);
}
