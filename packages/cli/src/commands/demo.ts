/**
 * `otrp demo`: the whole system once, as a user would run it, in a temporary directory: a PKI, a TAM
 * (`otrp tam serve`, a child process on a free loopback port, SQLite), a sample Trusted Component
 * built and signed by the TC signer (`otrp suit create`) and uploaded through the admin API, a
 * policy, and one simulated device (its TEE in its own process) that requests the TC. Every step is
 * the built `otrp` command itself, printed before it runs; the device's run prints each relayed TEEP
 * message (direction, type, size, key fields), and both inventories close the transcript. The
 * directory is removed afterwards unless --keep names one.
 *
 * `--protocol otrp` runs the same system over OTrP (draft-ietf-teep-opentrustprotocol-03, HTTP
 * binding otrp-over-http-02 at the TAM's `POST /otrp`): a TA package (`otrp otrp ta-package`, the TC
 * signer's certificate as SP certificate) uploaded with `otrp tam tc add`, policy `required`, then
 * three device sessions: GetDeviceState, CreateSD, InstallTA; version 2 uploaded -> UpdateTA; policy
 * `remove` -> DeleteTA, DeleteSD. Both inventories are shown after the update and at the end.
 */
import type { Command } from 'commander';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CliError } from '../cli-error.js';
import { CLI_BIN as BIN, spawnTamServe } from '../tam-process.js';


/** The sample TC: the TEEP convention's component id for this UUID (device run --request takes the UUID). */
const SAMPLE_UUID = '8d82573a-926d-4754-9353-32dc29997f74';
const SAMPLE_SPEC = {
  sequenceNumber: 1,
  manifestComponentId: ['TEEP-Device', 'SecureFS', `hex:${SAMPLE_UUID.replace(/-/g, '')}`, 'suit'],
  description: 'otrp demo Trusted Application',
  components: [{ id: ['TEEP-Device', 'SecureFS', `hex:${SAMPLE_UUID.replace(/-/g, '')}`, 'ta'] }],
};

const say = (text: string) => process.stdout.write(text);
const indent = (text: string) => text.replace(/\n$/, '').replace(/^/gm, '    ');

/** Runs `otrp ARGS` in `cwd`, prints the command and its output; throws when it fails. */
function step(cwd: string, title: string, args: readonly string[]): Promise<string> {
  say(`\n== ${title}\n$ otrp ${args.join(' ')}\n`);
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    child.on('error', (e) => fail(new CliError('ERR_DEMO_STEP_FAILED', `${title}: ${e.message}`, { cause: e })));
    child.on('close', (code) => {
      if (out) say(`${indent(out)}\n`);
      if (code === 0) done(out);
      else fail(new CliError('ERR_DEMO_STEP_FAILED', `${title} failed (exit ${code}): ${err.trim().split('\n').pop() ?? ''}`));
    });
  });
}

interface Tam {
  readonly url: string;
  stop(): Promise<void>;
}

/** `otrp tam serve` as a child process (tam-process.ts), printed as a transcript step. */
async function startTam(cwd: string): Promise<Tam> {
  const args = ['--pki', 'pki', '--data', 'tam-data', '--listen', '127.0.0.1:0', '--log-level', 'warn'];
  say(`\n== start the TAM (a separate process; SQLite in tam-data/)\n$ otrp tam serve ${args.join(' ')} &\n`);
  const tam = await spawnTamServe(args, { cwd, errorCode: 'ERR_DEMO_STEP_FAILED' });
  say(`${indent(`tam listening on ${tam.url}`)}\n`);
  return { url: tam.url, stop: async () => void (await tam.stop()) };
}

async function runTeepDemo(dir: string): Promise<void> {
  say(`otrp demo: one TAM, one simulated TEE device, one Trusted Component (files in ${dir})\n`);
  await step(dir, 'a PKI: root CA, TAM CA, Device CA, TC-Signer CA, the TAM and TC signer keys', ['pki', 'init', 'pki']);
  await writeFile(join(dir, 'ta.json'), `${JSON.stringify(SAMPLE_SPEC, null, 2)}\n`);
  await writeFile(join(dir, 'ta.bin'), 'otrp demo TA binary\n'.repeat(64));
  await step(dir, 'the TC signer builds and signs a SUIT manifest for the sample TA', [
    'suit', 'create', '--spec', 'ta.json', '--payload', 'ta.bin', '--key', 'pki/signer/key.pem', '--cert', 'pki/signer/chain.pem', '--out', 'ta.suit',
  ]);
  const tam = await startTam(dir);
  try {
    const added = await step(dir, 'upload the TC through the admin API (checked against the TC-Signer CA)', ['tam', 'tc', 'add', 'ta.suit', '--name', 'demo-ta', '--data', 'tam-data', '--json']);
    const tcId = (JSON.parse(added) as { id: string }).id;
    await step(dir, 'a policy: every device may have it on request', ['tam', 'policy', 'set', '--tc', tcId, '--action', 'optional', '--all', '--data', 'tam-data']);
    await step(dir, 'provision a simulated TEE; the Device CA certifies its keys', ['device', 'init', 'device', '--pki', 'pki', '--name', 'demo-device']);
    await step(dir, 'the device requests the TA: QueryRequest, attested QueryResponse, Update, Success', [
      'device', 'run', 'device', '--tam', `${tam.url}/tam`, '--request', SAMPLE_UUID, '--once', '--verbose',
    ]);
    await step(dir, "the TAM's inventory", ['tam', 'devices', '--data', 'tam-data']);
    await step(dir, "the device's inventory", ['device', 'list', 'device']);
  } finally {
    await tam.stop();
  }
  say('\ndemo complete\n');
}

/** The OTrP TA of the demo: Service Provider, Security Domain, TA id (OTrP -03 §5.3). */
const OTRP_TA = { spid: 'bank.example', sdname: 'sd.bank.example', taid: 'wallet.bank.example', taname: 'wallet' } as const;

/** `otrp otrp ta-package` for version `v` of the demo TA (its binary: ta-v<v>.bin, personalization: perso.bin). */
async function otrpTaPackage(dir: string, v: number): Promise<string> {
  await writeFile(join(dir, `ta-v${v}.bin`), `otrp demo OTrP TA binary, version ${v}\n`.repeat(32));
  const out = `wallet-v${v}.ta.json`;
  await step(dir, `the Service Provider packages version ${v} of its TA (SP certificate: the TC signer's)`, [
    'otrp', 'ta-package', '--spid', OTRP_TA.spid, '--sdname', OTRP_TA.sdname, '--taid', OTRP_TA.taid, '--taname', OTRP_TA.taname,
    '--ta-version', String(v), '--binary', `ta-v${v}.bin`, '--pdata', 'perso.bin', '--spcert', 'pki/signer/cert.pem', '--out', out,
  ]);
  return out;
}

async function runOtrpDemo(dir: string): Promise<void> {
  say(`otrp demo --protocol otrp: one TAM, one simulated TEE device, one OTrP Trusted Application (files in ${dir})\n`);
  await step(dir, 'a PKI: root CA, TAM CA, Device CA, TC-Signer CA, the TAM and TC signer keys', ['pki', 'init', 'pki']);
  await writeFile(join(dir, 'perso.bin'), 'otrp demo personalization data\n');
  const v1 = await otrpTaPackage(dir, 1);
  const tam = await startTam(dir);
  const otrpUrl = `${tam.url}/otrp`;
  const session = (title: string) => step(dir, title, ['device', 'run', 'device', '--tam', otrpUrl, '--protocol', 'otrp', '--once', '--verbose']);
  try {
    const added = await step(dir, 'upload the TA package through the admin API (its SP certificate checked against the TC-Signer CA)', [
      'tam', 'tc', 'add', v1, '--name', 'demo-wallet', '--data', 'tam-data', '--json',
    ]);
    const tcId = (JSON.parse(added) as { id: string }).id;
    await step(dir, 'a policy: every device must have it', ['tam', 'policy', 'set', '--tc', tcId, '--action', 'required', '--all', '--data', 'tam-data']);
    await step(dir, 'provision a simulated TEE; the Device CA certifies its keys', ['device', 'init', 'device', '--pki', 'pki', '--name', 'demo-device']);
    await session('an OTrP session: GetDeviceState, then CreateSD and InstallTA (the TA encrypted to the TEE SP AIK)');
    const v2 = await otrpTaPackage(dir, 2);
    await step(dir, 'upload version 2 (a higher version replaces the stored package)', ['tam', 'tc', 'add', v2, '--data', 'tam-data']);
    await session('the next session: GetDeviceState, then UpdateTA');
    await step(dir, "the TAM's inventory", ['tam', 'devices', '--data', 'tam-data']);
    await step(dir, "the device's inventory", ['device', 'list', 'device']);
    await step(dir, 'a policy: remove the TA from every device', ['tam', 'policy', 'set', '--tc', tcId, '--action', 'remove', '--all', '--data', 'tam-data']);
    await session('the next session: GetDeviceState, then DeleteTA and DeleteSD (the SD is empty)');
    await step(dir, "the TAM's inventory", ['tam', 'devices', '--data', 'tam-data']);
    await step(dir, "the device's inventory", ['device', 'list', 'device']);
  } finally {
    await tam.stop();
  }
  say('\ndemo complete\n');
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .summary('run a TAM and a simulated device end to end and print what they say')
    .description(
      'In a temporary directory: `otrp pki init`, `otrp suit create` for a sample TA, `otrp tam serve` on a free ' +
        'loopback port (SQLite), the TC uploaded and a policy set through the admin API, `otrp device init`, and ' +
        '`otrp device run --request` printing every TEEP message; then both inventories. With --protocol otrp: an ' +
        'OTrP TA package (`otrp otrp ta-package`) uploaded and required by policy, and three OTrP sessions ' +
        '(`otrp device run --protocol otrp`): GetDeviceState, CreateSD, InstallTA; UpdateTA after version 2 is ' +
        'uploaded; DeleteTA and DeleteSD after the policy says remove. Removes the directory at the end unless ' +
        '--keep is given. Exit 0 when every step succeeded.',
    )
    .option('--keep <dir>', 'work in DIR (created; must be empty) and keep the files')
    .option('--protocol <protocol>', 'teep (default) or otrp', 'teep')
    .action(async (flags: { keep?: string; protocol: string }) => {
      if (flags.protocol !== 'teep' && flags.protocol !== 'otrp') throw new CliError('ERR_USAGE', '--protocol must be teep or otrp');
      let dir: string;
      if (flags.keep !== undefined) {
        dir = resolve(flags.keep);
        await mkdir(dir, { recursive: true });
        if ((await readdir(dir)).length > 0) throw new CliError('ERR_USAGE', `--keep needs an empty directory: ${dir}`);
      } else dir = await mkdtemp(join(tmpdir(), 'otrp-demo-'));
      try {
        await (flags.protocol === 'otrp' ? runOtrpDemo(dir) : runTeepDemo(dir));
      } finally {
        if (flags.keep === undefined) await rm(dir, { recursive: true, force: true });
      }
    });
}
