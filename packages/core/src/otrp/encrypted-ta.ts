/**
 * Encrypted TA binary and personalization data (draft-ietf-teep-opentrustprotocol-03 §9.3.1.1,
 * §9.3.2.1, §14.4-§14.5):
 *
 *   "encrypted_ta": {
 *     "key": "<JWE enveloped data of a 256-bit symmetric key by the recipient's TEEspaik public key>",
 *     "iv": "<hex of 16 random bytes>",
 *     "alg": "<encryption algoritm. AESCBC by default.",
 *     "ciphertadata": "<BASE64 encoded encrypted TA binary data>",        (UpdateTA: ciphernewtadata)
 *     "cipherpdata": "<BASE64 encoded encrypted TA personalization data>" (UpdateTA: ciphernewpdata)
 *   }
 *
 * Decisions (docs/otrp-decisions.md, notes §15 A10): `key` is a JWE object (this profile, general
 * JSON serialization) whose plaintext is the 32-byte `taek`, to the TEE SP AIK; AES-256-CBC with
 * PKCS#7 padding (WebCrypto's); the personalization data uses its own IV, SHA-256("pdata" || iv)
 * truncated to 16 bytes, so one key never encrypts two plaintexts under one IV. Integrity comes
 * from the TAM's JWS over the whole TBS (the draft defines no MAC here).
 */
import { OtrpRequestInvalid, OtrpTaInvalid } from './errors.js';
import { b64, bytes, object, onlyMembers, str, type JsonObject } from './fields.js';
import { chooseKeyAlgorithm, decryptJwe, encryptJwe, parseJwe } from '../jose/jwe.js';
import type { JosePolicy } from '../jose/algorithms.js';
import type { JosePrivateKey } from '../jose/keys.js';
import type { RawRsa } from '../jose/raw-rsa.js';
import { fromHex, toHex } from '../wire/hex.js';

const subtle = () => globalThis.crypto.subtle;
export type TaMembers = 'install' | 'update';
const NAMES = {
  install: { ta: 'ciphertadata', pdata: 'cipherpdata' },
  update: { ta: 'ciphernewtadata', pdata: 'ciphernewpdata' },
} as const;

/**
 * The key transport for `key` follows the TEE SP AIK's type: the TEE generates that key itself
 * (EC P-256 by default), so ECDH-ES+A128KW is always allowed besides the peer's own policy.
 */
function taKeyPolicy(policy: JosePolicy): JosePolicy {
  return {
    jws: policy.jws,
    keyManagement: policy.keyManagement.includes('ECDH-ES+A128KW') ? policy.keyManagement : [...policy.keyManagement, 'ECDH-ES+A128KW'],
    content: policy.content.includes('A128CBC-HS256') ? policy.content : [...policy.content, 'A128CBC-HS256'],
  };
}

async function pdataIv(iv: Uint8Array): Promise<Uint8Array> {
  const input = new Uint8Array(5 + iv.length);
  input.set(new TextEncoder().encode('pdata'));
  input.set(iv, 5);
  return new Uint8Array(await subtle().digest('SHA-256', input)).subarray(0, 16);
}

async function aesCbc(op: 'encrypt' | 'decrypt', key: Uint8Array, iv: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  const k = await subtle().importKey('raw', key as Uint8Array<ArrayBuffer>, 'AES-CBC', false, [op]);
  const f = op === 'encrypt' ? subtle().encrypt.bind(subtle()) : subtle().decrypt.bind(subtle());
  return new Uint8Array(await f({ name: 'AES-CBC', iv: iv as Uint8Array<ArrayBuffer> }, k, data as Uint8Array<ArrayBuffer>));
}

export interface EncryptTaOptions {
  /** The TEE SP AIK public key (DER SPKI) of the SP. */
  spaik: Uint8Array;
  policy: JosePolicy;
  members: TaMembers;
  ta?: Uint8Array;
  pdata?: Uint8Array;
}

/** Builds `encrypted_ta` (at least one of `ta`, `pdata`, §9.3.2). */
export async function encryptTa(o: EncryptTaOptions): Promise<JsonObject> {
  if (!o.ta && !o.pdata) throw new OtrpRequestInvalid('encrypted_ta needs a TA binary or personalization data');
  const taek = globalThis.crypto.getRandomValues(new Uint8Array(32));
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(16));
  const alg = await chooseKeyAlgorithm(o.spaik, taKeyPolicy(o.policy));
  const out: JsonObject = { key: await encryptJwe(taek, { recipient: o.spaik, alg }), iv: toHex(iv), alg: 'AESCBC' };
  const n = NAMES[o.members];
  if (o.ta) out[n.ta] = b64(await aesCbc('encrypt', taek, iv, o.ta));
  if (o.pdata) out[n.pdata] = b64(await aesCbc('encrypt', taek, await pdataIv(iv), o.pdata));
  return out;
}

export interface DecryptTaOptions {
  spaik: JosePrivateKey;
  policy: JosePolicy;
  members: TaMembers;
  rawRsa?: RawRsa;
}

/** Opens `encrypted_ta`; any failure to decrypt is ERR_TA_INVALID (§13.1.1). */
export async function decryptTa(v: JsonObject, o: DecryptTaOptions): Promise<{ ta?: Uint8Array; pdata?: Uint8Array }> {
  const w = 'encrypted_ta';
  const n = NAMES[o.members];
  onlyMembers(object(v, w), ['key', 'iv', 'alg', n.ta, n.pdata], w);
  if (str(v, 'alg', w) !== 'AESCBC') throw new OtrpTaInvalid('encrypted_ta.alg must be AESCBC');
  let iv: Uint8Array;
  try {
    iv = fromHex(str(v, 'iv', w));
  } catch (e) {
    throw new OtrpRequestInvalid('encrypted_ta.iv must be hex', { cause: e });
  }
  if (iv.length !== 16) throw new OtrpRequestInvalid('encrypted_ta.iv must be 16 bytes');
  const ct = v[n.ta] === undefined ? undefined : bytes(v, n.ta, w);
  const cp = v[n.pdata] === undefined ? undefined : bytes(v, n.pdata, w);
  if (!ct && !cp) throw new OtrpRequestInvalid('encrypted_ta carries neither TA binary nor personalization data');
  try {
    const keyJwe = parseJwe(v.key);
    const taek = (await decryptJwe(keyJwe, { key: o.spaik, policy: taKeyPolicy(o.policy), ...(o.rawRsa ? { rawRsa: o.rawRsa } : {}) })).plaintext;
    if (taek.length !== 32) throw new OtrpTaInvalid('taek must be 256 bits');
    const out: { ta?: Uint8Array; pdata?: Uint8Array } = {};
    if (ct) out.ta = await aesCbc('decrypt', taek, iv, ct);
    if (cp) out.pdata = await aesCbc('decrypt', taek, await pdataIv(iv), cp);
    return out;
  } catch (e) {
    if (e instanceof OtrpTaInvalid) throw e;
    throw new OtrpTaInvalid('TA binary or personalization data cannot be decrypted', { cause: e });
  }
}
