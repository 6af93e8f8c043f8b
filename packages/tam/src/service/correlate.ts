/**
 * Finding the session an Agent message belongs to. Cookies are not used (otrp-over-http-15 §4) and
 * every POST is independent, so the TAM correlates by the freshness value the Agent echoes
 * (docs/teep-decisions.md §1): the `token` of a QueryResponse, Success or Error (a Background-Check
 * QueryRequest carries a token as well as its challenge, so that an Agent's Error, which has no
 * challenge, can be matched too), or, for a Background-Check QueryResponse without a token (an Agent
 * that does not echo it), the challenge as the Evidence's eat_nonce.
 *
 * This is a lookup key only, read without verifying anything (the Evidence is decrypted first when it
 * is encrypted to the TAM, -26 §8.2). The session machine then verifies the message and matches the
 * value again against the session's outstanding request, so a forged key finds nothing it can use.
 */
import {
  decodeCbor, decodeSign1, decodeTeepMessage, decryptFromAgent, isEncryptedToTam, openTeepMessage, TeepTokenUnknown,
} from '@otrp/core';
import type { CoseKey, CryptoProvider, OpenedTeepMessage, TeepMessage, TeepProfileName } from '@otrp/core';

/** EAT claim key of eat_nonce (RFC 9711 §4.1). */
const EAT_NONCE = 10;

export interface Correlation {
  readonly kind: 'token' | 'challenge';
  readonly value: Uint8Array;
  /** The message as decoded (not yet verified), and the COSE object it came from. */
  readonly message: TeepMessage;
  readonly opened: OpenedTeepMessage;
}

/** Reads the correlation value of an Agent message; throws the codec's error or ERR_TEEP_TOKEN_UNKNOWN. */
export async function correlate(
  bytes: Uint8Array, profile: TeepProfileName, keyAgreementKey: CoseKey | undefined, provider?: CryptoProvider,
): Promise<Correlation> {
  const opened = openTeepMessage(bytes);
  const message = decodeTeepMessage(opened.payload, { profile });
  if ('token' in message && message.token instanceof Uint8Array) return { kind: 'token', value: message.token, message, opened };
  if (message.type === 'query-response' && message.attestationPayload !== undefined) {
    const nonce = await evidenceNonce(message.attestationPayload, keyAgreementKey, provider);
    if (nonce !== undefined) return { kind: 'challenge', value: nonce, message, opened };
  }
  throw new TeepTokenUnknown('the message carries no token or challenge of this TAM');
}

async function evidenceNonce(payload: Uint8Array, key: CoseKey | undefined, provider?: CryptoProvider): Promise<Uint8Array | undefined> {
  let eat = payload;
  if (isEncryptedToTam(eat)) {
    if (key === undefined) return undefined;
    eat = await decryptFromAgent(eat, key, 'eat', provider);
  }
  const claims = decodeCbor(decodeSign1(eat).payload ?? new Uint8Array());
  if (!(claims instanceof Map)) return undefined;
  const nonce = claims.get(EAT_NONCE);
  return nonce instanceof Uint8Array ? nonce : undefined;
}
