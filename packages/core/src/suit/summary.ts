/**
 * A human summary of a SUIT envelope (for `otrp suit inspect`): components, sequence number, the
 * commands of each sequence, digests, and the algorithm and kid of each authentication block.
 * Decodes only; verifies nothing.
 */
import { decodeCbor } from '../wire/cbor.js';
import { CborTag, type CborValue } from '../wire/cbor-value.js';
import { COSE_ALG_NAMES } from '../cose/diag-hints.js';
import { toHex } from './cbor-util.js';
import { decodeCommandSequence, type SuitCommand } from './command-sequence.js';
import { decodeEnvelope } from './envelope.js';
import { decodeDigestBytes } from './digest.js';
import { SUIT_COMMAND_NAME, SUIT_MANIFEST as M, SUIT_PARAMETER, SUIT_SECTION_NAME } from './labels.js';
import { decodeManifest, type SuitComponentId } from './manifest.js';

const PARAM_NAME: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(SUIT_PARAMETER).map(([k, v]) => [v, k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)]),
);
const DIGEST_NAME: Readonly<Record<number, string>> = { [-16]: 'SHA-256', [-43]: 'SHA-384', [-44]: 'SHA-512', [-18]: 'SHAKE128', [-45]: 'SHAKE256' };

function element(b: Uint8Array): string {
  return b.length > 0 && b.every((c) => c >= 0x20 && c < 0x7f && c !== 0x27) ? `'${new TextDecoder().decode(b)}'` : `h'${toHex(b)}'`;
}

export function formatComponentId(id: SuitComponentId): string {
  return `[${id.map(element).join(', ')}]`;
}

function value(v: CborValue): string {
  if (v instanceof Uint8Array) return v.length > 24 ? `h'${toHex(v.subarray(0, 16))}...' (${v.length} bytes)` : element(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'bigint' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  return '...';
}

function digest(v: CborValue): string {
  try {
    const d = decodeDigestBytes(v as Uint8Array);
    return `${DIGEST_NAME[d.algorithmId] ?? d.algorithmId} ${toHex(d.bytes)}`;
  } catch {
    return value(v);
  }
}

function commands(cmds: readonly SuitCommand[], indent: string): string[] {
  const out: string[] = [];
  for (const c of cmds) {
    const name = SUIT_COMMAND_NAME[c.code] ?? (c.code < 0 ? `custom(${c.code})` : `unknown(${c.code})`);
    switch (c.kind) {
      case 'index':
        out.push(`${indent}${name} ${c.index === true ? 'true' : JSON.stringify(c.index)}`);
        break;
      case 'parameters':
        out.push(`${indent}${name} {${[...c.parameters].map(([k, v]) => `${PARAM_NAME[k] ?? k}: ${k === SUIT_PARAMETER.imageDigest ? digest(v) : value(v)}`).join(', ')}}`);
        break;
      case 'try-each':
        out.push(`${indent}${name}${c.allowNone ? ' (or nothing)' : ''}`);
        c.sequences.forEach((s, i) => {
          out.push(`${indent}  alternative ${i}:`);
          out.push(...commands(s, `${indent}    `));
        });
        break;
      case 'run-sequence':
        out.push(`${indent}${name}:`, ...commands(c.sequence, `${indent}  `));
        break;
      case 'policy':
        out.push(`${indent}${name} (policy ${c.policy})`);
        break;
      default:
        out.push(`${indent}${name}`);
    }
  }
  return out;
}

function authBlock(b: Uint8Array): string {
  try {
    const v = decodeCbor(b);
    if (!(v instanceof CborTag) || !Array.isArray(v.value)) return 'unknown block';
    const type = ({ 18: 'COSE_Sign1', 17: 'COSE_Mac0', 98: 'COSE_Sign', 97: 'COSE_Mac' } as Record<number, string>)[Number(v.tag)] ?? `tag ${v.tag}`;
    const p = v.value[0] instanceof Uint8Array && v.value[0].length ? decodeCbor(v.value[0]) : new Map();
    const u = v.value[1];
    const alg = p instanceof Map ? p.get(1) : undefined;
    const kid = (u instanceof Map ? u.get(4) : undefined) ?? (p instanceof Map ? p.get(4) : undefined);
    const algName = typeof alg === 'number' ? `${COSE_ALG_NAMES[alg] ?? 'alg'} (${alg})` : 'no alg';
    return `${type} ${algName}${kid instanceof Uint8Array ? `, kid ${element(kid)}` : ''}${p instanceof Map && p.has(33) ? ', x5chain' : ''}`;
  } catch {
    return 'undecodable block';
  }
}

/** Multi-line summary of an envelope. Throws SuitError for what cannot be decoded. */
export function summarizeEnvelope(bytes: Uint8Array): string {
  const env = decodeEnvelope(bytes);
  const man = decodeManifest(env.manifestBytes);
  const out: string[] = [];
  out.push(`SUIT_Envelope${env.tagged ? ' (tag 107)' : ''}, ${bytes.length} bytes`);
  out.push(`  manifest digest: ${DIGEST_NAME[env.digest.algorithmId] ?? env.digest.algorithmId} ${toHex(env.digest.bytes)}`);
  if (env.authenticationBlocks.length === 0) out.push('  authentication: none (unsigned)');
  for (const b of env.authenticationBlocks) out.push(`  authentication: ${authBlock(b)}`);
  out.push(`  manifest: version ${man.version}, sequence number ${man.sequenceNumber}`);
  if (man.referenceUri !== undefined) out.push(`  reference-uri: ${man.referenceUri}`);
  if (man.manifestComponentId) out.push(`  manifest-component-id: ${formatComponentId(man.manifestComponentId)}`);
  out.push('  components:');
  man.common.components.forEach((c, i) => out.push(`    [${i}] ${formatComponentId(c)}`));
  for (const [i, d] of man.common.dependencies) out.push(`    [${i}] dependency${d.prefix ? ` prefix ${formatComponentId(d.prefix)}` : ''}`);
  if (man.common.sharedSequence) out.push('  shared-sequence:', ...commands(man.common.sharedSequence, '    '));
  for (const [key, member] of man.members) {
    const name = `${SUIT_SECTION_NAME[key] ?? key} (${key})`;
    if (member.kind === 'severed') {
      out.push(`  ${name}: severed, digest ${toHex(member.digest.bytes)}${env.severed.has(key) ? ' (present in the envelope)' : ' (absent)'}`);
      const el = env.severed.get(key);
      if (el && key !== M.text) out.push(...commands(decodeCommandSequence(el.content, name), '    '));
    } else if (key === M.text) {
      out.push(`  ${name}: ${member.bytes.length} bytes`);
    } else {
      out.push(`  ${name}:`, ...commands(decodeCommandSequence(member.bytes, name), '    '));
    }
  }
  for (const [k, v] of env.integrated) out.push(`  integrated ${JSON.stringify(k)}: ${v.length} bytes`);
  return out.join('\n');
}
