/**
 * `err-code-values` (draft-ietf-teep-protocol-26 §4.6): the wire err-code in Update (option) and
 * Error (third element).
 *
 * "The value 0 is reserved and MUST NOT be used", so 0 is refused. Codes the profile does not name
 * are accepted: "implementations that receive unrecognized error code values greater than 23 SHOULD
 * handle them gracefully, treating them as unknown errors"; we extend that to the reserved 12..23 so
 * a newer peer's code never breaks decoding (the session layer treats it as unknown).
 */
import type { CborValue } from '../../wire/cbor-value.js';
import { TeepInvalidField } from '../errors.js';
import { expectUint } from './fields.js';

export function expectErrCode(v: CborValue, field = 'err-code'): number {
  const code = expectUint(v, field);
  if (code === 0) throw new TeepInvalidField(`${field}: 0 is reserved and MUST NOT be used`);
  return code;
}
