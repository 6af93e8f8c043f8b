/**
 * The one place that loads @peculiar/x509 and pkijs and points them at the global WebCrypto.
 *
 * @peculiar/x509 v2 resolves its services through tsyringe, which needs the `reflect-metadata`
 * polyfill loaded first; both libraries otherwise look for a crypto provider of their own. Every pki
 * file imports the libraries from here so the order is guaranteed and nothing else in core sets
 * globals.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import * as pkijs from 'pkijs';
import { derMemo, MEMO_MAX_CERTIFICATE_BYTES } from './der-memo.js';

x509.cryptoProvider.set(globalThis.crypto);

/**
 * pkijs 4 verifies RSA and ECDSA signatures but not Ed25519 (RFC 8410 id-Ed25519, 1.3.101.112): its
 * engine has no hash for that OID. This engine adds it, so path validation covers every algorithm of
 * PKI_KEY_ALGORITHM; everything else is pkijs's own code.
 */
class OtrpCryptoEngine extends pkijs.CryptoEngine {
  /**
   * Issuer keys imported for signature checks, by SPKI and import parameters: pkijs imports the
   * issuer's key again for every certificate and CRL it checks (the Device CA's for every device).
   */
  readonly #spkiKeys = derMemo<Map<string, Promise<CryptoKey>>>(64, MEMO_MAX_CERTIFICATE_BYTES);

  override importKey(
    format: KeyFormat, keyData: BufferSource | JsonWebKey, algorithm: Parameters<pkijs.CryptoEngine['importKey']>[2], extractable: boolean, keyUsages: KeyUsage[],
  ): Promise<CryptoKey> {
    if (format !== 'spki' || (!ArrayBuffer.isView(keyData) && !(keyData instanceof ArrayBuffer))) {
      return super.importKey(format as 'jwk', keyData as JsonWebKey, algorithm, extractable, keyUsages);
    }
    const der = keyData instanceof ArrayBuffer ? new Uint8Array(keyData) : new Uint8Array(keyData.buffer, keyData.byteOffset, keyData.byteLength);
    const byParams = this.#spkiKeys(der, () => new Map());
    const params = JSON.stringify([algorithm, extractable, keyUsages]);
    let key = byParams.get(params);
    if (key === undefined) {
      key = super.importKey('spki', der.slice(), algorithm, extractable, keyUsages);
      byParams.set(params, key);
      key.catch(() => byParams.delete(params));
    }
    return key;
  }

  override async verifyWithPublicKey(
    data: BufferSource,
    signature: { valueBlock: { valueHexView: Uint8Array } },
    publicKeyInfo: pkijs.PublicKeyInfo,
    signatureAlgorithm: pkijs.AlgorithmIdentifier,
    shaAlgorithm?: string | null,
  ): Promise<boolean> {
    if (signatureAlgorithm.algorithmId === ED25519_OID) {
      if (publicKeyInfo.algorithm.algorithmId !== ED25519_OID) return false;
      const spki = new Uint8Array(publicKeyInfo.toSchema().toBER(false));
      const key = await globalThis.crypto.subtle.importKey('spki', spki, { name: 'Ed25519' }, false, ['verify']);
      return globalThis.crypto.subtle.verify({ name: 'Ed25519' }, key, signature.valueBlock.valueHexView as Uint8Array<ArrayBuffer>, data);
    }
    return super.verifyWithPublicKey(data, signature as never, publicKeyInfo, signatureAlgorithm, shaAlgorithm ?? undefined);
  }
}

const ED25519_OID = '1.3.101.112';

/** The pkijs engine every validation in this layer passes explicitly (no global pkijs engine is set). */
export const pkijsEngine = new OtrpCryptoEngine({ name: 'otrp', crypto: globalThis.crypto });

export { x509, pkijs };
