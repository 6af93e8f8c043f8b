/**
 * @otrp/core: the pure protocol core of otrp (no I/O). Layers, lowest first:
 * wire (CBOR, EDN, hex/base64url) <- cose, jose, pki <- suit, eat <- teep, otrp.
 * Only what this file exports is public. Each layer keeps its own section below.
 */

// ---- shared ----
export { OtrpError, isOtrpError, InvalidArgument, EncodingError } from './errors.js';

// ---- wire ----
export { CborTag, CborSimple, CborFloat } from './wire/cbor-value.js';
export type { CborValue, CborMap } from './wire/cbor-value.js';
export { decodeCbor, encodeCbor } from './wire/cbor.js';
export type { CborDecodeOptions, CborEncodeOptions } from './wire/cbor.js';

// ---- cose ----

// ---- pki ----

// ---- suit ----

// ---- eat ----

// ---- teep ----
