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

x509.cryptoProvider.set(globalThis.crypto);

/**
 * pkijs 4 verifies RSA and ECDSA signatures but not Ed25519 (RFC 8410 id-Ed25519, 1.3.101.112): its
 * engine has no hash for that OID. This engine adds it, so path validation covers every algorithm of
 * PKI_KEY_ALGORITHM; everything else is pkijs's own code.
 */
class OtrpCryptoEngine extends pkijs.CryptoEngine {
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
