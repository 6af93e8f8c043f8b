/**
 * Fresh OCSP responses for the TAM's own chain, stapled in GetDeviceStateTBSRequest `ocspdat`
 * (OTrP -03 §9.1.1: "OCSP stapling data respectively for the TAM certificate and each of the CA
 * certificates up to the root certificate"). Each certificate's issuing CA signs the response itself
 * (RFC 6960 §4.2.2.2), with the status it records in its ca.json (what `otrp pki revoke` writes), so a
 * revocation reaches TEEs with the next session. A self-signed root needs none (it is the anchor).
 *
 * Responses are valid for `validityMs` (default 1 h, short-lived as stapling intends) and reused for
 * at most `refreshMs` (default 5 min) or until a ca.json changes.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { bytesEqual, createOcspResponse, decodeCaState, isIssuedBy, parseCertificate, PKI_LAYOUT } from '@otrp/core';
import type { OcspCertStatus } from '@otrp/core';
import type { OcspResponder } from './otrp-pki.js';
import { TamOtrpConfigInvalid } from './errors.js';

export interface OcspStaplerOptions {
  responders: readonly OcspResponder[];
  validityMs?: number;
  refreshMs?: number;
  now?: () => number;
}

export interface OcspStapler {
  /** DER OCSPResponses for every non-root certificate of `chain` (leaf first). */
  staple(chain: readonly Uint8Array[]): Promise<Uint8Array[]>;
}

const bareSerial = (s: string) => s.toLowerCase().replace(/^(00)+(?=.)/, '');

export function createOcspStapler(options: OcspStaplerOptions): OcspStapler {
  const validity = options.validityMs ?? 3600_000;
  const refresh = options.refreshMs ?? 300_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { at: number; print: string; der: Uint8Array }>();

  async function statusOf(r: OcspResponder, serial: string): Promise<{ status: OcspCertStatus; print: string }> {
    const file = join(r.folder, PKI_LAYOUT.caFiles.state);
    const s = await stat(file).catch(() => undefined);
    if (!s) return { status: { status: 'good' }, print: '-' };
    let revoked;
    try {
      revoked = decodeCaState(await readFile(file, 'utf8')).revoked;
    } catch (cause) {
      throw new TamOtrpConfigInvalid(`${file} is unreadable: cannot answer for the certificates it issued`, { cause });
    }
    const hit = revoked.find((x) => bareSerial(x.serialNumber) === bareSerial(serial));
    return { status: hit ? { status: 'revoked', revokedAt: new Date(hit.revocationDate) } : { status: 'good' }, print: `${s.size}:${s.mtimeMs}` };
  }

  return {
    async staple(chain) {
      const out: Uint8Array[] = [];
      for (const der of chain) {
        const info = parseCertificate(der);
        if (bytesEqual(info.subjectDer, info.issuerDer)) continue;
        // By name and by signature: another PKI may use the same CA names.
        let responder: OcspResponder | undefined;
        for (const r of options.responders) if (bytesEqual(r.subjectDer, info.issuerDer) && (await isIssuedBy(der, r.certificate))) responder ??= r;
        if (!responder) throw new TamOtrpConfigInvalid(`no CA key in the PKI directory answers for ${info.subject}`);
        const { status, print } = await statusOf(responder, info.serialNumber);
        const key = `${responder.folder}|${info.serialNumber}`;
        const t = now();
        const hit = cache.get(key);
        if (hit && hit.print === print && t - hit.at < refresh) {
          out.push(hit.der);
          continue;
        }
        // thisUpdate a minute back: a TEE clock slightly behind must not see a response from the future.
        const thisUpdate = new Date(t - 60_000);
        const response = await createOcspResponse({
          certificate: der,
          issuer: { certificate: responder.certificate, privateKey: responder.privateKey },
          status,
          thisUpdate,
          nextUpdate: new Date(t + validity),
        });
        cache.set(key, { at: t, print, der: response });
        out.push(response);
      }
      return out;
    },
  };
}
