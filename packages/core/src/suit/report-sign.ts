/**
 * SUIT_Report_COSE_Sign1 (draft-ietf-suit-report §8): a report authenticated by the device.
 *
 * ```cddl
 * SUIT_Report_COSE_Sign1_Tagged = #6.18(SUIT_Report_COSE_Sign1)
 * SUIT_Report_COSE_Sign1 = [ protected : bstr, unprotected : {* int => any},
 *                            payload : bstr .cbor SUIT_Report_Unprotected, signature : bstr ]
 * ```
 * TEEP: the report key MUST differ from the key that signs TEEP messages (TEEP -26 §4.5).
 */
import { createSign1, verifySign1 } from '../cose/sign1.js';
import type { CoseKey } from '../cose/key.js';
import type { KeyInput } from '../cose/signer.js';
import { isOtrpError } from '../errors.js';
import { decodeReport, encodeReport, type SuitReport } from './report.js';
import { SuitAuthenticationFailed } from './errors.js';

/** Signs a SUIT report into a tagged COSE_Sign1 (ESP256 / Ed25519 / ES256 by key, or `alg`). */
export async function signReport(report: SuitReport, key: CoseKey, alg?: number): Promise<Uint8Array> {
  return createSign1({ payload: encodeReport(report), key, ...(alg !== undefined ? { alg } : {}) });
}

/** Verifies a SUIT_Report_COSE_Sign1 and decodes its report. */
export async function verifyReport(bytes: Uint8Array, key: KeyInput): Promise<SuitReport> {
  let payload: Uint8Array;
  try {
    payload = (await verifySign1(bytes, key)).payload;
  } catch (e) {
    throw isOtrpError(e) && e.code === 'ERR_COSE_MALFORMED' ? e : new SuitAuthenticationFailed({ cause: e });
  }
  return decodeReport(payload);
}
