/**
 * The raw RSA private-key primitive RSA1_5 key unwrapping is built on, injected because core has no
 * node:* and WebCrypto has no RSAES-PKCS1-v1_5 (and Node 20 refuses PKCS#1 v1.5 private decryption
 * since CVE-2023-46809). Padding is removed by rsa1-5.ts, with implicit rejection.
 */
import { encodeBase64 } from './base64.js';

/** m = c^d mod n without any padding check; `privateKey` is DER PKCS#8; returns k bytes. */
export interface RawRsa {
  decrypt(privateKey: Uint8Array, block: Uint8Array): Uint8Array;
}

/** The subset of node:crypto the adapter uses (typed structurally: core does not import node:*). */
export interface NodeRawRsaCryptoLike<K = unknown> {
  createPrivateKey(pem: string): K;
  privateDecrypt(key: { key: K; padding: number }, buffer: Uint8Array): Uint8Array;
  constants: { RSA_NO_PADDING: number };
}

/**
 * RawRsa over node:crypto's privateDecrypt with RSA_NO_PADDING. The tam, device and cli packages
 * pass their own `node:crypto` module: `createNodeRawRsa(nodeCrypto)`.
 */
export function createNodeRawRsa<K>(nodeCrypto: NodeRawRsaCryptoLike<K>): RawRsa {
  const keys = new WeakMap<Uint8Array, K>();
  return {
    decrypt(privateKey, block) {
      let k = keys.get(privateKey);
      if (k === undefined) {
        k = nodeCrypto.createPrivateKey(`-----BEGIN PRIVATE KEY-----\n${encodeBase64(privateKey)}\n-----END PRIVATE KEY-----\n`);
        keys.set(privateKey, k);
      }
      return new Uint8Array(nodeCrypto.privateDecrypt({ key: k, padding: nodeCrypto.constants.RSA_NO_PADDING }, block));
    },
  };
}
