/** `otrp otrp ...`: tools for the original JSON/JOSE Open Trust Protocol (draft-ietf-teep-opentrustprotocol-03). */
import type { Command } from 'commander';
import { registerOtrpDecode } from './otrp-decode.js';
import { registerOtrpTaPackage } from './otrp-ta-package.js';

export function registerOtrp(program: Command): void {
  const otrp = program
    .command('otrp')
    .summary('OTrP (JSON/JOSE) message and TA package tools')
    .description(
      'Tools for OTrP (draft-ietf-teep-opentrustprotocol-03): decode signed JWS messages with JWE-encrypted content, ' +
        'and build the TA packages a TAM distributes over OTrP.',
    );
  registerOtrpDecode(otrp);
  registerOtrpTaPackage(otrp);
}
