/**
 * COSE_Mac with recipients (RFC 9052 §6.1): the MAC key travels like a CEK (direct, AES-KW,
 * ECDH-ES). Create and verify.
 *
 * ```cddl
 * COSE_Mac_Tagged = #6.97(COSE_Mac)
 * COSE_Mac = [
 *    Headers,
 *    payload : bstr / nil,
 *    tag : bstr,
 *    recipients : [+COSE_recipient]
 * ]
 * ```
 */
import type { CborValue } from '../wire/cbor-value.js';
import { COSE_ALG, getAlgorithm, type MacAlgorithm, type RecipientAlgorithm } from './algorithms.js';
import type { ProviderOption } from './crypto-provider.js';
import { COSE_HEADER, buildHeaders, decodeHeaders, encodeProtected, headerValue, type CoseHeaders, type HeaderDecodeOptions, type HeaderInput } from './headers.js';
import { attachedOrDetached, decodeMessage, encodeMessage, type MessageDecodeOptions } from './message.js';
import { encodeMacStructure } from './sig-structure.js';
import type { KeyInput } from './signer.js';
import { chooseAlg, type VerifyOptions } from './sign1.js';
import { computeMac } from './mac0.js';
import type { RecipientOptions } from './recipient.js';
import { createRecipients, decodeRecipients, useRecipients } from './recipient-list.js';
import type { KdfContextOptions } from './kdf-context.js';
import { timingSafeEqual } from './bytes.js';
import { CoseMacInvalid, CoseMalformed, CoseUnsupportedAlg } from './errors.js';
import { webCryptoProvider } from './webcrypto-provider.js';

export interface CreateMacOptions extends ProviderOption {
  payload: Uint8Array;
  /** MAC algorithm id; default the alg header, else HMAC 256/256. */
  alg?: number;
  recipients: readonly RecipientOptions[];
  /** MAC key; default random (or derived, for a direct recipient). */
  macKey?: Uint8Array;
  protectedHeaders?: HeaderInput;
  unprotectedHeaders?: HeaderInput;
  externalAad?: Uint8Array;
  detached?: boolean;
  tagged?: boolean;
}

export interface VerifyMacOptions extends VerifyOptions {
  kdf?: KdfContextOptions;
}

export interface VerifyMacResult {
  headers: CoseHeaders;
  alg: MacAlgorithm;
  payload: Uint8Array;
  detached: boolean;
  recipient: { index: number; headers: CoseHeaders; alg: RecipientAlgorithm };
}

/** MACs `payload` into a COSE_Mac for each recipient. */
export async function createMac(options: CreateMacOptions): Promise<Uint8Array> {
  const { payload, externalAad = new Uint8Array(0), provider = webCryptoProvider } = options;
  const alg = getAlgorithm(chooseAlg(options.alg, options.protectedHeaders, options.unprotectedHeaders, () => COSE_ALG['HMAC 256/256']), 'mac');
  const { items, cek } = await createRecipients(provider, alg, options.macKey, options.recipients);
  const h = buildHeaders(options.protectedHeaders, options.unprotectedHeaders, { protected: [[COSE_HEADER.alg, alg.id]] });
  const protectedBytes = encodeProtected(h.protected);
  const tag = await computeMac(provider, alg, cek, encodeMacStructure('MAC', protectedBytes, externalAad, payload));
  return encodeMessage('COSE_Mac', [protectedBytes, h.unprotected as CborValue, options.detached ? null : payload, tag, items], options.tagged ?? true);
}

/** Decodes a COSE_Mac without verifying it. */
export function decodeMac(bytes: Uint8Array, options: HeaderDecodeOptions & MessageDecodeOptions = {}) {
  const [p, u, payload, tag, recipients] = decodeMessage(bytes, 'COSE_Mac', 5, options);
  const headers = decodeHeaders(p, u, options);
  if (payload !== null && !(payload instanceof Uint8Array)) throw new CoseMalformed('COSE_Mac payload must be a bstr or nil');
  if (!(tag instanceof Uint8Array)) throw new CoseMalformed('COSE_Mac tag must be a bstr');
  return { headers, payload: payload as Uint8Array | null, tag, recipients: decodeRecipients(recipients, options) };
}

/** Verifies a COSE_Mac through a recipient the key serves; ERR_COSE_MAC_INVALID on a wrong tag. */
export async function verifyMac(bytes: Uint8Array, key: KeyInput, options: VerifyMacOptions = {}): Promise<VerifyMacResult> {
  const { provider = webCryptoProvider, externalAad = new Uint8Array(0) } = options;
  const { headers, payload: slot, tag, recipients } = decodeMac(bytes, options);
  const id = headerValue(headers, COSE_HEADER.alg);
  if (id === undefined) throw new CoseMalformed('alg header missing');
  const alg = getAlgorithm(id, 'mac');
  if (options.algorithms && !options.algorithms.includes(alg.id)) throw new CoseUnsupportedAlg(`algorithm ${alg.name} not accepted here`);
  const payload = attachedOrDetached(slot, options.detachedPayload, 'COSE_Mac', 'payload');
  const data = encodeMacStructure('MAC', headers.protectedBytes, externalAad, payload.bytes);
  return useRecipients(provider, alg, recipients, key, options.kdf, async (macKey, index, ralg) => {
    if (!timingSafeEqual(await computeMac(provider, alg, macKey, data), tag)) throw new CoseMacInvalid();
    return { headers, alg, payload: payload.bytes, detached: payload.detached, recipient: { index, headers: recipients[index]!.headers, alg: ralg } };
  });
}
