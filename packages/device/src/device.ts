/**
 * The device, as the REE (and the `otrp device ...` commands) drive it:
 *
 *   initDevice  (otrp device init DIR --pki PKI_DIR)  start a new TEE process, let it generate its
 *               keys, have the caller's Device CA certify them (`enrol`), hand the certificates and
 *               trust anchors back into the TEE, write device.json.
 *   Device.open (device run / list / show)            start the TEE process on DIR/tee.
 *   runDeviceOnce (otrp device run --once)            RequestTA / UnrequestTA / RequestPolicyCheck and
 *               the TAM session they lead to; says whether every request was met.
 *   runOtrpOnce (otrp device run --protocol otrp)     one OTrP/HTTP session (otrp-over-http-02), the
 *               TEE's OTrP implementation answering the TAM; says whether it reported a failure.
 *
 * Lifecycle and what fails where (codes from errors.ts):
 *
 *   init:  ERR_DEVICE_ALREADY_INITIALIZED (device.json exists) -> ERR_TEE_START_FAILED (TEE folder exists)
 *          -> enrol errors (ERR_CSR_INVALID, ERR_DEVICE_CREDENTIAL_MISMATCH) -> ERR_TEE_CRASHED
 *   open:  ERR_DEVICE_NOT_INITIALIZED -> ERR_TEE_START_FAILED
 *   run:   ERR_BROKER_* (transport; the Agent was told via ProcessError) | ERR_TEE_CRASHED |
 *          ERR_TEE_COMMAND_FAILED (teeCode says what failed inside)
 */
import { mkdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { coseKeyToJwk, type Jwk } from '@otrp/core';
import { DeviceAlreadyInitialized, DeviceNotInitialized } from './errors.js';
import type { AgentEventView } from './agent/agent-host-types.js';
import { Broker, type BrokerOptions, type BrokerSessionResult } from './broker/broker.js';
import { configPathOf, encodeDeviceConfig, readDeviceConfig, teeDirOf, type DeviceConfig } from './device-dir.js';
import { writeFileAtomic } from './tee/atomic-file.js';
import { DEVICE_SECRET_FILE } from './tee/sealed-storage.js';
import { checkDeviceName, type DeviceEnrolmentRequest, type DeviceKeyAlg, type DeviceKeyPurpose } from './tee/device-keys.js';
import type { DeviceCredentials } from './tee/device-credentials.js';
import type { OtrpEnrolmentRequest, OtrpKeyAlg } from './tee/otrp-identity.js';
import { SimulatedTeeBackend, type SimulatedTeeOptions } from './tee/tee-process.js';
import { TeeClient, type InstalledTcInfo, type OtrpInventory, type TeeIdentity } from './tee/tee-client.js';
import { runOtrpSession, type OtrpBrokerOptions, type OtrpSessionResult, type OtrpTeeOutcome } from './broker/otrp-broker.js';

/** The trust anchors the Agent gets at init (DeviceCredentials without the device's own certificates). */
export type DeviceTrust = Partial<Omit<DeviceCredentials, 'certificates'>>;

export interface InitDeviceOptions {
  readonly dir: string;
  /** Default: the directory's base name. */
  readonly name?: string;
  /** Default ESP256. */
  readonly alg?: DeviceKeyAlg;
  /** Certifies the TEE's keys (e.g. `issueDeviceCertificates` with the PKI's Device CA). */
  readonly enrol: (request: DeviceEnrolmentRequest) => Promise<Partial<Record<DeviceKeyPurpose, Uint8Array[]>>>;
  readonly trust: DeviceTrust;
  readonly tee?: Omit<SimulatedTeeOptions, 'create'>;
  /**
   * A dedicated OTrP key (`--otrp-alg RS256`): generated in the TEE, certified by `enrol` (e.g.
   * `issueOtrpCertificate` with the Device CA). Without it the P-256 TEEP key is the OTrP key.
   * `rsa15`: the TEE also accepts the draft's RSA1_5 key transport (docs/otrp-decisions.md §1).
   */
  readonly otrp?: { readonly alg: OtrpKeyAlg; readonly rsa15?: boolean; readonly enrol: (request: OtrpEnrolmentRequest) => Promise<Uint8Array[]> };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Provisions a new simulated TEE in `dir` (see the module comment); returns its identity. */
export async function initDevice(options: InitDeviceOptions): Promise<TeeIdentity> {
  const { dir } = options;
  const name = checkDeviceName(options.name ?? basename(dir));
  const alg = options.alg ?? 'ESP256';
  if (await exists(configPathOf(dir))) throw new DeviceAlreadyInitialized(`a device already exists in ${dir}`);
  await mkdir(dir, { recursive: true });
  // A TEE folder without device.json is an enrolment that did not finish: the TEE keeps its keys
  // and hands out the same CSRs again, so init resumes instead of starting over.
  const resume = await exists(join(teeDirOf(dir), DEVICE_SECRET_FILE));
  const backend = await SimulatedTeeBackend.start(teeDirOf(dir), { ...options.tee, create: !resume });
  try {
    const tee = new TeeClient(backend);
    const request = await tee.generateKeys(name, alg);
    const certificates = await options.enrol(request);
    // The OTrP key before the credentials: until installCredentials the TEEP keys may be certified
    // again, so a failed OTrP enrolment is resumed by the next init like a failed TEEP one.
    if (options.otrp) {
      const otrpRequest = await tee.generateOtrpKey(options.otrp.alg, options.otrp.rsa15 ?? false);
      await tee.installOtrpCertificate(await options.otrp.enrol(otrpRequest));
    }
    const t = options.trust;
    await tee.installCredentials({
      certificates,
      tamAnchors: t.tamAnchors ?? [],
      tamKeys: t.tamKeys ?? [],
      signerAnchors: t.signerAnchors ?? [],
      signerKeys: t.signerKeys ?? [],
      crls: t.crls ?? [],
      ...(t.tamKeyAgreementKey ? { tamKeyAgreementKey: t.tamKeyAgreementKey } : {}),
      ...(t.tamAttesterKeys?.length ? { tamAttesterKeys: t.tamAttesterKeys } : {}),
      ...(t.vendorId ? { vendorId: t.vendorId } : {}),
      ...(t.classId ? { classId: t.classId } : {}),
    });
    const identity = await tee.getIdentity();
    const config: DeviceConfig = { version: 1, name, alg, createdAt: new Date().toISOString() };
    // device.json last: until it exists the directory is an unfinished init (see `resume` above).
    await writeFileAtomic(configPathOf(dir), new TextEncoder().encode(encodeDeviceConfig(config)), { mode: 0o644 });
    await tee.close();
    return identity;
  } finally {
    await backend.shutdown();
  }
}

/** An initialised device with its TEE process running. */
export class Device {
  readonly dir: string;
  readonly config: DeviceConfig;
  readonly backend: SimulatedTeeBackend;
  readonly tee: TeeClient;

  private constructor(dir: string, config: DeviceConfig, backend: SimulatedTeeBackend) {
    this.dir = dir;
    this.config = config;
    this.backend = backend;
    this.tee = new TeeClient(backend);
  }

  /** Reads device.json and starts the TEE process on DIR/tee. */
  static async open(dir: string, options: Omit<SimulatedTeeOptions, 'create'> = {}): Promise<Device> {
    const config = await readDeviceConfig(dir);
    return new Device(dir, config, await SimulatedTeeBackend.start(teeDirOf(dir), options));
  }

  /** A Broker relaying between this device's TEE and TAMs. */
  broker(options: BrokerOptions = {}): Broker {
    return new Broker(this.tee, options);
  }

  identity(): Promise<TeeIdentity> {
    return this.tee.getIdentity();
  }

  listInstalled(): Promise<InstalledTcInfo[]> {
    return this.tee.listInstalled();
  }

  /** The OTrP Security Domains and TAs in the TEE. */
  listOtrp(): Promise<OtrpInventory> {
    return this.tee.listOtrp();
  }

  /** Stops the TEE process. */
  async close(): Promise<void> {
    await this.tee.close().catch(() => undefined);
    await this.backend.shutdown();
  }
}

/** The public key TA signers encrypt payloads to (`otrp device show --jwk`). */
export function keyAgreementJwk(identity: TeeIdentity): Jwk {
  const key = identity.publicKeys?.keyAgreement;
  if (!key) throw new DeviceNotInitialized('the device has no keys');
  return coseKeyToJwk(key);
}

export interface RunOnceOptions {
  readonly tamUri: string;
  /** Component identifiers to request (RequestTA). */
  readonly request?: readonly (readonly Uint8Array[])[];
  /** Component identifiers no longer needed (UnrequestTA). */
  readonly unrequest?: readonly (readonly Uint8Array[])[];
  readonly broker?: BrokerOptions;
}

export interface RunOnceResult {
  /**
   * True when every session ended normally (not with a TEEP Error of the Agent: an Error the TAM
   * answered by retrying, e.g. Error 7 asking it to attest, is part of the session), no TEEP Error
   * was received, and every request was met.
   */
  readonly ok: boolean;
  readonly sessions: readonly BrokerSessionResult[];
  readonly events: readonly AgentEventView[];
  /** Requested components not installed afterwards. */
  readonly unmet: readonly (readonly Uint8Array[])[];
  /** Unrequested components still installed afterwards. */
  readonly notRemoved: readonly (readonly Uint8Array[])[];
  readonly installed: readonly InstalledTcInfo[];
}

const idKey = (id: readonly Uint8Array[]) => id.map((p) => Buffer.from(p).toString('hex')).join('/');

/**
 * One round of `otrp device run --once`: every RequestTA / UnrequestTA is given to the Agent first
 * (its state collects them), then one TAM session runs from the last instruction; with neither, a
 * policy check. Transport failures throw (typed); protocol outcomes are in the result.
 */
export async function runDeviceOnce(device: Device, options: RunOnceOptions): Promise<RunOnceResult> {
  const broker = device.broker(options.broker);
  const sessions: BrokerSessionResult[] = [];
  const calls = [
    ...(options.request ?? []).map((id) => () => device.tee.requestTA(id, options.tamUri)),
    ...(options.unrequest ?? []).map((id) => () => device.tee.unrequestTA(id, options.tamUri)),
  ];
  if (calls.length === 0) sessions.push(...(await broker.policyCheck(options.tamUri)));
  else {
    let last;
    for (const call of calls) {
      const instruction = await call();
      if (instruction.tamUri !== undefined) last = instruction;
    }
    if (last) sessions.push(await broker.runSession(last));
  }
  const events = sessions.flatMap((s) => s.events);
  const installed = await device.listInstalled();
  const have = new Set(installed.flatMap((tc) => tc.componentIds.map(idKey)));
  const unmet = (options.request ?? []).filter((id) => !have.has(idKey(id)));
  const notRemoved = (options.unrequest ?? []).filter((id) => have.has(idKey(id)));
  const protocolError = sessions.some((s) => s.endedWithError) || events.some((e) => e.type === 'tam-error');
  return { ok: !protocolError && unmet.length === 0 && notRemoved.length === 0, sessions, events, unmet, notRemoved, installed };
}

export interface OtrpRunOptions {
  /** The TAM's OTrP URI (`POST /otrp` of the otrp TAM), e.g. http://127.0.0.1:8080/otrp. */
  readonly tamUri: string;
  readonly broker?: OtrpBrokerOptions;
}

export interface OtrpRunResult {
  /** True when the session ended with an empty response and the TEE reported no failure. */
  readonly ok: boolean;
  readonly session: OtrpSessionResult;
  /** The TEE's responses that reported a failure (status "fail"), with the draft's error code. */
  readonly failures: readonly OtrpTeeOutcome[];
  /** The TEE's OTrP SDs and TAs afterwards. */
  readonly inventory: OtrpInventory;
}

/**
 * One OTrP round of `otrp device run --protocol otrp`: one session with the TAM (its policy drives
 * GetDeviceState and the SD/TA commands). Transport failures and a TEE that cannot answer at all
 * throw (typed); failures the TEE reports to the TAM are in the result.
 */
export async function runOtrpOnce(device: Device, options: OtrpRunOptions): Promise<OtrpRunResult> {
  const session = await runOtrpSession(device.tee, options.tamUri, options.broker);
  const failures = session.outcomes.filter((o) => o.error !== undefined);
  return { ok: failures.length === 0, session, failures, inventory: await device.listOtrp() };
}
