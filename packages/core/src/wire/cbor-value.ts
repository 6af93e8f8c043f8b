/**
 * The CBOR data model used throughout otrp (RFC 8949 §2, §3).
 *
 * | CBOR                         | JS value                                              |
 * |------------------------------|-------------------------------------------------------|
 * | unsigned / negative integer  | `number` when it is a safe integer, else `bigint`      |
 * | byte string                  | `Uint8Array` (a view of the received bytes)            |
 * | text string                  | `string`                                               |
 * | array                        | `CborValue[]`                                          |
 * | map                          | `Map<CborValue, CborValue>` in wire order             |
 * | tag                          | `CborTag`                                              |
 * | false / true / null / undef. | `false` / `true` / `null` / `undefined`                |
 * | other simple values          | `CborSimple`                                           |
 * | float (any width)            | `CborFloat` when decoded; a non-integral JS `number`   |
 * |                              | also encodes as a float                                |
 *
 * Floats are boxed so that `1.0` and `1` stay distinct and every decoded item re-encodes to the
 * same bytes. None of the protocols here carries floats; the box only keeps round trips exact.
 */
export type CborValue =
  | number
  | bigint
  | string
  | Uint8Array
  | boolean
  | null
  | undefined
  | CborValue[]
  | CborMap
  | CborTag
  | CborSimple
  | CborFloat;

export type CborMap = Map<CborValue, CborValue>;

/** A tagged item (RFC 8949 §3.4). */
export class CborTag {
  constructor(
    readonly tag: number | bigint,
    readonly value: CborValue,
  ) {}
}

/** A simple value other than false, true, null and undefined (RFC 8949 §3.3), 0..19 or 32..255. */
export class CborSimple {
  constructor(readonly value: number) {}
}

/**
 * A floating-point number (half, single or double precision on the wire).
 *
 * `width` (2, 4 or 8 bytes) is set by the decoder only when the received encoding was not the
 * preferred (shortest exact) one, and by the EDN parser for an `_1`/`_2`/`_3` indicator; the encoder
 * then keeps that width (except in deterministic mode), so such items still re-encode byte for byte.
 */
export class CborFloat {
  constructor(
    readonly value: number,
    readonly width?: 2 | 4 | 8,
  ) {}
}
