/**
 * The COSE layer around a TEEP message (draft-ietf-teep-protocol-26 §4.1, §8.1): a COSE_Sign1
 * (sent tagged, accepted tagged or untagged) or, for the first QueryRequest, a COSE_Sign with one
 * signature per offered suite. The payload is the bare TEEP message.
 *
 * `openTeepMessage` parses that layer without verifying it (for inspection and to read kid/x5chain
 * before choosing a key); `verifyTeepMessage` runs validation steps 1-5 of -26 §4.1.2 in order:
 * CBOR, COSE structure, understood headers, signature, then the TEEP message itself.
 */
import { decodeCbor } from '../wire/cbor.js';
import { CborTag, type CborValue } from '../wire/cbor-value.js';
import { decodeSign1Item, verifyDecodedSign1, type DecodedSign1, type VerifySign1Result } from '../cose/sign1.js';
import { decodeSignItem, verifyDecodedSign, type DecodedSign, type VerifySignResult } from '../cose/sign.js';
import { COSE_TAG } from '../cose/message.js';
import type { CoseHeaders } from '../cose/headers.js';
import type { KeyInput } from '../cose/signer.js';
import type { CryptoProvider } from '../cose/crypto-provider.js';
import { TeepMalformedMessage } from './errors.js';
import { decodeTeepMessage, type TeepMessage } from './messages/teep-message.js';
import type { TeepCodecOptions } from './messages/framework.js';

export type TeepWrapper = 'none' | 'COSE_Sign1' | 'COSE_Sign';

export interface OpenedTeepMessage {
  /** `none` for a bare (unsigned) message. */
  readonly wrapper: TeepWrapper;
  readonly tagged: boolean;
  /** Body headers of the COSE object. */
  readonly headers?: CoseHeaders;
  /** COSE_Sign: the headers of each signature. */
  readonly signers?: readonly CoseHeaders[];
  /** The TEEP message bytes (the COSE payload, or the input itself). */
  readonly payload: Uint8Array;
  /** The COSE structure as decoded here, for verifyDecodedSign1 / verifyDecodedSign (no second decode). */
  readonly decoded?: DecodedSign1 | DecodedSign;
}

/** Which structure `bytes` holds; fails only with TeepMalformedMessage or COSE errors. */
export function openTeepMessage(bytes: Uint8Array): OpenedTeepMessage {
  let item: CborValue;
  try {
    item = decodeCbor(bytes);
  } catch (e) {
    throw new TeepMalformedMessage('not a well-formed CBOR item', { cause: e });
  }
  const tagged = item instanceof CborTag;
  const inner = item instanceof CborTag ? item.value : item;
  let wrapper: TeepWrapper;
  if (item instanceof CborTag) {
    if (item.tag === COSE_TAG.COSE_Sign1) wrapper = 'COSE_Sign1';
    else if (item.tag === COSE_TAG.COSE_Sign) wrapper = 'COSE_Sign';
    else throw new TeepMalformedMessage(`CBOR tag ${String(item.tag)} is neither COSE_Sign1 (18) nor COSE_Sign (98)`);
  } else if (Array.isArray(inner) && inner[0] instanceof Uint8Array) {
    wrapper = inner.length === 4 && Array.isArray(inner[3]) ? 'COSE_Sign' : 'COSE_Sign1';
  } else {
    return { wrapper: 'none', tagged: false, payload: bytes };
  }
  // The item decoded above is the message (same bytes, same default options as decodeSign1/decodeSign).
  if (wrapper === 'COSE_Sign1') {
    const decoded = decodeSign1Item(item);
    if (decoded.payload === null) throw new TeepMalformedMessage('COSE_Sign1 payload is detached; a TEEP message carries it');
    return { wrapper, tagged, headers: decoded.headers, payload: decoded.payload, decoded };
  }
  const decoded = decodeSignItem(item);
  if (decoded.payload === null) throw new TeepMalformedMessage('COSE_Sign payload is detached; a TEEP message carries it');
  return { wrapper, tagged, headers: decoded.headers, signers: decoded.signatures.map((s) => s.headers), payload: decoded.payload, decoded };
}

export interface VerifyTeepMessageOptions extends TeepCodecOptions {
  /** Accepted COSE algorithms (the negotiated suites). */
  readonly algorithms?: readonly number[];
  readonly provider?: CryptoProvider;
}

export interface VerifiedTeepMessage {
  readonly message: TeepMessage;
  readonly wrapper: Exclude<TeepWrapper, 'none'>;
  readonly cose: VerifySign1Result | VerifySignResult;
}

/** Verifies the COSE layer with `key` (or a resolver), then decodes the TEEP message strictly. */
export async function verifyTeepMessage(bytes: Uint8Array, key: KeyInput, options: VerifyTeepMessageOptions = {}): Promise<VerifiedTeepMessage> {
  const opened = openTeepMessage(bytes);
  if (opened.wrapper === 'none') throw new TeepMalformedMessage('a TEEP message must be protected by COSE_Sign1 or COSE_Sign (-26 §4.1.2 step 2)');
  const coseOptions = { ...(options.algorithms && { algorithms: options.algorithms }), ...(options.provider && { provider: options.provider }) };
  const cose = opened.wrapper === 'COSE_Sign1'
    ? await verifyDecodedSign1(opened.decoded as DecodedSign1, key, coseOptions)
    : await verifyDecodedSign(opened.decoded as DecodedSign, key, coseOptions);
  const message = decodeTeepMessage(cose.payload, options);
  return { message, wrapper: opened.wrapper, cose };
}
