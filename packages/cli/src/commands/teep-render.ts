/**
 * Text rendering of a TEEP message for `otrp teep decode|verify`: the COSE layer (headers decoded),
 * the message type and every field by its draft-26 name, and nested content decoded best-effort
 * (attestation payloads as EAT claims, manifests and reports as diagnostic notation). A failure in
 * nested content is printed in place, never thrown: only the message itself is checked strictly.
 */
import {
  COSE_ALG_NAMES,
  COSE_HEADER_NAMES,
  CborTag,
  coseDiagHints,
  decodeCbor,
  decodeEatClaims,
  decodeSign1,
  decodeSuitReference,
  errorNameOf,
  isOtrpError,
  printDiagnostic,
  type CborValue,
  type CoseHeaders,
  type EatClaims,
  type OpenedTeepMessage,
  type TeepMessage,
  type TeepProfile,
} from '@otrp/core';

const kebab = (s: string): string => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Plain values of a decoded message (objects of requested-tc-info etc.) as CBOR for printing. */
function toCbor(v: unknown): CborValue {
  if (v instanceof Uint8Array || v instanceof Map || v instanceof CborTag || v === null) return v as CborValue;
  if (Array.isArray(v)) return v.map(toCbor);
  if (typeof v === 'object' && v !== undefined) {
    return new Map(Object.entries(v as object).filter(([k, e]) => e !== undefined && k !== 'order').map(([k, e]) => [kebab(k), toCbor(e)]));
  }
  return v as CborValue;
}

const edn = (v: unknown): string => printDiagnostic(toCbor(v));
const indent = (text: string, by: string): string => text.replace(/^/gm, by);

function failure(e: unknown): string {
  return isOtrpError(e) ? `${e.code}: ${e.message}` : `ERR_INTERNAL: ${e instanceof Error ? e.message : String(e)}`;
}

function headerLines(label: string, h: CoseHeaders): string[] {
  const one = (m: Map<number | string, CborValue>): string =>
    [...m]
      .map(([k, v]) => {
        const name = typeof k === 'number' ? COSE_HEADER_NAMES[k] : undefined;
        const alg = k === 1 && typeof v === 'number' ? COSE_ALG_NAMES[v] : undefined;
        return `${name ?? String(k)}: ${edn(v)}${alg ? ` (${alg})` : ''}`;
      })
      .join(', ');
  return [`  ${label} protected: {${one(h.protected)}}`, `  ${label} unprotected: {${one(h.unprotected)}}`];
}

export function renderCose(opened: OpenedTeepMessage, verified: boolean): string[] {
  if (opened.wrapper === 'none') return ['wrapper: none (bare TEEP message, not signed)'];
  const lines = [`wrapper: ${opened.wrapper}${opened.tagged ? ' (tagged)' : ' (untagged)'}, signature ${verified ? 'VERIFIED' : 'not verified'}`];
  if (opened.headers) lines.push(...headerLines('body', opened.headers));
  (opened.signers ?? []).forEach((s, i) => lines.push(...headerLines(`signer[${i}]`, s)));
  return lines;
}

function renderClaims(c: EatClaims): string[] {
  const lines: string[] = [];
  for (const [k, v] of Object.entries(c)) {
    if (k === 'claimOrder' || k === 'extra' || v === undefined) continue;
    if (k === 'manifests') {
      (v as EatClaims['manifests'])?.forEach((m, i) => {
        let ref: string;
        try {
          const r = decodeSuitReference(m.body);
          ref = `SUIT_Reference ${JSON.stringify(r.uri)} digest ${edn([r.digest.algorithmId, r.digest.bytes])}`;
        } catch (e) {
          ref = `${m.body.length} bytes (not a SUIT_Reference: ${failure(e)})`;
        }
        lines.push(`manifests[${i}]: content-type ${m.contentType}, ${ref}`);
      });
      continue;
    }
    lines.push(`${k === 'nonce' ? 'eat_nonce' : k}: ${edn(v)}`);
  }
  for (const [k, v] of c.extra ?? []) lines.push(`claim ${String(k)}: ${edn(v)}`);
  return lines;
}

/** Best-effort view of an attestation payload: a COSE_Sign1 EAT, or bare claims. */
function renderAttestation(bytes: Uint8Array): string[] {
  try {
    const { payload, headers } = decodeSign1(bytes);
    const claims = decodeEatClaims(payload ?? new Uint8Array(0));
    return [`COSE_Sign1 EAT (signature not verified)`, ...headerLines('eat', headers).map((l) => l.trimStart()), ...renderClaims(claims)];
  } catch {
    try {
      return ['EAT claims-set (unsigned)', ...renderClaims(decodeEatClaims(bytes))];
    } catch (e) {
      return [`not decoded: ${failure(e)}`];
    }
  }
}

/** Best-effort diagnostic notation of embedded CBOR (manifests, reports). */
function renderEmbedded(bytes: Uint8Array): string[] {
  try {
    return printDiagnostic(decodeCbor(bytes), { indent: 2, annotate: coseDiagHints }).split('\n');
  } catch (e) {
    return [`not decoded: ${failure(e)}`];
  }
}

export function renderMessage(m: TeepMessage, profile: TeepProfile): string[] {
  const lines = [`message: ${m.type} (type ${profile.messageTypes[m.type]}, profile ${profile.name})`];
  const pad = '  ';
  for (const [k, v] of Object.entries(m)) {
    if (k === 'type' || k === 'optionOrder' || k === 'extensions' || v === undefined) continue;
    const name = kebab(k);
    if (k === 'errCode') {
      lines.push(`${pad}${name}: ${v} (${errorNameOf(profile, v as number) ?? 'unknown error code'})`);
    } else if (k === 'dataItemRequested') {
      const bits = ['attestation', 'trusted-components', 'extensions', 'suit-reports'].filter((_, i) => ((v as number) >> i) & 1);
      lines.push(`${pad}${name}: ${v} (${bits.join(', ') || 'none'})`);
    } else if (k === 'attestationPayload') {
      lines.push(`${pad}${name}: ${(v as Uint8Array).length} bytes`, ...renderAttestation(v as Uint8Array).map((l) => `${pad}  ${l}`));
    } else if (k === 'manifestList' || k === 'suitReports') {
      (v as Uint8Array[]).forEach((b, i) => lines.push(`${pad}${name}[${i}]: ${b.length} bytes`, indent(renderEmbedded(b).join('\n'), `${pad}  `)));
    } else if (k === 'tcList') {
      (v as CborValue[]).forEach((e, i) => lines.push(`${pad}${name}[${i}]: ${printDiagnostic(e, { annotate: coseDiagHints })}`));
    } else {
      lines.push(`${pad}${name}: ${edn(v)}`);
    }
  }
  for (const [label, value] of m.extensions ?? []) lines.push(`${pad}unknown option ${String(label)}: ${edn(value)}`);
  return lines;
}
