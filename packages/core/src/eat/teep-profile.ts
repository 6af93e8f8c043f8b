/**
 * The TEEP EAT profile (draft-ietf-teep-protocol-26 §5) on top of the claims codec.
 *
 * - Required claims: ueid, oemid, hwmodel, hwversion, manifests, cnf; eat_nonce when the nonce
 *   freshness mechanism is used (a single bstr: the challenge in Background-Check, the token in
 *   Passport, -26 §9).
 * - No CBOR tags inside the claims; cnf identifies the TEEP message key by `kid`, the RFC 9679
 *   thumbprint.
 * - manifests: "the manifest body contains a SUIT_Reference" (draft-ietf-suit-report §4):
 *
 * ```cddl
 * SUIT_Reference = [
 *     suit-report-manifest-uri : tstr,
 *     suit-report-manifest-digest : SUIT_Digest
 * ]
 * SUIT_Digest = [ suit-digest-algorithm-id : int, suit-digest-bytes : bstr ]
 * ```
 */
import { decodeCbor, encodeCbor } from '../wire/cbor.js';
import { CborTag, type CborValue } from '../wire/cbor-value.js';
import { EAT_CLAIM, type EatClaims, type EatManifest } from './claims.js';
import { EatInvalidClaim, EatMissingClaim } from './errors.js';

/** The profile label; XXXX is the TEEP RFC number, still unassigned (-26 §5). */
export const TEEP_EAT_PROFILE = 'urn:ietf:rfc:rfcXXXX';
/** The default attestation-payload-format (-26 §4.2: its absence means this media type). */
export const TEEP_EAT_MEDIA_TYPE = `application/eat+cwt; eat_profile=${TEEP_EAT_PROFILE}`;

/**
 * Whether an attestation-payload-format names TEEP_EAT_MEDIA_TYPE, however it is spelled: type,
 * subtype and parameter name are case-insensitive, whitespace around `;` is optional, and a quoted
 * value equals its unquoted form (RFC 9110 §8.3.1, §5.6.6). The profile itself is compared exactly.
 * -26 §7.1.1: this media type means an Attestation Result, any other value Evidence; so
 * `eat_profile` must be its only parameter.
 */
export function isTeepEatMediaType(format: string): boolean {
  const parts = format.split(';');
  if (parts.length !== 2 || parts[0]!.trim().toLowerCase() !== 'application/eat+cwt') return false;
  const m = /^[ \t]*eat_profile=(?:"((?:[^"\\]|\\.)*)"|([^"; \t]+))[ \t]*$/i.exec(parts[1]!);
  if (!m) return false;
  const value = m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!;
  return value === TEEP_EAT_PROFILE;
}
/**
 * CoAP content-format of a SUIT_Reference manifests entry. draft-ietf-suit-report's content-format
 * is still "TBA", so this is application/cbor (60), as -26 App. D.2 does ("TO BE REPLACED").
 */
export const SUIT_REFERENCE_CONTENT_TYPE = 60;

export interface SuitReference {
  readonly uri: string;
  readonly digest: { readonly algorithmId: number; readonly bytes: Uint8Array };
}

export function encodeSuitReference(ref: SuitReference): Uint8Array {
  return encodeCbor([ref.uri, [ref.digest.algorithmId, ref.digest.bytes]]);
}

/** Decodes a manifests entry body as a SUIT_Reference. */
export function decodeSuitReference(body: Uint8Array): SuitReference {
  let v: CborValue;
  try {
    v = decodeCbor(body);
  } catch (e) {
    throw new EatInvalidClaim('manifests: body is not a well-formed CBOR SUIT_Reference', { cause: e });
  }
  if (!Array.isArray(v) || v.length !== 2 || typeof v[0] !== 'string') throw new EatInvalidClaim('manifests: SUIT_Reference is [uri: tstr, digest: SUIT_Digest]');
  const d = v[1];
  if (!Array.isArray(d) || d.length !== 2 || typeof d[0] !== 'number' || !Number.isInteger(d[0]) || !(d[1] instanceof Uint8Array)) {
    throw new EatInvalidClaim('manifests: SUIT_Digest is [algorithm-id: int, bytes: bstr]');
  }
  return { uri: v[0], digest: { algorithmId: d[0], bytes: d[1] } };
}

/** A manifests entry for one installed manifest. */
export function suitReferenceManifest(ref: SuitReference, contentType = SUIT_REFERENCE_CONTENT_TYPE): EatManifest {
  return { contentType, body: encodeSuitReference(ref) };
}

export interface TeepEatProfileOptions {
  /** The nonce freshness mechanism is in use, so eat_nonce is required (default true). */
  readonly nonceRequired?: boolean;
}

const REQUIRED = ['ueid', 'oemid', 'hwmodel', 'hwversion', 'manifests', 'cnf'] as const;

/** UEID lengths by type byte (RFC 9711 §4.2.1.1): RAND 16/24/32 bytes, EUI-48/64, IMEI. */
const UEID_LENGTHS: Record<number, readonly number[]> = { 0x01: [17, 25, 33], 0x02: [7, 9], 0x03: [9] };

function hasTag(v: CborValue, depth = 0): boolean {
  if (depth > 64) return true;
  if (v instanceof CborTag) return true;
  if (Array.isArray(v)) return v.some((e) => hasTag(e, depth + 1));
  if (v instanceof Map) return [...v].some(([k, e]) => hasTag(k, depth + 1) || hasTag(e, depth + 1));
  return false;
}

/** Checks decoded claims against the TEEP EAT profile; throws EatMissingClaim / EatInvalidClaim. */
export function checkTeepEatProfile(claims: EatClaims, options: TeepEatProfileOptions = {}): void {
  for (const name of REQUIRED) {
    if (claims[name] === undefined) throw new EatMissingClaim(`TEEP EAT profile: ${name} (${EAT_CLAIM[name]}) is required`);
  }
  if ((options.nonceRequired ?? true) && claims.nonce === undefined) throw new EatMissingClaim('TEEP EAT profile: eat_nonce (10) is required with nonce freshness');
  const ueid = claims.ueid as Uint8Array;
  const lengths = UEID_LENGTHS[ueid[0] as number];
  if (lengths === undefined || !lengths.includes(ueid.length)) {
    throw new EatInvalidClaim(`ueid: type 0x${(ueid[0] ?? 0).toString(16)} with ${ueid.length} bytes is not a valid UEID`);
  }
  if (!claims.cnf || !('kid' in claims.cnf)) throw new EatInvalidClaim('cnf: the TEEP EAT profile identifies the key by kid (3)');
  for (const m of claims.manifests ?? []) decodeSuitReference(m.body);
  if (claims.extra?.some(([, v]) => hasTag(v))) throw new EatInvalidClaim('TEEP EAT profile: CBOR tags are not used inside the claims');
}
