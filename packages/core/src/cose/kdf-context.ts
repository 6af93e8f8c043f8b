/**
 * COSE_KDF_Context (RFC 9053 §5.2), the HKDF `info` of the ECDH-ES algorithms (RFC 9053 §6.3.1).
 *
 * ```cddl
 * PartyInfo = (
 *     identity : bstr / nil,
 *     nonce : bstr / int / nil,
 *     other : bstr / nil
 * )
 * COSE_KDF_Context = [
 *     AlgorithmID : int / tstr,
 *     PartyUInfo : [ PartyInfo ],
 *     PartyVInfo : [ PartyInfo ],
 *     SuppPubInfo : [
 *         keyDataLength : uint,
 *         protected : empty_or_serialized_map,
 *         ? other : bstr
 *     ],
 *     ? SuppPrivInfo : bstr
 * ]
 * ```
 * AlgorithmID is the algorithm the derived key is used with: the key-wrap algorithm (A128KW, -3)
 * for ECDH-ES+A128KW, NOT -29; the content algorithm for direct key agreement.
 */
import { encodeCbor } from '../wire/cbor.js';
import type { CborValue } from '../wire/cbor-value.js';
import { COSE_HEADER, headerValue, type CoseHeaders } from './headers.js';
import { CoseMalformed } from './errors.js';

export interface PartyInfo {
  identity?: Uint8Array | null;
  nonce?: Uint8Array | number | null;
  other?: Uint8Array | null;
}

/** What the application supplies to the KDF context beyond the headers. */
export interface KdfContextOptions {
  /** SuppPubInfo.other, e.g. SUIT's 'SUIT Payload Encryption' (a string is taken as its UTF-8 bytes). */
  suppPubOther?: Uint8Array | string;
  suppPrivInfo?: Uint8Array;
  /** Override/extend the PartyU/PartyV fields taken from the headers (-21..-26). */
  partyU?: PartyInfo;
  partyV?: PartyInfo;
}

function party(headers: CoseHeaders, labels: readonly [number, number, number], override: PartyInfo | undefined): CborValue[] {
  const [identity, nonce, other] = labels.map((l) => headerValue(headers, l) ?? null);
  if (!(identity === null || identity instanceof Uint8Array)) throw new CoseMalformed('PartyInfo identity must be a bstr');
  if (!(nonce === null || nonce instanceof Uint8Array || typeof nonce === 'number')) throw new CoseMalformed('PartyInfo nonce must be a bstr or int');
  if (!(other === null || other instanceof Uint8Array)) throw new CoseMalformed('PartyInfo other must be a bstr');
  return [override?.identity ?? identity, override?.nonce ?? nonce, override?.other ?? other];
}

/** Encodes the context for a recipient whose protected bstr was `headers.protectedBytes`. */
export function encodeKdfContext(algorithmId: number, keyDataLengthBytes: number, headers: CoseHeaders, options: KdfContextOptions = {}): Uint8Array {
  const suppPub: CborValue[] = [keyDataLengthBytes * 8, headers.protectedBytes];
  const other = options.suppPubOther;
  if (other !== undefined) suppPub.push(typeof other === 'string' ? new TextEncoder().encode(other) : other);
  const ctx: CborValue[] = [
    algorithmId,
    party(headers, [COSE_HEADER.partyUIdentity, COSE_HEADER.partyUNonce, COSE_HEADER.partyUOther], options.partyU),
    party(headers, [COSE_HEADER.partyVIdentity, COSE_HEADER.partyVNonce, COSE_HEADER.partyVOther], options.partyV),
    suppPub,
  ];
  if (options.suppPrivInfo !== undefined) ctx.push(options.suppPrivInfo);
  return encodeCbor(ctx);
}
