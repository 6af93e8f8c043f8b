/**
 * The to-be-signed / to-be-MACed / AAD structures of RFC 9052 §4.4, §6.3 and §5.3. All are built
 * over the RECEIVED protected bstr (`bodyProtected`, `signProtected`), never over a re-encoding.
 *
 * ```cddl
 * Sig_structure = [
 *     context : "Signature" / "Signature1",
 *     body_protected : empty_or_serialized_map,
 *     ? sign_protected : empty_or_serialized_map,
 *     external_aad : bstr,
 *     payload : bstr
 * ]
 * MAC_structure = [
 *     context : "MAC" / "MAC0",
 *     protected : empty_or_serialized_map,
 *     external_aad : bstr,
 *     payload : bstr
 * ]
 * Enc_structure = [
 *     context : "Encrypt" / "Encrypt0" / "Enc_Recipient" /
 *         "Mac_Recipient" / "Rec_Recipient",
 *     protected : empty_or_serialized_map,
 *     external_aad : bstr
 * ]
 * ```
 */
import { encodeCbor } from '../wire/cbor.js';

/** Sig_structure for COSE_Sign1 (`signProtected` undefined) or one COSE_Signature of COSE_Sign. */
export function encodeSigStructure(bodyProtected: Uint8Array, signProtected: Uint8Array | undefined, externalAad: Uint8Array, payload: Uint8Array): Uint8Array {
  return signProtected === undefined
    ? encodeCbor(['Signature1', bodyProtected, externalAad, payload])
    : encodeCbor(['Signature', bodyProtected, signProtected, externalAad, payload]);
}

/** MAC_structure (RFC 9052 §6.3). */
export function encodeMacStructure(context: 'MAC' | 'MAC0', protectedBytes: Uint8Array, externalAad: Uint8Array, payload: Uint8Array): Uint8Array {
  return encodeCbor([context, protectedBytes, externalAad, payload]);
}

/** Enc_structure (RFC 9052 §5.3), the AAD of the AEAD. */
export function encodeEncStructure(
  context: 'Encrypt' | 'Encrypt0' | 'Enc_Recipient' | 'Mac_Recipient' | 'Rec_Recipient',
  protectedBytes: Uint8Array,
  externalAad: Uint8Array,
): Uint8Array {
  return encodeCbor([context, protectedBytes, externalAad]);
}
