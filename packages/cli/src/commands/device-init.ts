/**
 * `otrp device init DIR --pki PKI_DIR`: provisions a simulated TEE (@otrp/device initDevice). The
 * TEE process generates its four keys; this command, standing in for the manufacturer's enrolment
 * line, has the PKI's Device CA certify them from the CSRs the TEE handed out, records them in the
 * CA's ca.json, and enrols the signing certificates under PKI_DIR/devices/<name>/ as PEM chains:
 * that folder is where the TAM finds the SUIT-report and attestation keys, which travel as a bare
 * kid (tam service/trust.ts reads every *.pem below devices/ and validates it against the Device CA).
 *
 * The Agent's trust anchors come from the same PKI: the TAM CA (or a raw TAM key with --tam-key),
 * the TC-Signer CA, every CA's CRL, and the TAM's X25519 key-agreement key (EATs and SUIT reports are
 * then encrypted to the TAM, draft-ietf-teep-protocol-26 §8.2).
 *
 * OTrP (docs/otrp-decisions.md §6): by default the P-256 TEEP key is also the OTrP key (its certificate
 * gets keyUsage keyAgreement too). `--otrp-alg RS256` has the TEE generate a dedicated RSA-2048 OTrP key,
 * certified by the Device CA from its CSR (subject `<name> otrp`, recorded in ca.json; not written under
 * devices/, which lists the TEEP-side keys the TAM looks up by kid); `--otrp-rsa1_5` lets that TEE accept
 * the draft's mandatory RSA1_5 key transport (opt-in, docs/otrp-decisions.md §1).
 */
import type { Command } from 'commander';
import { readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import {
  PKI_LAYOUT, caCertificatePath, coseKeyFromCertificate, crlPaths, decodePem, devicePath, encodePem, issuedRecord, recordIssued, roleAnchorPaths,
} from '@otrp/core';
import { initDevice, isDeviceKeyAlg, issueDeviceCertificates, issueOtrpCertificate, keyAgreementJwk, type DeviceKeyPurpose } from '@otrp/device';
import { CliError } from '../cli-error.js';
import { uuidOption } from '../uuid-option.js';
import { writeOutput } from '../io.js';
import { readPublicKeyFile } from '../key-file.js';
import { isEmptyDir, loadCaFolder, parseDays, readText, saveCaState, writeFileAtomic } from './pki-files.js';

interface InitFlags {
  pki: string;
  name?: string;
  alg?: string;
  tamKey?: string;
  days?: string;
  otrpAlg?: string;
  otrpRsa1_5?: boolean;
  vendorId?: string;
  classId?: string;
  requireTamAttestation?: boolean;
}


/** The enrolled chains' file names under PKI_DIR/devices/<name>/ (what the TAM scans). */
export const ENROLLED_CHAIN_FILES: Readonly<Record<DeviceKeyPurpose, string>> = {
  teep: 'teep-chain.pem',
  suitReport: 'suit-report-chain.pem',
  attestation: 'attestation-chain.pem',
  keyAgreement: 'key-agreement-chain.pem',
};

const pkiFile = (pki: string, rel: string) => join(pki, ...rel.split('/'));

async function certificatesIn(pki: string, rel: string): Promise<Uint8Array[]> {
  return decodePem(await readText(pkiFile(pki, rel)), 'CERTIFICATE');
}

async function existingCrls(pki: string): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (const rel of crlPaths()) {
    const file = pkiFile(pki, rel);
    if (!(await stat(file).then(() => true, () => false))) continue;
    out.push(...decodePem(await readFile(file, 'utf8'), 'X509 CRL'));
  }
  return out;
}

export function registerDeviceInit(device: Command): void {
  device
    .command('init')
    .summary('provision a simulated TEE in DIR, its keys certified by the Device CA of a PKI')
    .description(
      'Creates a new simulated TEE in DIR: a separate TEE process generates the TEEP signing key, a distinct ' +
        'SUIT-report signing key, the attestation key and a key-agreement key inside its sealed storage (they never ' +
        'leave it). The Device CA in PKI_DIR certifies them from their CSRs (EKU clientAuth; the key-agreement ' +
        'key from its public key, keyUsage keyAgreement), and the certificate chains are enrolled under ' +
        'PKI_DIR/devices/<name>/ where the TAM looks for them. The Agent trusts the TAM CA (or only the raw key ' +
        'given with --tam-key), the TC-Signer CA and the CRLs of PKI_DIR. --vendor-id and --class-id give the device the ' +
        'SUIT identity that manifests with vendor or class conditions check; they are sealed in the TEE with the trust anchors. ' +
        'With --require-tam-attestation the Agent answers a QueryRequest without TAM Evidence with Error 7 and a challenge.',
    )
    .argument('<dir>', 'device directory (created; must not hold a device yet)')
    .requiredOption('--pki <dir>', 'PKI directory made by `otrp pki init` (its device-ca signs the CSRs)')
    .option('--name <name>', 'device name, used in certificate subjects and as the PKI_DIR/devices folder (default: the base name of DIR)')
    .option('--alg <alg>', 'key algorithm: ESP256 (P-256, default) or Ed25519 (key agreement then X25519)')
    .option('--tam-key <file>', "trust only this raw TAM public key (PEM, JWK or COSE_Key) instead of the PKI's TAM CA")
    .option('--days <n>', 'validity of the device certificates in days (default 365, never beyond the Device CA)')
    .option('--require-tam-attestation', "require the TAM to attest itself (-26 §7.2.1): Evidence signed by the PKI's TAM attestation key (tam/attestation/public.pem)")
    .option('--vendor-id <uuid>', "the device's SUIT vendor identifier: manifests' condition-vendor-identifier must match it")
    .option('--class-id <uuid>', "the device's SUIT class identifier: manifests' condition-class-identifier must match it")
    .option('--otrp-alg <alg>', 'OTrP key: ES256 (default: the P-256 TEEP key) or RS256 (a dedicated RSA-2048 key, certified as "<name> otrp")')
    .option('--otrp-rsa1_5', "with --otrp-alg RS256: also accept the draft's mandatory RSA1_5 key transport (padding-oracle risk: docs/otrp-decisions.md)")
    .addHelpText('after', '\nExamples:\n  otrp device init ./dev1 --pki ./pki\n  otrp device init ./dev2 --pki ./pki --name phone-2 --alg Ed25519\n')
    .action(async (dirArg: string, flags: InitFlags) => {
      const dir = resolve(dirArg);
      const pki = resolve(flags.pki);
      const name = flags.name ?? basename(dir);
      const alg = flags.alg ?? 'ESP256';
      if (!isDeviceKeyAlg(alg)) throw new CliError('ERR_USAGE', '--alg must be ESP256 or Ed25519');
      const otrpAlg = flags.otrpAlg ?? 'ES256';
      if (otrpAlg !== 'ES256' && otrpAlg !== 'RS256') throw new CliError('ERR_USAGE', '--otrp-alg must be ES256 or RS256');
      if (flags.otrpAlg === 'ES256' && alg !== 'ESP256') throw new CliError('ERR_USAGE', '--otrp-alg ES256 uses the P-256 TEEP key: with --alg Ed25519 give --otrp-alg RS256 (or omit it for a device without OTrP)');
      if (flags.otrpRsa1_5 && otrpAlg !== 'RS256') throw new CliError('ERR_USAGE', '--otrp-rsa1_5 needs --otrp-alg RS256');
      const days = flags.days === undefined ? undefined : parseDays(flags.days);
      const vendorId = uuidOption(flags.vendorId, '--vendor-id');
      const classId = uuidOption(flags.classId, '--class-id');
      const enrolDir = pkiFile(pki, devicePath(name));

      // Another device's enrolled chains must not be replaced (the TAM would stop trusting it); only an
      // unfinished init of this same DIR (its TEE folder exists, device.json not yet) writes them again.
      const resuming = await stat(join(dir, 'tee')).then(() => true, () => false);
      if (!resuming && !(await isEmptyDir(enrolDir))) {
        throw new CliError('ERR_DEVICE_NAME_TAKEN', `${enrolDir} already holds a device's certificates; choose another --name`);
      }
      const ca = await loadCaFolder(join(pki, PKI_LAYOUT.ca['device-ca']));
      const tamKeys = flags.tamKey !== undefined ? [await readPublicKeyFile(flags.tamKey)] : [];
      const tamAnchors = flags.tamKey !== undefined ? [] : (await Promise.all(roleAnchorPaths('tam').map((p) => certificatesIn(pki, p)))).flat();
      const signerAnchors = (await Promise.all(roleAnchorPaths('signer').map((p) => certificatesIn(pki, p)))).flat();
      const kaRel = `${PKI_LAYOUT.tam.X25519}/${PKI_LAYOUT.leafFiles.certificate}`;
      const kaCert = (await stat(pkiFile(pki, kaRel)).then(() => true, () => false)) ? (await certificatesIn(pki, kaRel))[0] : undefined;
      // Checked before anything is created: the TAM CA must be there unless a raw key replaces it.
      if (tamKeys.length === 0) await readText(pkiFile(pki, caCertificatePath('tam-ca')));
      const attRel = `${PKI_LAYOUT.tamAttestation.dir}/${PKI_LAYOUT.tamAttestation.publicKey}`;
      if (flags.requireTamAttestation && !(await stat(pkiFile(pki, attRel)).then(() => true, () => false))) {
        throw new CliError('ERR_FILE_READ', `${pkiFile(pki, attRel)} does not exist: this PKI has no TAM attestation key (made by an older otrp pki init)`);
      }
      const tamAttesterKeys = flags.requireTamAttestation ? [await readPublicKeyFile(pkiFile(pki, attRel))] : [];

      const identity = await initDevice({
        dir,
        name,
        alg,
        trust: {
          tamAnchors,
          tamKeys,
          signerAnchors,
          crls: await existingCrls(pki),
          ...(kaCert && { tamKeyAgreementKey: coseKeyFromCertificate(kaCert) }),
          ...(tamAttesterKeys.length && { tamAttesterKeys }),
          ...(vendorId && { vendorId }),
          ...(classId && { classId }),
        },
        enrol: async (request) => {
          const chains = await issueDeviceCertificates(request, ca.handle, days !== undefined ? { days } : {});
          for (const purpose of Object.keys(ENROLLED_CHAIN_FILES) as DeviceKeyPurpose[]) {
            const chain = chains[purpose];
            ca.state = recordIssued(ca.state, issuedRecord(chain[0]!, 'device'));
            await writeFileAtomic(join(enrolDir, ENROLLED_CHAIN_FILES[purpose]), chain.map((c) => encodePem(c, 'CERTIFICATE')).join(''), false);
          }
          await saveCaState(ca);
          return chains;
        },
        ...(otrpAlg === 'RS256' && {
          otrp: {
            alg: 'RS256' as const,
            rsa15: flags.otrpRsa1_5 === true,
            enrol: async (request) => {
              const chain = await issueOtrpCertificate(request, ca.handle, days !== undefined ? { days } : {});
              ca.state = recordIssued(ca.state, issuedRecord(chain[0]!, 'device'));
              await saveCaState(ca);
              return chain;
            },
          },
        }),
      });
      const jwk = keyAgreementJwk(identity);
      await writeOutput(
        '-',
        `device ${name} initialised in ${dir} (${alg}, simulated TEE)\n` +
          `certificates enrolled in ${enrolDir}\n` +
          `trusts ${tamKeys.length ? 'the TAM key given with --tam-key' : 'the TAM CA'} and the TC-Signer CA of ${pki}\n` +
          (tamAttesterKeys.length ? `requires TAM attestation (Evidence signed by ${attRel} of the PKI)\n` : '') +
          `key agreement key (payloads are encrypted to it): ${jwk.crv ?? jwk.kty}\n` +
          `OTrP key: ${identity.otrp ? `${identity.otrp.alg}${identity.otrp.alg === 'ES256' ? ' (the TEEP key)' : ' (dedicated)'}${identity.otrp.rsa15 ? ', accepts RSA1_5' : ''}` : 'none'}\n`,
      );
    });
}
