/**
 * SUIT reports inside TEEP messages (draft-ietf-teep-protocol-26 §4.3, §4.5, §4.6, §8.2).
 *
 * The Agent signs each report with a key that MUST differ from its TEEP message key (-26 §4.5; §4.2:
 * "otherwise its authenticity relies on the TEEP message's signature"), as a
 * SUIT_Report_COSE_Sign1, and SHOULD encrypt it to the TAM ("SUIT Report Encryption").
 * The TAM opens each report (decrypt, verify, decode) and checks that suit-report-nonce equals the
 * token of the request being answered; a mismatch makes it drop the message (-26 §7.1.2). A report
 * may also come unprotected (`SUIT_Report_Unprotected`, a bare map, -26 §4.5): then it rests on the
 * signature of the TEEP message that carries it. A report signed with that message's own key is
 * refused: the keys MUST be distinct.
 */
import { createSign1, decodeSign1, verifySign1 } from '../cose/sign1.js';
import { headerValue, COSE_HEADER } from '../cose/headers.js';
import type { CoseKey } from '../cose/key.js';
import type { CryptoProvider } from '../cose/crypto-provider.js';
import { bytesEqual } from '../cose/bytes.js';
import { decodeCbor } from '../wire/cbor.js';
import { CborTag } from '../wire/cbor-value.js';
import { decodeReport, type SuitReport } from '../suit/report.js';
import { coseKeyThumbprint } from '../cose/thumbprint.js';
import { fullySpecifiedSignAlg } from '../cose/algorithms.js';
import { isOtrpError } from '../errors.js';
import { toHex } from '../wire/hex.js';
import { decryptFromAgent, encryptToTam, isEncryptedToTam } from './confidentiality.js';
import { TeepReportInvalid, TeepReportNonceMismatch } from './errors.js';
import type { PeerTrust } from './ports.js';
import type { SuitCoseProfile } from './profiles.js';

/** Agent: signs an encoded SUIT_Report and, when a TAM key-agreement key is given, encrypts it. */
export async function protectReport(report: Uint8Array, reportKey: CoseKey, tamKey: CoseKey | undefined, provider?: CryptoProvider): Promise<Uint8Array> {
  // kid as a header rather than a key copy, so the provider's per-key-object import cache hits.
  const kid = await coseKeyThumbprint(reportKey);
  // -26 §8.2: the suites sign with ESP256 or Ed25519, not the signer's default ES256 / EdDSA.
  const alg = fullySpecifiedSignAlg(reportKey.crv);
  const signed = await createSign1({
    payload: report, key: reportKey, includeKid: false, unprotectedHeaders: new Map([[COSE_HEADER.kid, kid]]),
    ...(alg !== undefined && { alg }), ...(provider && { provider }),
  });
  return tamKey ? encryptToTam(signed, tamKey, 'suitReport', provider, alg) : signed;
}

export interface OpenReportOptions {
  /** Resolves the Agent's report-signing key. */
  readonly trust: PeerTrust;
  /**
   * The RFC 9679 thumbprint (hex) of the key that verified the TEEP message carrying the report (the
   * TAM's `agentKid`, already computed); a report signed with that key is refused.
   */
  readonly messageKid?: string;
  /** The TAM's key-agreement private key, for encrypted reports. */
  readonly keyAgreementKey?: CoseKey;
  readonly provider?: CryptoProvider;
}

/** TAM: decrypts (if needed), verifies and decodes one report; failures are TeepReportInvalid. */
export async function openReport(bytes: Uint8Array, options: OpenReportOptions): Promise<{ report: SuitReport; payload: Uint8Array }> {
  const p = options.provider ? { provider: options.provider } : {};
  try {
    let signed = bytes;
    if (isEncryptedToTam(bytes)) {
      if (!options.keyAgreementKey) throw new TeepReportInvalid('an encrypted SUIT report arrived but no key-agreement key is configured');
      signed = await decryptFromAgent(bytes, options.keyAgreementKey, 'suitReport', options.provider);
    }
    // CBOR major type 5: a bare SUIT_Report map, not a COSE structure (tag or array).
    if (signed.length > 0 && signed[0]! >> 5 === 5) return { report: decodeReport(signed), payload: signed };
    let signer: CoseKey | undefined;
    const { payload } = await verifySign1(signed, async (h) => (signer = await options.trust.resolve(h)), p);
    if (signer && options.messageKid !== undefined && toHex(await coseKeyThumbprint(signer)) === options.messageKid) {
      throw new TeepReportInvalid('the SUIT report is signed with the TEEP message key (-26 §4.5: the keys MUST be distinct)');
    }
    return { report: decodeReport(payload), payload };
  } catch (e) {
    if (e instanceof TeepReportInvalid) throw e;
    throw new TeepReportInvalid(`SUIT report refused (${isOtrpError(e) ? e.code : 'unexpected failure'})`, { cause: e });
  }
}

/** TAM: every report must carry suit-report-nonce = the request's token, when it had one. */
export function checkReportNonces(reports: readonly SuitReport[], token: Uint8Array | undefined): void {
  if (token === undefined) return;
  for (const r of reports) {
    if (r.nonce === undefined || !bytesEqual(r.nonce, token)) throw new TeepReportNonceMismatch('a SUIT report nonce does not match the request token');
  }
}

/**
 * Agent: whether a TAM report (QueryRequest suit-reports) uses a supported SUIT COSE profile: its
 * COSE_Sign1 algorithm must be the authentication algorithm of one of `profiles` (-26 §7.2.1,
 * otherwise Error ERR_UNSUPPORTED_SUIT_REPORT). An unprotected report (a bare map) has no profile.
 */
export function reportProfileSupported(bytes: Uint8Array, profiles: readonly SuitCoseProfile[]): boolean {
  try {
    const v = decodeCbor(bytes);
    if (v instanceof Map) return true;
    if (!(v instanceof CborTag) || v.tag !== 18) return false;
    const alg = headerValue(decodeSign1(bytes).headers, COSE_HEADER.alg);
    return profiles.some((p) => p[1] === alg);
  } catch {
    return false;
  }
}
