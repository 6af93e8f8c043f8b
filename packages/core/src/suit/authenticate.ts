/**
 * Authentication of a SUIT_Envelope (draft-ietf-suit-manifest-37 §8.3, §6.2).
 *
 * ```cddl
 * SUIT_Authentication = [ bstr .cbor SUIT_Digest, * bstr .cbor SUIT_Authentication_Block ]
 * SUIT_Authentication_Block /= COSE_Mac_Tagged / COSE_Sign_Tagged / COSE_Mac0_Tagged / COSE_Sign1_Tagged
 * ```
 *
 * 1. The SUIT_Digest must match the bstr-wrapped manifest as received (header included).
 * 2. At least one authentication block must verify with a trusted key; each block carries a detached
 *    payload, which is the received bstr .cbor SUIT_Digest (§8.3: the signature covers the digest).
 * Only then is the manifest parsed (§6.2 "verify the signature before parsing").
 */
import { decodeCbor } from '../wire/cbor.js';
import { CborTag } from '../wire/cbor-value.js';
import { verifySign1 } from '../cose/sign1.js';
import { verifyMac0 } from '../cose/mac0.js';
import type { CoseKey } from '../cose/key.js';
import type { CryptoProvider } from '../cose/crypto-provider.js';
import type { KeyResolver } from '../cose/signer.js';
import { bytesEqual } from './cbor-util.js';
import { digestMatches } from './digest.js';
import type { SuitEnvelope } from './envelope.js';
import {
  SuitAuthenticationFailed, SuitCoseUnsupported, SuitDigestMismatch, SuitMalformed, SuitSeveredDigestMismatch,
  SuitUnsupportedAlgorithm,
} from './errors.js';
import type { SuitManifest } from './manifest.js';

/** Who may authenticate manifests. */
export interface SuitTrust {
  /** Trusted public keys (COSE_Sign1) and shared secrets (COSE_Mac0), tried in order. */
  readonly keys?: readonly CoseKey[];
  /**
   * Picks the key for one authentication block from its headers (kid, x5chain): the PKI layer
   * validates an x5chain here and returns the leaf key, or undefined to refuse.
   */
  readonly resolveKey?: KeyResolver;
  /** Accept envelopes with no authentication block (digest only). Default false. */
  readonly allowUnsigned?: boolean;
}

export interface SuitAuthBlock {
  readonly type: 'COSE_Sign1' | 'COSE_Mac0';
  readonly alg: number;
  readonly kid?: Uint8Array;
  readonly x5chain?: Uint8Array[];
}

export interface SuitAuthResult {
  /** The block that verified; undefined for an unsigned envelope accepted with allowUnsigned. */
  readonly verifiedBy?: SuitAuthBlock;
}

const COSE_TAGS = { sign1: 18, mac0: 17, sign: 98, mac: 97 } as const;

/**
 * Checks the manifest digest and the authentication blocks of a decoded envelope; `provider` (default
 * WebCrypto) computes the digest and verifies the signatures.
 */
export async function authenticateEnvelope(env: SuitEnvelope, trust: SuitTrust, provider?: CryptoProvider): Promise<SuitAuthResult> {
  if (!(await digestMatches(env.digest, env.manifestBstr, provider))) throw new SuitDigestMismatch('the manifest does not match the authentication-wrapper digest');
  if (env.authenticationBlocks.length === 0) {
    if (trust.allowUnsigned) return {};
    throw new SuitAuthenticationFailed();
  }
  let unsupported = 0;
  let lastError: unknown;
  for (const block of env.authenticationBlocks) {
    let tag: number;
    try {
      const v = decodeCbor(block);
      if (!(v instanceof CborTag)) throw new SuitMalformed('authentication block must be a tagged COSE structure');
      tag = Number(v.tag);
    } catch (e) {
      throw e instanceof SuitMalformed ? e : new SuitMalformed('authentication block: not well-formed CBOR', { cause: e });
    }
    if (tag !== COSE_TAGS.sign1 && tag !== COSE_TAGS.mac0) {
      unsupported++;
      lastError = new SuitCoseUnsupported(`COSE structure with tag ${tag} is not supported for SUIT authentication`);
      continue;
    }
    for (const key of candidateKeys(trust)) {
      try {
        const r = tag === COSE_TAGS.sign1
          ? await verifySign1(block, key, { detachedPayload: env.digestBytes, tag: 'required', ...(provider && { provider }) })
          : await verifyMac0(block, key, { detachedPayload: env.digestBytes, tag: 'required', ...(provider && { provider }) });
        if (!bytesEqual(r.payload, env.digestBytes)) throw new SuitAuthenticationFailed();
        return {
          verifiedBy: {
            type: tag === COSE_TAGS.sign1 ? 'COSE_Sign1' : 'COSE_Mac0',
            alg: r.alg.id,
            ...(r.kid ? { kid: r.kid } : {}),
            ...('x5chain' in r && r.x5chain ? { x5chain: r.x5chain } : {}),
          },
        };
      } catch (e) {
        lastError = e;
        if ((e as { code?: unknown }).code === 'ERR_COSE_UNSUPPORTED_ALG') unsupported++;
      }
    }
  }
  if (unsupported > 0 && lastError instanceof SuitCoseUnsupported) throw lastError;
  if (unsupported > 0 && (lastError as { code?: unknown })?.code === 'ERR_COSE_UNSUPPORTED_ALG') {
    throw new SuitUnsupportedAlgorithm('authentication algorithm not supported', { cause: lastError });
  }
  throw new SuitAuthenticationFailed({ cause: lastError });
}

function* candidateKeys(trust: SuitTrust): Generator<CoseKey | KeyResolver> {
  if (trust.resolveKey) yield trust.resolveKey;
  for (const k of trust.keys ?? []) yield k;
}

/**
 * Severable members (manifest-37 §8.4.12, §8.6): each member the manifest holds as a SUIT_Digest must, when
 * the envelope carries it, match that digest over the envelope element including its bstr header.
 * An envelope element for a member the manifest holds in place is refused (it would be unauthenticated).
 */
export async function checkSeveredMembers(env: SuitEnvelope, manifest: SuitManifest, provider?: CryptoProvider): Promise<void> {
  for (const [key, element] of env.severed) {
    const member = manifest.members.get(key);
    if (!member || member.kind !== 'severed') throw new SuitMalformed(`envelope member ${key} is not severed from the manifest`);
    if (!(await digestMatches(member.digest, element.bstr, provider))) throw new SuitSeveredDigestMismatch(`severed member ${key} does not match its digest`);
  }
}
