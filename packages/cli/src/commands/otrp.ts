/** `otrp otrp ...`: tools for the original JSON/JOSE Open Trust Protocol (draft-ietf-teep-opentrustprotocol-03). */
import type { Command } from 'commander';
import { registerOtrpDecode } from './otrp-decode.js';

export function registerOtrp(program: Command): void {
  const otrp = program
    .command('otrp')
    .summary('OTrP (JSON/JOSE) message tools')
    .description('Tools for OTrP messages (draft-ietf-teep-opentrustprotocol-03): signed JWS envelopes with JWE-encrypted content.');
  registerOtrpDecode(otrp);
}
