/**
 * `otrp otrp decode FILE [--cert CERT] [--decrypt-key PRIVATE_KEY]`: prints the TBS content of an
 * OTrP message as JSON, after verifying its JWS when the signer's certificate (or public key) is
 * given and decrypting `content` / `edsi` when the recipient's private key is given.
 *
 * The draft's own RSA-1024 test certificate (vectors/otrp/draft-test-cert.pem, expired 2020) is
 * verified through core's clearly marked compatibility path; any other certificate must be valid now.
 */
import type { Command } from 'commander';
import * as nodeCrypto from 'node:crypto';
import { createNodeRawRsa, inspectOtrpMessage, josePrivateKeyFromPkcs8, toDer, type InspectOptions } from '@otrp/core';
import { readInput, writeOutput } from '../io.js';
import { CliError } from '../cli-error.js';

interface OtrpDecodeFlags {
  cert?: string;
  decryptKey?: string;
}

export function registerOtrpDecode(otrp: Command): void {
  otrp
    .command('decode')
    .summary('verify, decrypt and pretty-print an OTrP message')
    .description(
      'Reads an OTrP message (JSON: {"<Name>Request|Response": <flattened JWS>}, or a GetDeviceStateResponse ' +
        'array) and prints, per signed message, the verification result and the TBS content. ' +
        'With --cert the JWS is verified (certificate in PEM or DER, or a PUBLIC KEY PEM); without it the ' +
        'signature is reported as not checked. With --decrypt-key (PKCS#8 PEM or DER, RSA or P-256) the ' +
        '"content" and "edsi" JWEs are decrypted (RSA1_5, RSA-OAEP-256, ECDH-ES+A128KW).',
    )
    .argument('[file]', 'the message, or - for standard input', '-')
    .option('--cert <cert>', "the signer's certificate (or public key) file")
    .option('--decrypt-key <key>', "the recipient's private key file")
    .addHelpText(
      'after',
      '\nExamples:\n  otrp otrp decode --cert vectors/otrp/draft-test-cert.pem vectors/otrp/a121-create-sd-request.json\n' +
        '  otrp otrp decode --cert tam.pem --decrypt-key tee-key.pem request.json\n',
    )
    .action(async (file: string, flags: OtrpDecodeFlags) => {
      const input = await readInput(file);
      const options: InspectOptions = { rawRsa: createNodeRawRsa(nodeCrypto) };
      if (flags.cert !== undefined) {
        const bytes = await readInput(flags.cert);
        const text = new TextDecoder().decode(bytes.subarray(0, 64));
        if (text.includes('BEGIN PUBLIC KEY')) options.spki = der(toDer(bytes, 'PUBLIC KEY'), flags.cert);
        else options.certificate = der(toDer(bytes, 'CERTIFICATE'), flags.cert);
      }
      if (flags.decryptKey !== undefined) {
        options.decryptKey = await josePrivateKeyFromPkcs8(der(toDer(await readInput(flags.decryptKey), 'PRIVATE KEY'), flags.decryptKey));
      }
      const messages = await inspectOtrpMessage(input, options);
      const shown = messages.map((m) => ({ message: m.message, signature: m.signature, alg: m.alg, headerCertificates: m.headerCertificates, tbs: m.tbs }));
      await writeOutput('-', `${JSON.stringify(shown.length === 1 ? shown[0] : shown, null, 2)}\n`);
    });
}

function der(value: Uint8Array | undefined, file: string): Uint8Array {
  if (!value) throw new CliError('ERR_KEY_FILE', `${file} holds no usable PEM block or DER data`);
  return value;
}
