/**
 * The OTrP TA package: what the TAM stores as the `manifest` of a trusted component of format
 * `otrp-ta`. OTrP -03 does not define how a TA reaches the TAM (§9.3: "the TA binary format is TEE
 * specific"), so this is our format: UTF-8 JSON naming where the TA goes (Service Provider and
 * Security Domain, §5.3), the SP certificate the SD is created with (CreateSD `spcert`, §9.2.1.1),
 * the TA's version, and the TA binary and personalization data that InstallTA/UpdateTA encrypt to the
 * TEE SP AIK.
 *
 *   { "spid": tstr, "sdname": tstr, "taid": tstr, "taname"?: tstr, "version"?: uint (>= 1),
 *     "spcert": BASE64 DER, "binary": BASE64, "pdata"?: BASE64 }
 *
 * The component id of the TC is the UTF-8 of `taid`, so the inventory row and the DSI talist agree.
 * `version` becomes the TC's sequence number (a higher one is an UpdateTA, §9.3.2); a package without
 * it (written before the member existed) is version 1.
 *
 * Decoding is strict and bounded (TA_PACKAGE_LIMITS): one flat JSON object, no unknown member, ids
 * without control characters. The TA binary and personalization data together are kept under 2 MiB
 * so that the InstallTA request that carries them (BASE64 inside a BASE64URL JWS payload, 16/9 of the
 * bytes) stays below the 4 MiB OTrP message limit of core's parser (otrp/json.ts).
 */
import { decodeBase64Lenient, encodeBase64, parseOtrpJson } from '@otrp/core';
import { TamOtrpTaPackageInvalid } from './errors.js';

export interface OtrpTaPackage {
  spid: string;
  sdname: string;
  taid: string;
  taname?: string;
  /** The TA's version, integer >= 1 (absent: 1); the TC's sequence number. */
  version?: number;
  spcert: Uint8Array;
  binary: Uint8Array;
  pdata?: Uint8Array;
}

export const OTRP_TA_FORMAT = 'otrp-ta' as const;

/** The media type of a TA package upload (`POST /admin/v1/tcs`). */
export const OTRP_TA_MEDIA_TYPE = 'application/vnd.otrp-ta+json' as const;

export const TA_PACKAGE_LIMITS = Object.freeze({
  /** The whole package, in bytes of UTF-8. */
  maxBytes: 3 * 1024 * 1024,
  /** spid, sdname, taid, taname: characters. */
  maxIdLength: 256,
  /** The SP certificate (DER). */
  maxCertBytes: 16 * 1024,
  /** TA binary + personalization data, decoded. */
  maxPayloadBytes: 2 * 1024 * 1024,
});

export function encodeOtrpTaPackage(p: OtrpTaPackage): Uint8Array {
  const doc: Record<string, string | number> = { spid: p.spid, sdname: p.sdname, taid: p.taid };
  if (p.taname !== undefined) doc['taname'] = p.taname;
  if (p.version !== undefined) doc['version'] = p.version;
  doc['spcert'] = encodeBase64(p.spcert);
  doc['binary'] = encodeBase64(p.binary);
  if (p.pdata !== undefined) doc['pdata'] = encodeBase64(p.pdata);
  return new TextEncoder().encode(JSON.stringify(doc));
}

const KEYS = new Set(['spid', 'sdname', 'taid', 'taname', 'version', 'spcert', 'binary', 'pdata']);
const CONTROL = /[\u0000-\u001f\u007f]/;

export function decodeOtrpTaPackage(bytes: Uint8Array): OtrpTaPackage {
  const L = TA_PACKAGE_LIMITS;
  if (bytes.length > L.maxBytes) throw new TamOtrpTaPackageInvalid(`the TA package is larger than ${L.maxBytes} bytes`);
  let doc: unknown;
  try {
    // Flat object: depth 1, a handful of members; strings bounded by the size check above.
    doc = parseOtrpJson(bytes, { maxBytes: L.maxBytes, maxDepth: 1, maxMembers: 16 });
  } catch (cause) {
    throw new TamOtrpTaPackageInvalid('the TA package is not one flat UTF-8 JSON object', { cause });
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new TamOtrpTaPackageInvalid('the TA package must be a JSON object');
  const o = doc as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!KEYS.has(k)) throw new TamOtrpTaPackageInvalid(`unknown TA package member ${k.slice(0, 64)}`);
  const text = (k: string, optional = false): string | undefined => {
    const v = o[k];
    if (v === undefined && optional) return undefined;
    if (typeof v !== 'string' || v.length === 0) throw new TamOtrpTaPackageInvalid(`TA package member ${k} must be a non-empty string`);
    return v;
  };
  const id = (k: string, optional = false): string | undefined => {
    const v = text(k, optional);
    if (v !== undefined && (v.length > L.maxIdLength || CONTROL.test(v))) {
      throw new TamOtrpTaPackageInvalid(`TA package member ${k} must be at most ${L.maxIdLength} characters without control characters`);
    }
    return v;
  };
  const bin = (k: string, optional = false): Uint8Array | undefined => {
    const v = text(k, optional);
    if (v === undefined) return undefined;
    try {
      return decodeBase64Lenient(v);
    } catch (cause) {
      throw new TamOtrpTaPackageInvalid(`TA package member ${k} is not BASE64`, { cause });
    }
  };
  const version = o['version'];
  if (version !== undefined && (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1)) {
    throw new TamOtrpTaPackageInvalid('TA package member version must be an integer from 1 to 2^53-1');
  }
  const taname = id('taname', true);
  const spcert = bin('spcert')!;
  if (spcert.length > L.maxCertBytes) throw new TamOtrpTaPackageInvalid(`the SP certificate is larger than ${L.maxCertBytes} bytes`);
  const binary = bin('binary')!;
  const pdata = bin('pdata', true);
  if (binary.length + (pdata?.length ?? 0) > L.maxPayloadBytes) {
    throw new TamOtrpTaPackageInvalid(`the TA binary and personalization data are larger than ${L.maxPayloadBytes} bytes together`);
  }
  return {
    spid: id('spid')!, sdname: id('sdname')!, taid: id('taid')!, spcert, binary,
    ...(taname !== undefined && { taname }), ...(version !== undefined && { version: version as number }), ...(pdata !== undefined && { pdata }),
  };
}

/** The TA's version: the package's `version`, 1 for a package without one. */
export function taPackageVersion(p: OtrpTaPackage): number {
  return p.version ?? 1;
}

/** The TC component id of a TA: the UTF-8 of its taid. */
export function taComponentId(taid: string): Uint8Array {
  return new TextEncoder().encode(taid);
}
