/**
 * SUIT parameters (draft-ietf-suit-manifest-37 §8.4.8; encryption-info from firmware-encryption §4).
 *
 * ```cddl
 * $$SUIT_Parameters //= (suit-parameter-vendor-identifier => (RFC4122_UUID / cbor-pen))
 * $$SUIT_Parameters //= (suit-parameter-class-identifier => RFC4122_UUID)
 * $$SUIT_Parameters //= (suit-parameter-image-digest => bstr .cbor SUIT_Digest)
 * $$SUIT_Parameters //= (suit-parameter-image-size => uint)
 * $$SUIT_Parameters //= (suit-parameter-component-slot => uint)
 * $$SUIT_Parameters //= (suit-parameter-uri => tstr)
 * $$SUIT_Parameters //= (suit-parameter-fetch-arguments => bstr)
 * $$SUIT_Parameters //= (suit-parameter-source-component => uint)
 * $$SUIT_Parameters //= (suit-parameter-invoke-args => bstr)
 * $$SUIT_Parameters //= (suit-parameter-device-identifier => RFC4122_UUID)
 * $$SUIT_Parameters //= (suit-parameter-custom => int/bool/tstr/bstr)
 * $$SUIT_Parameters //= (suit-parameter-content => bstr)
 * $$SUIT_Parameters //= (suit-parameter-strict-order => bool)
 * $$SUIT_Parameters //= (suit-parameter-soft-failure => bool)
 * $$SUIT_Parameters //= (suit-parameter-encryption-info => bstr .cbor SUIT_Encryption_Info)
 * cbor-pen = #6.112(bstr)
 * ```
 */
import { CborTag, type CborMap, type CborValue } from '../wire/cbor-value.js';
import { isBytes, isInt, isUint } from './cbor-util.js';
import { decodeDigestBytes } from './digest.js';
import { SuitMalformed, SuitParameterUnsupported } from './errors.js';
import { SUIT_PARAMETER as P, SUIT_TAG } from './labels.js';

export type SuitParameters = ReadonlyMap<number, CborValue>;

type Check = (v: CborValue) => boolean;
const uuid: Check = (v) => isBytes(v) && v.length === 16;
const bstr: Check = (v) => isBytes(v);
const uint: Check = (v) => isUint(v);
const bool: Check = (v) => typeof v === 'boolean';

/** The type each parameter must have; unknown non-negative labels are unsupported (§8.4.8). */
const PARAMETER_TYPES: ReadonlyMap<number, Check> = new Map<number, Check>([
  [P.vendorIdentifier, (v) => uuid(v) || (v instanceof CborTag && Number(v.tag) === SUIT_TAG.pen && isBytes(v.value))],
  [P.classIdentifier, uuid],
  [P.imageDigest, (v) => isBytes(v) && (decodeDigestBytes(v, 'suit-parameter-image-digest'), true)],
  [P.componentSlot, uint],
  [P.strictOrder, bool],
  [P.softFailure, bool],
  [P.imageSize, uint],
  [P.content, bstr],
  [P.encryptionInfo, bstr],
  [P.uri, (v) => typeof v === 'string'],
  [P.sourceComponent, uint],
  [P.invokeArgs, bstr],
  [P.deviceIdentifier, uuid],
  [P.fetchArguments, bstr],
]);

/** Validates a parameters map of override-parameters / set-parameters. */
export function decodeParameters(map: CborMap, what: string): SuitParameters {
  if (map.size === 0) throw new SuitMalformed(`${what}: at least one parameter is required`);
  const out = new Map<number, CborValue>();
  for (const [k, v] of map) {
    if (typeof k !== 'number' || !isInt(k)) throw new SuitMalformed(`${what}: parameter labels must be integers`);
    if (k < 0) {
      // suit-parameter-custom: int / bool / tstr / bstr
      if (!(isInt(v) || typeof v === 'boolean' || typeof v === 'string' || isBytes(v))) {
        throw new SuitMalformed(`${what}: custom parameter ${k} has an invalid type`);
      }
    } else {
      const check = PARAMETER_TYPES.get(k);
      if (!check) throw new SuitParameterUnsupported(`${what}: unsupported parameter ${k}`);
      if (!check(v)) throw new SuitMalformed(`${what}: parameter ${k} has an invalid type`);
    }
    out.set(k, v);
  }
  return out;
}
