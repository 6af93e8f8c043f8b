/**
 * Any TEEP message: the dispatcher over the five message codecs (draft-ietf-teep-protocol-26 §4).
 *
 * ```cddl
 * $teep-message-type /= query-request
 * $teep-message-type /= query-response
 * $teep-message-type /= update
 * $teep-message-type /= success
 * $teep-message-type /= error
 * ```
 *
 * The input is the bare message (the COSE_Sign1 / COSE_Sign payload, after verification).
 */
import type { CborValue } from '../../wire/cbor-value.js';
import { resolveTeepProfile, type TeepProfile } from '../profiles.js';
import { decodeTeepCbor, parseFramework, type TeepCodecOptions } from './framework.js';
import { encodeQueryRequest, parseQueryRequest, type QueryRequest } from './query-request.js';
import { encodeQueryResponse, parseQueryResponse, type QueryResponse } from './query-response.js';
import { encodeSuccess, parseSuccess, type Success } from './success.js';
import { encodeTeepError, parseTeepError, type TeepErrorMessage } from './teep-error.js';
import { encodeUpdate, parseUpdate, type Update } from './update.js';
import { InvalidArgument } from '../../errors.js';

export type TeepMessage = QueryRequest | QueryResponse | Update | Success | TeepErrorMessage;

/** Checks an already decoded CBOR value as a TEEP message. */
export function parseTeepMessage(value: CborValue, profile: TeepProfile): TeepMessage {
  const fw = parseFramework(value, profile);
  switch (fw.kind) {
    case 'query-request':
      return parseQueryRequest(fw, profile);
    case 'query-response':
      return parseQueryResponse(fw, profile);
    case 'update':
      return parseUpdate(fw, profile);
    case 'success':
      return parseSuccess(fw, profile);
    case 'error':
      return parseTeepError(fw, profile);
  }
}

/**
 * Decodes and checks any TEEP message; fails only with TeepErrors.
 *
 * @example
 * const m = decodeTeepMessage(payload, { profile: 'pre-26' });
 * if (m.type === 'update') for (const envelope of m.manifestList ?? []) suit.process(envelope);
 */
export function decodeTeepMessage(bytes: Uint8Array, options?: TeepCodecOptions): TeepMessage {
  return parseTeepMessage(decodeTeepCbor(bytes), resolveTeepProfile(options?.profile));
}

/** Encodes any TEEP message by its `type`. */
export function encodeTeepMessage(msg: TeepMessage, options?: TeepCodecOptions): Uint8Array {
  switch (msg.type) {
    case 'query-request':
      return encodeQueryRequest(msg, options);
    case 'query-response':
      return encodeQueryResponse(msg, options);
    case 'update':
      return encodeUpdate(msg, options);
    case 'success':
      return encodeSuccess(msg, options);
    case 'error':
      return encodeTeepError(msg, options);
    default:
      throw new InvalidArgument(`unknown TEEP message type '${String((msg as { type?: unknown }).type)}'`);
  }
}
