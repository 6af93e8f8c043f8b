/**
 * The checks chain.ts adds around pkijs (RFC 5280 §4.2.1.3, §4.2.1.9, §6.1.3), and the mapping of
 * pkijs's result codes to one precise typed error each.
 */
import { bytesEqual } from '../wire/bytes.js';
import {
  CertificateConstraints,
  CertificateExpired,
  CertificateKeyUsage,
  CertificateNotYetValid,
  CertificateRevoked,
  CertificateSignature,
  ChainUntrusted,
  PkiError,
  RevocationUnknown,
} from './errors.js';
import type { CertificateInfo } from './certificate-info.js';
import { importSpki } from './key-algorithms.js';
import { x509 } from './x509-runtime.js';

export function checkValidity(c: CertificateInfo, at: Date): void {
  if (at > c.notAfter) throw new CertificateExpired(`certificate "${c.subject}" expired at ${c.notAfter.toISOString()}`);
  if (at < c.notBefore) throw new CertificateNotYetValid(`certificate "${c.subject}" is not valid before ${c.notBefore.toISOString()}`);
}

/** RFC 5280 §4.2.1.9 and §4.2.1.3: an issuer is a CA, and when keyUsage is present it has keyCertSign. */
export function checkIssuerCapable(c: CertificateInfo): void {
  if (!c.isCa) throw new CertificateConstraints(`certificate "${c.subject}" is used as an issuer but is not a CA`);
  if (c.keyUsage !== undefined && !(c.keyUsage & x509.KeyUsageFlags.keyCertSign)) {
    throw new CertificateKeyUsage(`CA certificate "${c.subject}" lacks keyCertSign`);
  }
}

/** RFC 5280 §4.2.1.9 pathLenConstraint: at most that many non-self-issued intermediates below a CA. */
export function checkPathLength(path: CertificateInfo[]): void {
  for (let j = 1; j < path.length; j++) {
    const p = path[j]!.pathLength;
    if (p === undefined) continue;
    const below = path.slice(1, j).filter((c) => !bytesEqual(c.subjectDer, c.issuerDer)).length;
    if (below > p) throw new CertificateConstraints(`pathLenConstraint ${p} of "${path[j]!.subject}" exceeded`);
  }
}

/** Maps a pkijs result code (see CertificateChainValidationEngine) to a typed error. */
export async function pkijsFailure(
  code: number,
  message: string,
  chain: CertificateInfo[],
  anchors: CertificateInfo[],
  at: Date,
  cause: unknown,
): Promise<PkiError> {
  switch (code) {
    case 12:
      return new CertificateRevoked('a certificate of the chain is revoked', { cause });
    case 11:
      return new RevocationUnknown('no current CRL covers a certificate of the chain', { cause });
    case 8:
      for (const c of [...chain, ...anchors]) {
        try {
          checkValidity(c, at);
        } catch (e) {
          return e as PkiError;
        }
      }
      return new CertificateExpired(message, { cause });
    case 4:
    case 5:
    case 13:
      return new CertificateKeyUsage(message, { cause });
    case 3:
    case 6:
    case 7:
    case 14:
      return new CertificateConstraints(message, { cause });
    default:
      return (await findBadSignature(chain, anchors)) ?? new ChainUntrusted('no path to a trust anchor of the role', { cause });
  }
}

/**
 * pkijs reports a broken signature as "no path". When some certificate has an issuer candidate by
 * name (in the chain or the anchors) yet none of them verifies it, the signature is the problem.
 */
async function findBadSignature(chain: CertificateInfo[], anchors: CertificateInfo[]): Promise<PkiError | undefined> {
  const all = [...chain, ...anchors];
  for (const c of chain) {
    if (anchors.some((a) => bytesEqual(a.der, c.der))) return undefined;
    const candidates = all.filter((i) => i !== c && bytesEqual(i.subjectDer, c.issuerDer));
    if (candidates.length === 0) return undefined;
    let verified = false;
    for (const i of candidates) {
      try {
        const cert = new x509.X509Certificate(c.der as Uint8Array<ArrayBuffer>);
        const { key } = await importSpki(i.spki);
        if (await cert.verify({ publicKey: key, signatureOnly: true })) verified = true;
      } catch {
        // an unusable candidate simply does not verify
      }
    }
    if (!verified) return new CertificateSignature();
  }
  return undefined;
}


export { bytesEqual };
