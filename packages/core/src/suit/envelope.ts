/**
 * SUIT_Envelope (draft-ietf-suit-manifest-37 §8.2; trust-domains-12 §4, §9.1 add integrated dependencies
 * and the severable dependency-resolution / candidate-verification members).
 *
 * ```cddl
 * SUIT_Envelope_Tagged = #6.107(SUIT_Envelope)
 * SUIT_Envelope = {
 *   suit-authentication-wrapper => bstr .cbor SUIT_Authentication,
 *   suit-manifest  => bstr .cbor SUIT_Manifest,
 *   SUIT_Severable_Manifest_Members,
 *   * SUIT_Integrated_Payload,
 *   * $$SUIT_Envelope_Extensions,
 * }
 * SUIT_Authentication = [
 *     bstr .cbor SUIT_Digest,
 *     * bstr .cbor SUIT_Authentication_Block
 * ]
 * SUIT_Integrated_Payload = (suit-integrated-payload-key => bstr)
 * $$SUIT_Envelope_Extensions //= (suit-integrated-dependency-key => bstr .cbor SUIT_Envelope)
 * ```
 *
 * The decoder keeps the received bytes: the manifest digest covers the bstr-wrapped manifest
 * (header included) and each signature covers the received SUIT_Digest bytes.
 */
import { bstrWrap, decodeSuitCbor, expectArray, expectBytes, expectMap, untag } from './cbor-util.js';
import { decodeDigestBytes, type SuitDigest } from './digest.js';
import { SuitMalformed } from './errors.js';
import { SUIT_ENVELOPE, SUIT_SEVERABLE, SUIT_TAG } from './labels.js';

export interface SuitEnvelope {
  /** True when the envelope carried CBOR tag 107. */
  readonly tagged: boolean;
  /** Encoded SUIT_Digest as received (the detached COSE payload). */
  readonly digestBytes: Uint8Array;
  readonly digest: SuitDigest;
  /** Each authentication block as received (bstr content: a tagged COSE_Sign1/Mac0/Sign/Mac). */
  readonly authenticationBlocks: readonly Uint8Array[];
  /** The manifest bstr including its CBOR header: what the SUIT_Digest covers. */
  readonly manifestBstr: Uint8Array;
  /** The manifest bytes (bstr content). */
  readonly manifestBytes: Uint8Array;
  /** Severed members carried in the envelope, by manifest key: bstr with header (digest input) and content. */
  readonly severed: ReadonlyMap<number, { readonly bstr: Uint8Array; readonly content: Uint8Array }>;
  /** Integrated payloads and integrated dependencies, by text key ("#tc"). */
  readonly integrated: ReadonlyMap<string, Uint8Array>;
}

/** Decodes a SUIT_Envelope (tag 107 optional). Throws SuitMalformed on any structural problem. */
export function decodeEnvelope(bytes: Uint8Array): SuitEnvelope {
  const { value, tagged } = untag(decodeSuitCbor(bytes, 'SUIT_Envelope'), SUIT_TAG.envelope, 'SUIT_Envelope');
  const map = expectMap(value, 'SUIT_Envelope');
  let wrapper: Uint8Array | undefined;
  let manifest: Uint8Array | undefined;
  const severed = new Map<number, { bstr: Uint8Array; content: Uint8Array }>();
  const integrated = new Map<string, Uint8Array>();
  for (const [k, v] of map) {
    if (typeof k === 'string') {
      integrated.set(k, expectBytes(v, `integrated payload ${JSON.stringify(k)}`));
    } else if (k === SUIT_ENVELOPE.authenticationWrapper) {
      wrapper = expectBytes(v, 'suit-authentication-wrapper');
    } else if (k === SUIT_ENVELOPE.manifest) {
      manifest = expectBytes(v, 'suit-manifest');
    } else if (typeof k === 'number' && SUIT_SEVERABLE.includes(k)) {
      const content = expectBytes(v, `severed member ${k}`);
      severed.set(k, { bstr: bstrWrap(content), content });
    } else if (typeof k === 'number' && Number.isInteger(k)) {
      // $$SUIT_Envelope_Extensions (e.g. delegation, 1): not needed to process; ignored.
    } else {
      throw new SuitMalformed('SUIT_Envelope: keys must be integers or text');
    }
  }
  if (!wrapper) throw new SuitMalformed('SUIT_Envelope: missing suit-authentication-wrapper');
  if (!manifest) throw new SuitMalformed('SUIT_Envelope: missing suit-manifest');
  const auth = expectArray(decodeSuitCbor(wrapper, 'SUIT_Authentication'), 'SUIT_Authentication');
  if (auth.length < 1) throw new SuitMalformed('SUIT_Authentication: missing digest');
  const digestBytes = expectBytes(auth[0]!, 'SUIT_Authentication digest');
  const blocks = auth.slice(1).map((b) => expectBytes(b, 'SUIT_Authentication_Block'));
  return {
    tagged,
    digestBytes,
    digest: decodeDigestBytes(digestBytes, 'SUIT_Authentication digest'),
    authenticationBlocks: blocks,
    manifestBstr: bstrWrap(manifest),
    manifestBytes: manifest,
    severed,
    integrated,
  };
}
