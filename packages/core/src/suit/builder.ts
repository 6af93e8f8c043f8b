/**
 * Building a SUIT manifest from a typed description (the CLI's SPEC.json, documented in docs/suit.md).
 *
 * The manifest follows the shapes of the TEEP App. E and suit-manifest-37 examples:
 *   common.shared-sequence: per component, override-parameters {vendor-id, class-id, image-digest,
 *     image-size} then condition-vendor-identifier / condition-class-identifier (reporting policy 15);
 *   install: per component, either fetch from `uri` (or the integrated "#key") then image-match, or,
 *     for an encrypted payload, write of parameter-content with parameter-encryption-info, then image-match;
 *   validate: image-match per component; invoke: directive-invoke for components marked `invoke`.
 */
import { encodeCbor } from '../wire/cbor.js';
import type { CborMap, CborValue } from '../wire/cbor-value.js';
import type { CoseKey } from '../cose/key.js';
import { computeDigest, encodeDigest } from './digest.js';
import { encryptPayload } from './encryption.js';
import { SuitInvalidSpec } from './errors.js';
import { SUIT_COMMAND as C, SUIT_COMMON, SUIT_DIGEST_ALG, SUIT_MANIFEST as M, SUIT_PARAMETER as P, SUIT_TEXT } from './labels.js';
import { signEnvelope } from './sign-envelope.js';

/** One component of a SPEC.json. Identifier elements: text, or "hex:..." for bytes. */
export interface SuitComponentSpec {
  readonly id: readonly string[];
  /** RFC 4122 UUID ("fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe") or 32 hex digits. */
  readonly vendorId?: string;
  readonly classId?: string;
  /** Where the device fetches the payload; without it the payload is integrated under `integratedKey`. */
  readonly uri?: string;
  /** Integrated payload key, default "#<index>" (e.g. "#tc"). */
  readonly integratedKey?: string;
  /** Digest (hex SHA-256) and size, when the payload itself is not given to the builder. */
  readonly imageDigest?: string;
  readonly imageSize?: number;
  readonly invoke?: boolean;
  readonly invokeArgs?: string;
}

export interface SuitManifestSpec {
  readonly sequenceNumber: number;
  readonly components: readonly SuitComponentSpec[];
  readonly manifestComponentId?: readonly string[];
  readonly referenceUri?: string;
  /** suit-text manifest-description (language "en"). */
  readonly description?: string;
}

export interface BuildEnvelopeOptions {
  /** Payload of each component (by index); required for integrated or encrypted components. */
  readonly payloads?: readonly (Uint8Array | undefined)[];
  readonly key: CoseKey;
  readonly alg?: number;
  readonly x5chain?: readonly Uint8Array[];
  /** Encrypt every given payload to this recipient (ECDH-ES+A128KW public key, or an A128KW KEK). */
  readonly encryptTo?: CoseKey;
  /** Content algorithm for encryption: A128GCM (1, default) or A128CTR (-65534). */
  readonly contentAlg?: number;
}

function parseIdPart(s: string): Uint8Array {
  if (s.startsWith('hex:')) return parseHex(s.slice(4), 'component identifier');
  return new TextEncoder().encode(s);
}

function parseHex(s: string, what: string): Uint8Array {
  const h = s.replace(/-/g, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(h)) throw new SuitInvalidSpec(`${what}: not hex`);
  return new Uint8Array(h.match(/../g)?.map((x) => parseInt(x, 16)) ?? []);
}

function parseUuid(s: string, what: string): Uint8Array {
  const b = parseHex(s, what);
  if (b.length !== 16) throw new SuitInvalidSpec(`${what}: expected a 16-byte UUID`);
  return b;
}

/** Checks a parsed SPEC.json; every problem is SuitInvalidSpec. */
export function checkManifestSpec(spec: unknown): SuitManifestSpec {
  const s = spec as SuitManifestSpec;
  if (typeof s !== 'object' || s === null) throw new SuitInvalidSpec('spec must be a JSON object');
  if (!Number.isSafeInteger(s.sequenceNumber) || s.sequenceNumber < 0) throw new SuitInvalidSpec('sequenceNumber must be a non-negative integer');
  if (!Array.isArray(s.components) || s.components.length === 0) throw new SuitInvalidSpec('components must be a non-empty array');
  for (const [i, c] of s.components.entries()) {
    if (!Array.isArray(c?.id) || !c.id.every((x: unknown) => typeof x === 'string')) throw new SuitInvalidSpec(`components[${i}].id must be an array of strings`);
    for (const k of ['vendorId', 'classId', 'uri', 'integratedKey', 'imageDigest', 'invokeArgs'] as const) {
      if (c[k] !== undefined && typeof c[k] !== 'string') throw new SuitInvalidSpec(`components[${i}].${k} must be a string`);
    }
    if (c.integratedKey !== undefined && !c.integratedKey.startsWith('#')) throw new SuitInvalidSpec(`components[${i}].integratedKey must start with "#"`);
    if (c.imageSize !== undefined && (!Number.isSafeInteger(c.imageSize) || c.imageSize < 0)) throw new SuitInvalidSpec(`components[${i}].imageSize must be a non-negative integer`);
  }
  if (s.manifestComponentId !== undefined && !(Array.isArray(s.manifestComponentId) && s.manifestComponentId.every((x) => typeof x === 'string'))) {
    throw new SuitInvalidSpec('manifestComponentId must be an array of strings');
  }
  if (s.referenceUri !== undefined && typeof s.referenceUri !== 'string') throw new SuitInvalidSpec('referenceUri must be a string');
  if (s.description !== undefined && typeof s.description !== 'string') throw new SuitInvalidSpec('description must be a string');
  return s;
}

const seq = (items: CborValue[]): Uint8Array => encodeCbor(items);
const params = (entries: [number, CborValue][]): CborMap => new Map<CborValue, CborValue>(entries);

/** Builds, optionally encrypts, and signs an envelope from a spec. */
export async function buildEnvelope(specInput: unknown, options: BuildEnvelopeOptions): Promise<Uint8Array> {
  const spec = checkManifestSpec(specInput);
  const many = spec.components.length > 1;
  const shared: CborValue[] = [];
  const install: CborValue[] = [];
  const validate: CborValue[] = [];
  const invoke: CborValue[] = [];
  const integrated = new Map<string, Uint8Array>();
  for (const [i, c] of spec.components.entries()) {
    const payload = options.payloads?.[i];
    const idx = many ? [C.setComponentIndex, i] : [];
    let digest: Uint8Array;
    let size: number;
    if (payload) {
      digest = encodeDigest(await computeDigest(SUIT_DIGEST_ALG.sha256, payload));
      size = payload.length;
    } else {
      if (c.imageDigest === undefined || c.imageSize === undefined) throw new SuitInvalidSpec(`component ${i}: give its payload, or imageDigest and imageSize`);
      digest = encodeDigest({ algorithmId: SUIT_DIGEST_ALG.sha256, bytes: parseHex(c.imageDigest, 'imageDigest') });
      size = c.imageSize;
    }
    const p = params([[P.imageDigest, digest], [P.imageSize, size]]);
    if (c.vendorId) p.set(P.vendorIdentifier, parseUuid(c.vendorId, 'vendorId'));
    if (c.classId) p.set(P.classIdentifier, parseUuid(c.classId, 'classId'));
    shared.push(...idx, C.overrideParameters, new Map([...p].sort(([a], [b]) => Number(a) - Number(b))));
    if (c.vendorId) shared.push(C.vendorIdentifier, 15);
    if (c.classId) shared.push(C.classIdentifier, 15);
    if (options.encryptTo) {
      if (!payload) throw new SuitInvalidSpec(`component ${i}: encryption needs the payload`);
      const enc = await encryptPayload(payload, { recipient: options.encryptTo, ...(options.contentAlg !== undefined ? { contentAlg: options.contentAlg } : {}) });
      install.push(...idx, C.overrideParameters, params([[P.content, enc.ciphertext], [P.encryptionInfo, enc.encryptionInfo]]), C.write, 15, C.imageMatch, 15);
    } else {
      const uri = c.uri ?? c.integratedKey ?? `#${i}`;
      if (uri.startsWith('#')) {
        if (!payload) throw new SuitInvalidSpec(`component ${i}: an integrated payload needs the payload`);
        integrated.set(uri, payload);
      }
      install.push(...idx, C.overrideParameters, params([[P.uri, uri]]), C.fetch, 2, C.imageMatch, 15);
    }
    validate.push(...idx, C.imageMatch, 15);
    if (c.invoke) {
      invoke.push(...idx);
      if (c.invokeArgs !== undefined) invoke.push(C.overrideParameters, params([[P.invokeArgs, new TextEncoder().encode(c.invokeArgs)]]));
      invoke.push(C.invoke, 2);
    }
  }
  const common = params([[SUIT_COMMON.components, spec.components.map((c) => c.id.map(parseIdPart))], [SUIT_COMMON.sharedSequence, seq(shared)]]);
  const manifest = params([
    [M.version, 1],
    [M.sequenceNumber, spec.sequenceNumber],
    [M.common, encodeCbor(common, { deterministic: true })],
  ]);
  if (spec.referenceUri !== undefined) manifest.set(M.referenceUri, spec.referenceUri);
  if (spec.manifestComponentId) manifest.set(M.manifestComponentId, spec.manifestComponentId.map(parseIdPart));
  manifest.set(M.validate, seq(validate));
  if (invoke.length) manifest.set(M.invoke, seq(invoke));
  manifest.set(M.install, seq(install));
  if (spec.description !== undefined) {
    manifest.set(M.text, encodeCbor(new Map([['en', new Map([[SUIT_TEXT.manifestDescription, spec.description]])]])));
  }
  return signEnvelope({
    manifest: encodeCbor(manifest, { deterministic: true }),
    integrated,
    key: options.key,
    ...(options.alg !== undefined ? { alg: options.alg } : {}),
    ...(options.x5chain ? { x5chain: options.x5chain } : {}),
  });
}
