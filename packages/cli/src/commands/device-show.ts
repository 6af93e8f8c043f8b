/**
 * `otrp device show DIR [--jwk]`: the device's identity (name, algorithm, public keys, certificate
 * subjects and trust anchors), or with --jwk only the key-agreement public key as a JWK: what a TA
 * signer encrypts a payload to (`otrp suit create --encrypt-to`).
 */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { coseKeyThumbprint, coseKeyToJwk, parseCertificate, toHex } from '@otrp/core';
import { DEVICE_KEY_PURPOSES, Device, keyAgreementJwk } from '@otrp/device';
import { writeOutput } from '../io.js';

const formatUuid = (b: Uint8Array): string => toHex(b).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');

export function registerDeviceShow(device: Command): void {
  device
    .command('show')
    .summary("print the device's identity and public keys")
    .argument('<dir>', 'device directory (`otrp device init`)')
    .option('--jwk', 'print only the key-agreement public key as a JWK (what a TA signer encrypts payloads to)')
    .action(async (dirArg: string, flags: { jwk?: boolean }) => {
      const dev = await Device.open(resolve(dirArg));
      try {
        const id = await dev.identity();
        if (flags.jwk) {
          await writeOutput('-', `${JSON.stringify(keyAgreementJwk(id), null, 2)}\n`);
          return;
        }
        const lines = [`device ${dev.config.name} (${dev.config.alg}, simulated TEE, created ${dev.config.createdAt})`];
        for (const p of DEVICE_KEY_PURPOSES) {
          const key = id.publicKeys?.[p];
          if (!key) continue;
          const jwk = coseKeyToJwk(key);
          const leaf = id.credentials?.certificates[p]?.[0];
          lines.push(`  ${p.padEnd(13)} ${jwk.crv ?? jwk.kty}  kid ${toHex(await coseKeyThumbprint(key))}`);
          if (leaf) {
            const info = parseCertificate(leaf);
            lines.push(`  ${''.padEnd(13)} certificate ${info.subject}, issued by ${info.issuer}, until ${info.notAfter.toISOString()}`);
          }
        }
        const o = id.otrp;
        if (o) {
          const leaf = o.chain?.[0];
          const cert = leaf ? parseCertificate(leaf) : undefined;
          lines.push(
            `  otrp          ${o.alg}${o.alg === 'ES256' ? ' (the teep key)' : ' (a dedicated key)'}${o.rsa15 ? ', accepts RSA1_5' : ''}` +
              `${cert ? `; certificate ${cert.subject}, until ${cert.notAfter.toISOString()}` : '; no certificate'}`,
          );
        } else lines.push('  otrp          none (an Ed25519 device needs --otrp-alg RS256 at init)');
        const c = id.credentials;
        if (c) {
          lines.push(
            `  trusts        TAM: ${c.tamAnchors.map((a) => parseCertificate(a).subject).concat(c.tamKeys.map(() => 'a raw TAM key')).join(', ') || '-'}`,
            `                TC signers: ${c.signerAnchors.map((a) => parseCertificate(a).subject).concat(c.signerKeys.map(() => 'a raw signer key')).join(', ') || '-'}`,
            `                CRLs: ${c.crls.length}; TAM key agreement key: ${c.tamKeyAgreementKey ? 'yes' : 'no'}`,
            `  tam attestation ${c.tamAttesterKeys?.length ? 'required' : 'not required'}`,
            `  suit identity vendor ${c.vendorId ? formatUuid(c.vendorId) : '-'}, class ${c.classId ? formatUuid(c.classId) : '-'}`,
          );
        }
        await writeOutput('-', `${lines.join('\n')}\n`);
      } finally {
        await dev.close();
      }
    });
}
