/**
 * Assembling and signing a SUIT_Envelope (draft-ietf-suit-manifest-37 §8.2-8.3): the SUIT_Digest of
 * the bstr-wrapped manifest, one COSE_Sign1 over it with a detached payload, deterministic map order,
 * tag 107. A signer re-computes the digest from the bytes it signs (§8.3: no TOCTOU).
 */
import { encodeCbor } from '../wire/cbor.js';
import { CborTag, type CborMap, type CborValue } from '../wire/cbor-value.js';
import { createSign1 } from '../cose/sign1.js';
import { COSE_HEADER } from '../cose/headers.js';
import { encodeX5chain } from '../cose/x5.js';
import type { CoseKey } from '../cose/key.js';
import { bstrWrap } from './cbor-util.js';
import { computeDigest, encodeDigest } from './digest.js';
import { SUIT_DIGEST_ALG, SUIT_ENVELOPE, SUIT_TAG } from './labels.js';
import { SuitInvalidSpec } from './errors.js';

export interface AssembleEnvelopeOptions {
  /** Encoded SUIT_Manifest. */
  readonly manifest: Uint8Array;
  /** Encoded authentication blocks (tagged COSE structures); none = unsigned (digest only). */
  readonly authenticationBlocks?: readonly Uint8Array[];
  /** Integrated payloads / dependencies by text key ("#tc"). */
  readonly integrated?: ReadonlyMap<string, Uint8Array>;
  /** Severed members by manifest key (their digests must already be in the manifest). */
  readonly severed?: ReadonlyMap<number, Uint8Array>;
  readonly tagged?: boolean;
}

/** The encoded SUIT_Digest (SHA-256) of an encoded manifest: the detached payload to sign. */
export async function manifestDigestBytes(manifest: Uint8Array): Promise<Uint8Array> {
  return encodeDigest(await computeDigest(SUIT_DIGEST_ALG.sha256, bstrWrap(manifest)));
}

/** Builds an envelope around a manifest (deterministic map order, tag 107 by default). */
export async function assembleEnvelope(options: AssembleEnvelopeOptions): Promise<Uint8Array> {
  const wrapper = encodeCbor([await manifestDigestBytes(options.manifest), ...(options.authenticationBlocks ?? [])]);
  const env: CborMap = new Map<CborValue, CborValue>([
    [SUIT_ENVELOPE.authenticationWrapper, wrapper],
    [SUIT_ENVELOPE.manifest, options.manifest],
  ]);
  for (const [k, v] of options.severed ?? []) env.set(k, v);
  for (const [k, v] of options.integrated ?? []) env.set(k, v);
  const value = options.tagged === false ? env : new CborTag(SUIT_TAG.envelope, env);
  return encodeCbor(value, { deterministic: true });
}

export interface SignEnvelopeOptions extends Omit<AssembleEnvelopeOptions, 'authenticationBlocks'> {
  /** Private signing key (P-256 or Ed25519). */
  readonly key: CoseKey;
  /** COSE algorithm; default ESP256 (-9) for P-256, Ed25519 (-19) for Ed25519 keys (suit-mti profiles). */
  readonly alg?: number;
  /** Signer certificate chain (DER, leaf first), put in a protected x5chain header (RFC 9360). */
  readonly x5chain?: readonly Uint8Array[];
}

/** Signs a manifest with COSE_Sign1 (detached SUIT_Digest payload) and assembles the envelope. */
export async function signEnvelope(options: SignEnvelopeOptions): Promise<Uint8Array> {
  const { key } = options;
  const alg = options.alg ?? (key.crv === 'P-256' ? -9 : key.crv === 'Ed25519' ? -19 : undefined);
  if (alg === undefined) throw new SuitInvalidSpec('signing key must be P-256 or Ed25519 (or give alg)');
  const protectedHeaders = new Map<number, CborValue>([[COSE_HEADER.alg, alg]]);
  if (options.x5chain?.length) protectedHeaders.set(COSE_HEADER.x5chain, encodeX5chain(options.x5chain));
  const block = await createSign1({
    payload: await manifestDigestBytes(options.manifest),
    key,
    alg,
    protectedHeaders,
    detached: true,
    tagged: true,
  });
  return assembleEnvelope({ ...options, authenticationBlocks: [block] });
}
